import { memo } from 'react';
import { linkify } from '../../lib/linkify.js';

/**
 * Message text as React text nodes; only http(s) URLs become links (new tab, no opener, no referrer),
 * and in-app links (`/app/#/visitors/<id>`) open in place.
 */
export const MessageText = memo(function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, index) =>
        part.kind === 'link' ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : part.kind === 'internal' ? (
          <a key={index} href={part.href} className="internal-link">
            {part.text}
          </a>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
});
