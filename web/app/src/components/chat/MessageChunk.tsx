import { memo } from 'react';
import type { Message, User } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { MessageRow, type Receipt } from './MessageRow.js';

interface MessageChunkProps {
  items: readonly Message[];
  /** The last message of the chunk before, for the first row's separator and grouping. */
  before: Message | undefined;
  meId: string | undefined;
  users: ReadonlyMap<string, User>;
  /** Only the chunk holding the message gets these; the others get null and stay memoised. */
  editingId: string | null;
  receiptSeq: number | null;
  receipt: Receipt | null;
}

/** A run of loaded messages. Memoised: a new message or an older page re-renders one chunk only. */
export const MessageChunk = memo(function MessageChunk({ items, before, meId, users, editingId, receiptSeq, receipt }: MessageChunkProps) {
  const { t } = useI18n();
  const unknown = t('conversation.unknownUser');
  return (
    <>
      {items.map((message, index) => (
        <MessageRow
          key={message.id}
          message={message}
          prev={index === 0 ? before : items[index - 1]}
          own={message.senderId === meId}
          senderName={users.get(message.senderId)?.displayName ?? unknown}
          editing={message.id === editingId}
          receipt={message.seq === receiptSeq ? receipt : null}
        />
      ))}
    </>
  );
});
