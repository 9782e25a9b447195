import type { ChatMessage, ChatSummary, User, VisitorInfo } from '@switchboard/protocol';
import type { Translate } from '../../i18n/translate.js';
import { visitorLabel } from '../../state/serviceSelectors.js';

/** One line of text (previews, notifications). */
export function oneLine(text: string, max = 140): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
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
  const text = oneLine(message.body);
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
