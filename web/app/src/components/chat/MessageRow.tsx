import { memo } from 'react';
import type { Message } from '@switchboard/protocol';
import { dayKey } from '../../i18n/format.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Avatar } from '../common/Avatar.js';
import { MessageActions } from './MessageActions.js';
import { MessageEditor } from './MessageEditor.js';
import { MessageText } from './MessageText.js';

/** Consecutive messages from one sender within this time share one header. */
const GROUP_GAP_MS = 5 * 60 * 1000;

export interface Receipt {
  text: string;
  /** Everyone who has seen it, for the tooltip. */
  names: string;
}

interface MessageRowProps {
  message: Message;
  /** The message before this one (for day separators and grouping). */
  prev: Message | undefined;
  own: boolean;
  senderName: string;
  editing: boolean;
  receipt: Receipt | null;
}

export function DaySeparator({ at }: { at: number }) {
  const { format } = useI18n();
  const label = format.day(at);
  return (
    <li className="day-separator" role="separator" aria-label={label}>
      <span>{label}</span>
    </li>
  );
}

export const MessageRow = memo(function MessageRow({ message, prev, own, senderName, editing, receipt }: MessageRowProps) {
  const { t, format } = useI18n();
  const newDay = !prev || dayKey(prev.createdAt) !== dayKey(message.createdAt);
  const separator = newDay ? <DaySeparator at={message.createdAt} /> : null;
  const time = (
    <time dateTime={new Date(message.createdAt).toISOString()} title={format.full(message.createdAt)}>
      {format.time(message.createdAt)}
    </time>
  );

  if (message.kind === 'system') {
    return (
      <>
        {separator}
        <li className="message-system" data-testid="message" data-seq={message.seq} data-kind="system" tabIndex={-1}>
          <span>{message.body}</span> {time}
        </li>
      </>
    );
  }

  const deleted = message.deletedAt !== null;
  const continued =
    !newDay && prev !== undefined && prev.kind === 'text' && prev.senderId === message.senderId && message.createdAt - prev.createdAt < GROUP_GAP_MS;

  return (
    <>
      {separator}
      <li
        className={`message-row${continued ? ' is-continued' : ''}${own ? ' is-own' : ''}${deleted ? ' is-deleted' : ''}${editing ? ' is-editing' : ''}`}
        data-testid="message"
        data-seq={message.seq}
        data-message-id={message.id}
        tabIndex={-1}
        data-own={own || undefined}
      >
        <div className="message-gutter">
          {continued ? <span className="message-hover-time">{time}</span> : <Avatar id={message.senderId} name={senderName} />}
        </div>
        <div className="message-main">
          {continued ? (
            <span className="visually-hidden">{senderName}</span>
          ) : (
            <div className="message-meta">
              <span className="message-sender">{senderName}</span>
              <span className="message-time">{time}</span>
            </div>
          )}
          {editing && !deleted ? (
            <MessageEditor message={message} />
          ) : (
            <div className="message-body">
              {deleted ? (
                <span className="message-deleted">{t('chat.deleted')}</span>
              ) : (
                <>
                  <MessageText text={message.body} />
                  {message.editedAt !== null ? (
                    <span className="message-edited" data-testid="edited" title={format.full(message.editedAt)}>
                      {' '}
                      {t('chat.edited')}
                    </span>
                  ) : null}
                </>
              )}
            </div>
          )}
          {receipt ? (
            <div className="receipt" data-testid="receipt" title={receipt.names}>
              {receipt.text}
            </div>
          ) : null}
        </div>
        {own && !deleted && !editing ? <MessageActions message={message} /> : null}
      </li>
    </>
  );
});
