import { z } from 'zod';
import { ClientId, EntityId, Ref, Seq } from './ids.js';
import { ErrorBody } from './errors.js';
import { ChatBody, ChatMessage, ChatStatus, PageInfo, WidgetConfig } from './service.js';

/*
 * The visitor widget's protocol: WebSocket at /visitor (JSON text frames, one union per
 * direction). The page's Origin must be one of the site's allowed origins. A visitor is known by
 * an opaque token the server issues in `v.welcome`; the widget keeps it in localStorage (scoped to
 * the site) and presents it again in `v.hello` to resume. A token reaches only its own chat.
 */

export const VISITOR_PROTOCOL_VERSION = 1;

const vFrame = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.strictObject({ type: z.literal(type), ref: Ref.optional(), ...shape });

export const VisitorToken = z.string().regex(/^[A-Za-z0-9_-]{32,64}$/);

export const VHelloFrame = vFrame('v.hello', {
  protocol: z.number().int(),
  siteKey: z.string().min(1).max(64),
  token: VisitorToken.optional(),
  page: PageInfo,
  language: z.string().max(35).optional(),
});
/** Starts a chat (answers of the pre-chat form, if any). */
export const VStartFrame = vFrame('v.start', {
  name: z.string().trim().max(80).optional(),
  email: z.email().max(254).optional(),
  departmentId: EntityId.optional(),
  fields: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/), z.string().max(2000)).optional(),
  /** The first message, usually the pre-chat question. */
  message: ChatBody.optional(),
  clientId: ClientId.optional(),
});
export const VSendFrame = vFrame('v.send', { clientId: ClientId, body: ChatBody });
export const VTypingFrame = vFrame('v.typing', { state: z.enum(['start', 'stop']) });
export const VPageFrame = vFrame('v.page', { page: PageInfo });
export const VReadFrame = vFrame('v.read', { seq: Seq });
/** The visitor ends the chat. */
export const VCloseFrame = vFrame('v.close', {});
/** The "leave a message" form when nobody is on duty. */
export const VOfflineMessageFrame = vFrame('v.offline', {
  name: z.string().trim().min(1).max(80),
  email: z.email().max(254),
  message: ChatBody,
  departmentId: EntityId.optional(),
});
export const VPingFrame = vFrame('v.ping', {});

export const VisitorClientFrame = z.discriminatedUnion('type', [
  VHelloFrame,
  VStartFrame,
  VSendFrame,
  VTypingFrame,
  VPageFrame,
  VReadFrame,
  VCloseFrame,
  VOfflineMessageFrame,
  VPingFrame,
]);
export type VisitorClientFrame = z.infer<typeof VisitorClientFrame>;
export const VISITOR_CLIENT_FRAME_TYPES: readonly string[] = VisitorClientFrame.options.map((option) => option.shape.type.value);

const vServerFrame = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) => z.object({ type: z.literal(type), ...shape });

/** What the visitor sees of their chat: never internal notes, never other agents' ids. */
export const VisitorChatView = z.object({
  id: EntityId,
  status: ChatStatus,
  /** 1-based place in the queue while status is queued. */
  queuePosition: z.number().int().positive().nullable(),
  agentName: z.string().nullable(),
  /** True once the chat was ended by either side. */
  closed: z.boolean(),
});
export type VisitorChatView = z.infer<typeof VisitorChatView>;

export const VWelcomeFrame = vServerFrame('v.welcome', {
  ref: Ref.optional(),
  protocol: z.number(),
  token: VisitorToken,
  config: WidgetConfig,
  chat: VisitorChatView.nullable(),
  messages: z.array(ChatMessage),
});
export const VChatFrame = vServerFrame('v.chat', { chat: VisitorChatView });
export const VMessageFrame = vServerFrame('v.message', { message: ChatMessage });
export const VTypingEventFrame = vServerFrame('v.typing', { state: z.enum(['start', 'stop']) });
export const VAckFrame = vServerFrame('v.ack', { ref: Ref.optional(), clientId: ClientId, messageId: EntityId, seq: Seq });
export const VOkFrame = vServerFrame('v.ok', { ref: Ref.optional() });
export const VErrorFrame = vServerFrame('v.error', { ref: Ref.optional(), error: ErrorBody });
export const VPongFrame = vServerFrame('v.pong', { ref: Ref.optional() });

export const VisitorServerFrame = z.discriminatedUnion('type', [VWelcomeFrame, VChatFrame, VMessageFrame, VTypingEventFrame, VAckFrame, VOkFrame, VErrorFrame, VPongFrame]);
export type VisitorServerFrame = z.infer<typeof VisitorServerFrame>;

/** Body of POST /api/visitor/leave, sent with navigator.sendBeacon on pagehide. */
export const VisitorLeaveRequest = z.strictObject({ siteKey: z.string().min(1).max(64), token: VisitorToken });
