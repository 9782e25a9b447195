import { z } from 'zod';
import { ClientId, EntityId, Seq } from './ids.js';
import { LIMITS } from './limits.js';

/*
 * Customer-service models shared by the CS system, the agent's IM client, the admin console and
 * the visitor widget. Visitor-provided text (names, emails, page URLs, messages) is untrusted:
 * every client renders it as text.
 */

/** An agent's customer-service duty (patent step c): available takes new chats, away keeps current ones. */
export const DutyStatus = z.enum(['available', 'away', 'off']);
export type DutyStatus = z.infer<typeof DutyStatus>;

export const RoutingRule = z.enum(['random', 'round_robin', 'priority', 'least_busy']);
export type RoutingRule = z.infer<typeof RoutingRule>;

export const ChatStatus = z.enum(['queued', 'assigned', 'closed']);
export type ChatStatus = z.infer<typeof ChatStatus>;

export const ChatAuthor = z.enum(['visitor', 'agent', 'system', 'note']);
export type ChatAuthor = z.infer<typeof ChatAuthor>;

export const PageInfo = z.strictObject({
  url: z.string().max(2048),
  title: z.string().max(300).default(''),
  referrer: z.string().max(2048).default(''),
});
export type PageInfo = z.infer<typeof PageInfo>;

/** What the agent sees about a visitor. */
export const VisitorInfo = z.object({
  id: EntityId,
  name: z.string().nullable(),
  email: z.string().nullable(),
  page: PageInfo.nullable(),
  userAgent: z.string().nullable(),
  language: z.string().nullable(),
  /** Pre-chat form answers beyond name/email, by field key. */
  fields: z.record(z.string(), z.string()),
  /** False once the visitor closed the page (after the grace period). */
  online: z.boolean(),
});
export type VisitorInfo = z.infer<typeof VisitorInfo>;

/**
 * What a system line says, so every client can show it in its reader's language. `params` are plain
 * text (names) filled into the client's own template; `body` keeps the English text for clients
 * that do not know the code. Codes and their params:
 * - agent_joined {agent?}: "Alice joined the chat." (also when a reply timeout re-offers the chat)
 * - agent_unavailable {agent?}: "Alice is no longer available. Connecting you to another agent…"
 * - agent_left {agent}: an invited colleague left the chat (agents only)
 * - agent_left_off_duty {agent?}: an invited colleague went off duty (agents only)
 * - agent_invited {agent, colleague}: agent invited colleague (agents only)
 * - help_requested {agent, colleague?}: agent asked a colleague for help over IM (agents only)
 * - transferred_agent {agent}, transferred_department {department}: "Transferred to …."
 * - chat_closed_by_visitor, chat_closed_by_agent {agent}
 * - chat_closed_abandoned: the system closed it, the visitor had been gone too long
 * - chat_closed_missed: the visitor left while still waiting in the queue
 * - visitor_left, visitor_returned (agents only)
 * A param marked `?` may be missing (the name was unknown); clients say "An agent" / "The agent".
 */
export const CHAT_EVENT_CODES = [
  'agent_joined',
  'agent_unavailable',
  'agent_left',
  'agent_left_off_duty',
  'agent_invited',
  'help_requested',
  'transferred_agent',
  'transferred_department',
  'chat_closed_by_visitor',
  'chat_closed_by_agent',
  'chat_closed_abandoned',
  'chat_closed_missed',
  'visitor_left',
  'visitor_returned',
] as const;
export const ChatEventCode = z.enum(CHAT_EVENT_CODES);
export type ChatEventCode = z.infer<typeof ChatEventCode>;

export const ChatEvent = z.object({
  code: ChatEventCode,
  params: z.record(z.string(), z.string()),
});
export type ChatEvent = z.infer<typeof ChatEvent>;

export const ChatMessage = z.object({
  id: EntityId,
  chatId: EntityId,
  seq: Seq,
  author: ChatAuthor,
  /** The agent who wrote an agent message or note; null for visitor and system messages. */
  agentId: EntityId.nullable(),
  /** Display name of the author as the visitor sees it (agent's name, or the visitor's). */
  authorName: z.string().nullable(),
  clientId: ClientId.nullable(),
  /** Always set: the text itself, or for system lines the English rendering of `event`. */
  body: z.string(),
  /** System lines: what happened, for localized rendering (absent on lines stored before it existed). */
  event: ChatEvent.nullable().optional(),
  createdAt: z.number(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** A visitor chat as the agent's client shows it. */
export const ChatSummary = z.object({
  id: EntityId,
  siteId: EntityId,
  departmentId: EntityId.nullable(),
  status: ChatStatus,
  visitor: VisitorInfo,
  /** Agents in the chat: the assignee first, then invited colleagues. */
  agentIds: z.array(EntityId),
  assigneeId: EntityId.nullable(),
  lastSeq: Seq,
  lastMessage: ChatMessage.nullable(),
  createdAt: z.number(),
  assignedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
  closedBy: z.enum(['agent', 'visitor', 'system']).nullable(),
});
export type ChatSummary = z.infer<typeof ChatSummary>;

export const PreChatField = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
  label: z.string().min(1).max(80),
  kind: z.enum(['text', 'email', 'textarea']),
  required: z.boolean(),
});
export type PreChatField = z.infer<typeof PreChatField>;

export const Department = z.object({ id: EntityId, name: z.string().min(1).max(80) });
export type Department = z.infer<typeof Department>;

/** Public widget settings of a site, as the widget loads them. */
export const WidgetConfig = z.object({
  siteKey: z.string(),
  name: z.string(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  greeting: z.string(),
  preChatEnabled: z.boolean(),
  preChatFields: z.array(PreChatField),
  departments: z.array(Department),
  /** True when at least one agent is on duty (available or away). */
  online: z.boolean(),
});
export type WidgetConfig = z.infer<typeof WidgetConfig>;

export const ChatBody = z
  .string()
  .max(LIMITS.maxMessageChars)
  .refine((body) => body.trim().length > 0, 'message must not be empty');
