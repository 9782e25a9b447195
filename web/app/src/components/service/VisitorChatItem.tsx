import { memo, useId } from 'react';
import type { ChatSummary } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Avatar } from '../common/Avatar.js';

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
  const { t, format } = useI18n();
  const describedBy = useId();
  const closed = chat.status === 'closed';
  const left = !closed && !chat.visitor.online;
  const stamp = closed ? (chat.closedAt ?? chat.createdAt) : (chat.lastMessage?.createdAt ?? chat.createdAt);
  return (
    <li>
      <a
        href={`#/visitors/${chat.id}`}
        className={`conversation-item visitor-item${active ? ' is-active' : ''}${unread > 0 ? ' has-unread' : ''}${closed ? ' is-closed' : ''}`}
        data-testid={`visitor-chat-${chat.id}`}
        data-status={chat.status}
        data-online={chat.visitor.online}
        data-unread={unread}
        aria-label={name}
        aria-describedby={describedBy}
        aria-current={active ? 'page' : undefined}
      >
        <Avatar id={chat.visitor.id} name={avatarName} presence={closed ? undefined : chat.visitor.online ? 'online' : 'offline'} />
        <span className="conversation-text">
          <span className="conversation-line">
            <span className="conversation-title">{name}</span>
            <time className="conversation-time" dateTime={new Date(stamp).toISOString()}>
              {format.stamp(stamp)}
            </time>
          </span>
          <span className="conversation-line" id={describedBy}>
            {chat.status === 'queued' ? <span className="visitor-tag visitor-tag-waiting">{t('visitors.tag.waiting')}</span> : null}
            {left ? (
              <span className="visitor-tag visitor-tag-left" data-testid="visitor-left">
                {t('visitors.tag.left')}
              </span>
            ) : null}
            {invited && !closed ? <span className="visitor-tag">{t('visitors.tag.invited')}</span> : null}
            <span className={`conversation-preview${typing ? ' is-typing' : ''}`}>{typing ? t('visitor.typingShort') : preview}</span>
            {unread > 0 ? (
              <span className="badge" data-testid="unread-badge" aria-label={t('sidebar.unread', { count: unread })}>
                {unread > 99 ? '99+' : unread}
              </span>
            ) : null}
          </span>
        </span>
      </a>
    </li>
  );
});
