import { memo } from 'react';
import type { ChatSummary } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Avatar } from '../common/Avatar.js';
import { ChatLink } from '../sidebar/ChatLink.js';

interface VisitorChatItemProps {
  chat: ChatSummary;
  name: string;
  /** For the avatar's initials. */
  avatarName: string;
  preview: string;
  unread: number;
  active: boolean;
  /** The agent was invited by a colleague (not the assignee). */
  invited: boolean;
  typing: boolean;
}

/** One visitor chat in the sidebar: a link to `#/visitors/<id>` named by the visitor. */
export const VisitorChatItem = memo(function VisitorChatItem({ chat, name, avatarName, preview, unread, active, invited, typing }: VisitorChatItemProps) {
  const { t } = useI18n();
  const closed = chat.status === 'closed';
  const left = !closed && !chat.visitor.online;
  return (
    <ChatLink
      href={`#/visitors/${chat.id}`}
      className={`visitor-item${closed ? ' is-closed' : ''}`}
      data-testid={`visitor-chat-${chat.id}`}
      data-status={chat.status}
      data-online={chat.visitor.online}
      title={name}
      active={active}
      unread={unread}
      stamp={closed ? (chat.closedAt ?? chat.createdAt) : (chat.lastMessage?.createdAt ?? chat.createdAt)}
      avatar={<Avatar id={chat.visitor.id} name={avatarName} presence={closed ? undefined : chat.visitor.online ? 'online' : 'offline'} />}
    >
      {chat.status === 'queued' ? <span className="visitor-tag visitor-tag-waiting">{t('visitors.tag.waiting')}</span> : null}
      {left ? (
        <span className="visitor-tag visitor-tag-left" data-testid="visitor-left">
          {t('visitors.tag.left')}
        </span>
      ) : null}
      {invited && !closed ? <span className="visitor-tag">{t('visitors.tag.invited')}</span> : null}
      <span className={`conversation-preview${typing ? ' is-typing' : ''}`}>{typing ? t('visitor.typingShort') : preview}</span>
    </ChatLink>
  );
});
