import type { Conversation, Message, PresenceStatus, User } from '@switchboard/protocol';
import type { AppState } from './types.js';

/** Conversations, most recent activity first. */
export function sortConversations(conversations: ReadonlyMap<string, Conversation>): Conversation[] {
  return [...conversations.values()].sort((a, b) => activity(b) - activity(a) || a.id.localeCompare(b.id));
}

export function activity(conversation: Conversation): number {
  return Math.max(conversation.updatedAt, conversation.lastMessage?.createdAt ?? 0, conversation.createdAt);
}

export function totalUnread(conversations: ReadonlyMap<string, Conversation>): number {
  let total = 0;
  for (const conversation of conversations.values()) total += conversation.unread;
  return total;
}

/** The other member of a direct chat (or yourself, in a chat with yourself). */
export function directPartnerId(conversation: Conversation, meId: string | undefined): string | undefined {
  const other = conversation.members.find((member) => member.userId !== meId);
  return (other ?? conversation.members[0])?.userId;
}

export function findDirectWith(conversations: ReadonlyMap<string, Conversation>, meId: string, userId: string): Conversation | undefined {
  for (const conversation of conversations.values()) {
    if (conversation.kind !== 'direct') continue;
    const ids = conversation.members.map((member) => member.userId);
    if (userId === meId ? ids.every((id) => id === meId) : ids.includes(userId) && ids.includes(meId)) return conversation;
  }
  return undefined;
}

export function presenceOf(state: AppState, userId: string | undefined): PresenceStatus {
  return (userId && state.presence.get(userId)) || 'offline';
}

export function displayName(users: ReadonlyMap<string, User>, userId: string | undefined, fallback: string): string {
  return (userId && users.get(userId)?.displayName) || fallback;
}

export function isOwn(message: Message, meId: string | undefined): boolean {
  return message.senderId === meId;
}

/** The name to show for a conversation: the group title, or the other person in a direct chat. */
export function conversationTitle(
  conversation: Conversation,
  users: ReadonlyMap<string, User>,
  meId: string | undefined,
  fallbacks: { untitled: string; unknownUser: string },
): string {
  if (conversation.kind === 'group') return conversation.title?.trim() || fallbacks.untitled;
  return displayName(users, directPartnerId(conversation, meId), fallbacks.unknownUser);
}
