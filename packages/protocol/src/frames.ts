import { z } from 'zod';
import { ClientId, EntityId, Ref, Seq } from './ids.js';
import { LIMITS } from './limits.js';
import { ErrorBody } from './errors.js';
import { Conversation, Message, MessageBody, Permission, Presence, User } from './models.js';
import { ChatBody, ChatMessage, ChatSummary, DutyStatus } from './service.js';

/*
 * WebSocket frames: JSON text, one tagged union per direction, discriminated on `type`.
 * Client frames are strict: an unknown field is a bad_frame, so typos fail loudly.
 * A frame may carry `ref`; the server's answer (ack, ok, error, …) echoes it.
 */

const clientFrame = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.strictObject({ type: z.literal(type), ref: Ref.optional(), ...shape });

export const HelloFrame = clientFrame('hello', { protocol: z.number().int() });
export const SyncCursor = z.strictObject({ conversationId: EntityId, afterSeq: Seq });
export const SyncFrame = clientFrame('sync', {
  cursors: z.array(SyncCursor).max(1000),
  limit: z.number().int().min(1).max(LIMITS.maxPageSize).optional(),
});
export const SendFrame = clientFrame('send', {
  conversationId: EntityId,
  clientId: ClientId,
  body: MessageBody,
});
export const EditFrame = clientFrame('edit', { conversationId: EntityId, messageId: EntityId, body: MessageBody });
export const DeleteFrame = clientFrame('delete', { conversationId: EntityId, messageId: EntityId });
export const TypingFrame = clientFrame('typing', {
  conversationId: EntityId,
  state: z.enum(['start', 'stop']),
});
export const ReadFrame = clientFrame('read', { conversationId: EntityId, seq: Seq });
export const PresenceSetFrame = clientFrame('presence.set', { status: z.enum(['online', 'away']) });
export const PingFrame = clientFrame('ping', {});
/**
 * Live presence for these users besides your contacts (members of your conversations), e.g. the
 * directory rows on screen. Replaces the previous subscription; an empty list ends it. Answered
 * with `presence.snapshot` for the listed users.
 */
export const PresenceSubscribeFrame = clientFrame('presence.subscribe', {
  userIds: z.array(EntityId).max(LIMITS.maxPresenceSubscriptions),
});

/*
 * Agent frames (customer service inside the IM client). The IM server relays them to the CS
 * system over the bus; the CS system's answers come back the same way (patent steps c-f).
 */
/** Go on duty (the answer "yes" to "Enable online customer service now?"), step away, or go off duty. */
export const DutySetFrame = clientFrame('duty.set', { status: DutyStatus });
export const VisitorSendFrame = clientFrame('visitor.send', { chatId: EntityId, clientId: ClientId, body: ChatBody });
/** An internal note in a visitor chat: agents see it, the visitor never does. */
export const VisitorNoteFrame = clientFrame('visitor.note', { chatId: EntityId, clientId: ClientId, body: ChatBody });
export const VisitorTypingFrame = clientFrame('visitor.typing', { chatId: EntityId, state: z.enum(['start', 'stop']) });
export const VisitorCloseFrame = clientFrame('visitor.close', { chatId: EntityId });
/** Hand the chat to another agent, or back to routing within a department. */
export const VisitorTransferFrame = clientFrame('visitor.transfer', {
  chatId: EntityId,
  to: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('agent'), agentId: EntityId }),
    z.strictObject({ kind: z.literal('department'), departmentId: EntityId }),
  ]),
});
/** Bring a colleague into the chat beside the assignee. */
export const VisitorInviteFrame = clientFrame('visitor.invite', { chatId: EntityId, agentId: EntityId });

