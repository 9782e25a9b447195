import type { ChatMessage, ChatSummary, User, VisitorInfo } from '@switchboard/protocol';
import { en } from '../../i18n/en.js';
import type { Translate } from '../../i18n/translate.js';
import { visitorLabel } from '../../state/serviceSelectors.js';

/** One line of text (previews, notifications). */
export function oneLine(text: string, max = 140): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}

/**
 * What a message says, in the agent's language: a system line from its event (code and params, the
 * params plain names), else — a line from before events, or a code this client does not know — its
 * English body; every other message its body.
 */
export function messageText(message: ChatMessage, t: Translate): string {
  const event = message.author === 'system' ? message.event : null;
  if (!event) return message.body;
  const key = `visitor.event.${event.code}` as const;
  if (!(key in en)) return message.body;
  return t(key, { agent: t('visitor.agent'), ...event.params });
}

/** Who wrote a visitor-chat message, as the agent sees it. */
export function authorOf(message: ChatMessage, chat: ChatSummary, users: ReadonlyMap<string, User>, t: Translate): string {
  if (message.author === 'visitor') return visitorLabel(chat.visitor, t);
  if (message.author === 'system') return t('visitor.system');
  return (message.agentId ? users.get(message.agentId)?.displayName : undefined) ?? message.authorName ?? t('visitor.agent');
}

/** The name an avatar takes its initials from: the visitor's name, or "Visitor" ("V"). */
export function visitorAvatarName(visitor: VisitorInfo, t: Translate): string {
  return visitor.name?.trim() || t('visitor.tag');
}

/**
 * The preview line under a visitor chat in the sidebar: the latest thing someone wrote (system
 * lines such as "Alice joined the chat" only when nobody wrote anything yet).
 */
export function visitorPreview(chat: ChatSummary, messages: readonly ChatMessage[] | undefined, users: ReadonlyMap<string, User>, meId: string | undefined, t: Translate): string {
  let message = chat.lastMessage;
  if (message?.author === 'system' && messages) {
    for (let index = messages.length - 1; index >= 0; index -= 1) {
      const candidate = messages[index] as ChatMessage;
      if (candidate.author !== 'system') {
        message = candidate;
        break;
      }
    }
  }
  if (!message) return chat.status === 'queued' ? t('visitors.waiting') : t('conversation.noMessages');
  const text = oneLine(messageText(message, t));
  switch (message.author) {
    case 'visitor':
    case 'system':
      return text;
    case 'note':
      return t('visitors.previewNote', { text });
    case 'agent':
      return message.agentId === meId ? t('conversation.previewYou', { text }) : `${authorOf(message, chat, users, t)}: ${text}`;
  }
}
