import type { Conversation, Message, Permission, Presence, User } from '@switchboard/protocol';
import type { ConnectionStatus, OutgoingMessage } from './types.js';
import type { ServiceAction } from './serviceActions.js';

/** Everything that changes app state. Server frames map onto these one to one in net/wireEvents.ts. */
export type Action =
  | { type: 'session.started'; user: User; permissions: readonly Permission[] }
  | { type: 'session.cleared' }
  | { type: 'connection'; status: ConnectionStatus }
  | {
      type: 'welcome';
      user: User;
      permissions: readonly Permission[];
      conversations: readonly Conversation[];
      presence: readonly Presence[];
    }
  | { type: 'directory'; users: readonly User[]; presence: readonly Presence[] }
  | { type: 'user'; user: User }
  | { type: 'presence'; presence: Presence }
  | { type: 'presence.snapshot'; presence: readonly Presence[] }
  | { type: 'conversation'; conversation: Conversation }
  | { type: 'conversation.removed'; conversationId: string }
  | { type: 'message'; message: Message }
  | { type: 'messages'; messages: readonly Message[] }
  | { type: 'message.updated'; message: Message }
  | { type: 'typing'; conversationId: string; userId: string; state: 'start' | 'stop'; now: number }
  | { type: 'read'; conversationId: string; userId: string; seq: number }
  | { type: 'timeline.loading'; conversationId: string }
  | { type: 'timeline.stale'; conversationId: string }
  | { type: 'timeline.failed'; conversationId: string }
  | { type: 'timeline.newest'; conversationId: string; messages: readonly Message[]; hasMore: boolean }
  | { type: 'timeline.olderLoading'; conversationId: string }
  | { type: 'timeline.olderFailed'; conversationId: string }
  | { type: 'timeline.older'; conversationId: string; messages: readonly Message[]; hasMore: boolean }
  | { type: 'outgoing.set'; message: OutgoingMessage }
  | { type: 'outgoing.remove'; conversationId: string; clientId: string }
  | ServiceAction;
