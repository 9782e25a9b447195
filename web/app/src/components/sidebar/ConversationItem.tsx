import { memo, useId } from 'react';
import type { Conversation, PresenceStatus } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Avatar } from '../common/Avatar.js';

interface ConversationItemProps {
  conversation: Conversation;
  title: string;
  /** The message preview line, already worded. */
  preview: string;
  active: boolean;
  /** The other person's presence, for direct chats. */
  presence: PresenceStatus | undefined;
  avatarId: string;
}

/** One row of the chat list: a link to `#/c/<id>` whose accessible name is the conversation title. */
export const ConversationItem = memo(function ConversationItem({ conversation, title, preview, active, presence, avatarId }: ConversationItemProps) {
  const { t, format } = useI18n();
  const describedBy = useId();
  const stamp = conversation.lastMessage?.createdAt ?? conversation.updatedAt;
  const unread = conversation.unread;
  return (
    <li>
      <a
        href={`#/c/${conversation.id}`}
        className={`conversation-item${active ? ' is-active' : ''}${unread > 0 ? ' has-unread' : ''}`}
        data-testid={`conversation-${conversation.id}`}
        data-unread={unread}
        aria-label={title}
        aria-describedby={describedBy}
        aria-current={active ? 'page' : undefined}
      >
        <Avatar id={avatarId} name={title} presence={presence} group={conversation.kind === 'group'} />
        <span className="conversation-text">
          <span className="conversation-line">
            <span className="conversation-title">{title}</span>
            <time className="conversation-time" dateTime={new Date(stamp).toISOString()}>
              {format.stamp(stamp)}
            </time>
          </span>
          <span className="conversation-line" id={describedBy}>
            <span className="conversation-preview">{preview}</span>
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
