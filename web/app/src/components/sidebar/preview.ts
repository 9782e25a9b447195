import type { Conversation, User } from '@switchboard/protocol';
import type { Translate } from '../../i18n/translate.js';

/** The one-line preview under a conversation's name. */
export function previewText(conversation: Conversation, users: ReadonlyMap<string, User>, meId: string | undefined, t: Translate): string {
  const message = conversation.lastMessage;
  if (!message) return t('conversation.noMessages');
  if (message.deletedAt !== null) return t('conversation.previewDeleted');
  const text = message.body.replace(/\s+/g, ' ').trim().slice(0, 140);
  if (message.kind === 'system') return text;
  if (message.senderId === meId) return t('conversation.previewYou', { text });
  if (conversation.kind === 'group') {
    const name = users.get(message.senderId)?.displayName;
    return name ? `${name}: ${text}` : text;
  }
  return text;
}
