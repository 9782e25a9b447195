import { memo } from 'react';
import { linkify } from '../../lib/linkify.js';

/** Message text as React text nodes; only http(s) URLs become links (new tab, no opener, no referrer). */
export const MessageText = memo(function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, index) =>
        part.kind === 'link' ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
});
