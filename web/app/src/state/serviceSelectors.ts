import type { ChatMessage, ChatSummary, VisitorInfo } from '@switchboard/protocol';
import type { Translate } from '../i18n/translate.js';
import type { ServiceState, VisitorChat, VisitorTimeline } from './types.js';

/** Closed chats kept in the sidebar's "Recent" list. */
export const RECENT_LIMIT = 8;

/** The visitor's name, or "Visitor #1a2b" from their id. Always rendered as text. */
export function visitorLabel(visitor: VisitorInfo, t: Translate): string {
  const name = visitor.name?.replace(/\s+/g, ' ').trim();
  return name || t('visitor.anonymous', { id: visitor.id.replace(/-/g, '').slice(0, 4) });
}

/**
 * Visitor messages waiting for this agent: those after the last agent reply (or note) that the agent
 * has not looked at on this device. Counted in the loaded history; before it loads, one if the
 * chat's last message is an unseen visitor message. (A reply by anyone means the visitor was
 * answered, so another device of the agent, or a colleague, having answered counts as seen.)
 */
export function unreadOf(chat: ChatSummary, timeline: VisitorTimeline | undefined, readSeq: number): number {
  if (chat.lastSeq <= readSeq) return 0;
  const messages = timeline?.messages ?? [];
  let count = 0;
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index] as ChatMessage;
    if (message.seq <= readSeq || message.author === 'agent' || message.author === 'note') break;
    if (message.author === 'visitor') count += 1;
  }
  if (count === 0 && timeline?.status !== 'ready' && chat.lastMessage?.author === 'visitor' && chat.lastMessage.seq > readSeq) return 1;
  return count;
}

/** Open chats the agent is in: waiting ones first (oldest first), then by latest activity. */
export function openChats(service: ServiceState): VisitorChat[] {
  return [...service.chats.values()]
    .filter((entry) => entry.listed && entry.chat.status !== 'closed')
    .sort((a, b) => {
      const queuedA = a.chat.status === 'queued' ? 0 : 1;
      const queuedB = b.chat.status === 'queued' ? 0 : 1;
      if (queuedA !== queuedB) return queuedA - queuedB;
      if (queuedA === 0) return a.chat.createdAt - b.chat.createdAt;
      return chatActivity(b.chat) - chatActivity(a.chat) || a.chat.id.localeCompare(b.chat.id);
    });
}

/** Closed chats the agent was in, newest first, at most RECENT_LIMIT. */
export function recentChats(service: ServiceState): VisitorChat[] {
  return [...service.chats.values()]
    .filter((entry) => entry.listed && entry.chat.status === 'closed')
    .sort((a, b) => (b.chat.closedAt ?? 0) - (a.chat.closedAt ?? 0))
    .slice(0, RECENT_LIMIT);
}

export function chatActivity(chat: ChatSummary): number {
  return Math.max(chat.lastMessage?.createdAt ?? 0, chat.assignedAt ?? 0, chat.createdAt);
}

export function chatUnread(service: ServiceState, chatId: string): number {
  const entry = service.chats.get(chatId);
  if (!entry) return 0;
  return unreadOf(entry.chat, service.timelines.get(chatId), service.readSeq.get(chatId) ?? 0);
}

/** Unseen visitor messages over the agent's open chats (for the tab title and the ringing). */
export function totalVisitorUnread(service: ServiceState): number {
  let total = 0;
  for (const entry of service.chats.values()) {
    if (!entry.listed || entry.chat.status === 'closed') continue;
    total += unreadOf(entry.chat, service.timelines.get(entry.chat.id), service.readSeq.get(entry.chat.id) ?? 0);
  }
  return total;
}

/** Whether the signed-in agent takes part in the chat (may write in it). */
export function isInChat(chat: ChatSummary, meId: string | undefined): boolean {
  return meId !== undefined && chat.status !== 'closed' && chat.agentIds.includes(meId);
}
