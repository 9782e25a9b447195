import { memo } from 'react';
import type { Conversation, PresenceStatus } from '@switchboard/protocol';
import { Avatar } from '../common/Avatar.js';
import { ChatLink } from './ChatLink.js';

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
  return (
    <ChatLink
      href={`#/c/${conversation.id}`}
      data-testid={`conversation-${conversation.id}`}
      title={title}
      active={active}
      unread={conversation.unread}
      stamp={conversation.lastMessage?.createdAt ?? conversation.updatedAt}
      avatar={<Avatar id={avatarId} name={title} presence={presence} group={conversation.kind === 'group'} />}
    >
      <span className="conversation-preview">{preview}</span>
    </ChatLink>
  );
});