export const ClientFrame = z.discriminatedUnion('type', [
  HelloFrame,
  SyncFrame,
  SendFrame,
  EditFrame,
  DeleteFrame,
  TypingFrame,
  ReadFrame,
  PresenceSetFrame,
  PingFrame,
  PresenceSubscribeFrame,
  DutySetFrame,
  VisitorSendFrame,
  VisitorNoteFrame,
  VisitorTypingFrame,
  VisitorCloseFrame,
  VisitorTransferFrame,
  VisitorInviteFrame,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type ClientFrameType = ClientFrame['type'];
export const CLIENT_FRAME_TYPES: readonly string[] = ClientFrame.options.map((option) => option.shape.type.value);

const serverFrame = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.object({ type: z.literal(type), ...shape });

export const WelcomeFrame = serverFrame('welcome', {
  ref: Ref.optional(),
  protocol: z.number(),
  user: User,
  permissions: z.array(Permission),
  conversations: z.array(Conversation),
  /** Your contacts' presence (members of your conversations) and your own; others on request (`presence.subscribe`). */
  presence: z.array(Presence),
  serverTime: z.number(),
});
/** The answer to `send`, sent only after the message is committed. */
export const AckFrame = serverFrame('ack', {
  ref: Ref.optional(),
  clientId: ClientId,
  conversationId: EntityId,
  messageId: EntityId,
  seq: Seq,
  createdAt: z.number(),
});
export const OkFrame = serverFrame('ok', { ref: Ref.optional() });
export const ErrorFrame = serverFrame('error', { ref: Ref.optional(), error: ErrorBody });
export const MessageFrame = serverFrame('message', { message: Message });
export const MessageUpdatedFrame = serverFrame('message.updated', { message: Message });
export const TypingEventFrame = serverFrame('typing', {
  conversationId: EntityId,
  userId: EntityId,
  state: z.enum(['start', 'stop']),
});
export const ReadEventFrame = serverFrame('read', { conversationId: EntityId, userId: EntityId, seq: Seq });
export const PresenceFrame = serverFrame('presence', { presence: Presence });
/** The answer to `presence.subscribe`: the current presence of the subscribed users. */
export const PresenceSnapshotFrame = serverFrame('presence.snapshot', { ref: Ref.optional(), presence: z.array(Presence) });
/** A conversation the user belongs to was created or changed (title, members). */
export const ConversationFrame = serverFrame('conversation', { conversation: Conversation });
/** The user is no longer a member (left or removed). */
export const ConversationRemovedFrame = serverFrame('conversation.removed', { conversationId: EntityId });
export const SyncBatchFrame = serverFrame('sync.batch', {
  ref: Ref.optional(),
  conversationId: EntityId,
  messages: z.array(Message),
  /** More messages follow after the last one here; ask again from its seq. */
  hasMore: z.boolean(),
});
export const SyncDoneFrame = serverFrame('sync.done', { ref: Ref.optional() });
export const PongFrame = serverFrame('pong', { ref: Ref.optional(), serverTime: z.number() });
/** The session ended (logout, disabled account, password change); the socket closes next. */
export const SessionEndedFrame = serverFrame('session.ended', { reason: z.string() });
export const UserUpdatedFrame = serverFrame('user', { user: User });

/** The agent's duty as the CS system recorded it (sent after duty.set, on welcome, and when it changes). */
export const DutyFrame = serverFrame('duty', { status: DutyStatus, reason: z.string().optional() });
/** A visitor chat this agent is in was assigned, changed (visitor left, page, transfer) or closed. */
export const VisitorChatFrame = serverFrame('visitor.chat', { chat: ChatSummary });
/** The agent is no longer in this chat (transferred to someone else, re-routed). */
export const VisitorChatRemovedFrame = serverFrame('visitor.chat.removed', { chatId: EntityId, reason: z.string() });
export const VisitorMessageFrame = serverFrame('visitor.message', { message: ChatMessage });
export const VisitorTypingEventFrame = serverFrame('visitor.typing', { chatId: EntityId, state: z.enum(['start', 'stop']) });
/** The answer to visitor.send / visitor.note, after the CS system committed the message. */
export const VisitorAckFrame = serverFrame('visitor.ack', { ref: Ref.optional(), chatId: EntityId, clientId: ClientId, messageId: EntityId, seq: Seq });

export const ServerFrame = z.discriminatedUnion('type', [
  WelcomeFrame,
  AckFrame,
  OkFrame,
  ErrorFrame,
  MessageFrame,
  MessageUpdatedFrame,
  TypingEventFrame,
  ReadEventFrame,
  PresenceFrame,
  PresenceSnapshotFrame,
  ConversationFrame,
  ConversationRemovedFrame,
  SyncBatchFrame,
  SyncDoneFrame,
  PongFrame,
  SessionEndedFrame,
  UserUpdatedFrame,
  DutyFrame,
  VisitorChatFrame,
  VisitorChatRemovedFrame,
  VisitorMessageFrame,
  VisitorTypingEventFrame,
  VisitorAckFrame,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
export type ServerFrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** WebSocket close codes the server uses besides the standard ones. */
export const CLOSE_CODES = {
  /** 1008 policy violation: bad origin, rate limit exceeded. */
  policy: 1008,
  /** 1009 message too big. */
  tooBig: 1009,
  /** 1012 service restart: the server is shutting down; reconnect with backoff. */
  restart: 1012,
  unsupportedVersion: 4000,
  unauthorized: 4001,
  sessionEnded: 4002,
} as const;
