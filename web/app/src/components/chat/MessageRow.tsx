import { memo } from 'react';
import type { Message } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { DaySeparator, GROUP_GAP_MS, MessageFrame, MessageTime, startsNewDay } from '../history/MessageFrame.js';
import { MessageActions } from './MessageActions.js';
import { MessageEditor } from './MessageEditor.js';
import { MessageText } from './MessageText.js';

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

export const MessageRow = memo(function MessageRow({ message, prev, own, senderName, editing, receipt }: MessageRowProps) {
  const { t, format } = useI18n();
  const newDay = startsNewDay(prev, message.createdAt);
  const separator = newDay ? <DaySeparator at={message.createdAt} /> : null;
  const time = <MessageTime at={message.createdAt} />;

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
      <MessageFrame
        className={`message-row${continued ? ' is-continued' : ''}${own ? ' is-own' : ''}${deleted ? ' is-deleted' : ''}${editing ? ' is-editing' : ''}`}
        data-testid="message"
        data-seq={message.seq}
        data-message-id={message.id}
        tabIndex={-1}
        data-own={own || undefined}
        header={continued ? 'continued' : 'full'}
        avatar={{ id: message.senderId, name: senderName }}
        sender={senderName}
        time={time}
        trailing={own && !deleted && !editing ? <MessageActions message={message} /> : null}
      >
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
      </MessageFrame>
    </>
  );
});
