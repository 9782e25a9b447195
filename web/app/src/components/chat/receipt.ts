import type { Conversation, Message, User } from '@switchboard/protocol';
import type { Translate } from '../../i18n/translate.js';
import type { Timeline } from '../../state/types.js';
import type { Receipt } from './MessageRow.js';

/** My latest message in the loaded timeline (scans back from the end: usually a few steps). */
function myLastMessage(timeline: Timeline, meId: string): Message | undefined {
  for (let c = timeline.chunks.length - 1; c >= 0; c -= 1) {
    const items = timeline.chunks[c]?.items ?? [];
    for (let i = items.length - 1; i >= 0; i -= 1) {
      const message = items[i];
      if (message && message.senderId === meId && message.kind === 'text' && message.deletedAt === null) return message;
    }
  }
  return undefined;
}

/**
 * The read receipt under my latest message, from the other members' lastReadSeq:
 * "Seen by Bob" in a direct chat, "Seen by 2" in a group. Null while nobody has seen it.
 */
export function receiptFor(
  timeline: Timeline,
  conversation: Conversation,
  meId: string | undefined,
  users: ReadonlyMap<string, User>,
  t: Translate,
): { seq: number; receipt: Receipt } | null {
  if (!meId) return null;
  const message = myLastMessage(timeline, meId);
  if (!message) return null;
  const seen = conversation.members.filter((member) => member.userId !== meId && member.lastReadSeq >= message.seq);
  if (seen.length === 0) return null;
  const names = seen.map((member) => users.get(member.userId)?.displayName ?? t('conversation.unknownUser')).join(', ');
  const text = conversation.kind === 'direct' ? t('receipt.seenBy', { name: names }) : t('receipt.seenByCount', { count: seen.length });
  return { seq: message.seq, receipt: { text, names } };
}
