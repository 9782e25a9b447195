import { z } from 'zod';
import { EntityId } from './ids.js';
import { LIMITS } from './limits.js';
import { ChatBody, ChatMessage, ChatSummary, Department, DutyStatus, PageInfo, PreChatField, RoutingRule } from './service.js';
import { VisitorToken } from './visitor.js';

/*
 * HTTP API of the customer-service system (docs/protocol.md, "Customer service").
 * - /api/visitor/*        public, for the widget (no cookies; CORS for the site's allowed origins)
 * - /api/service/*        agents (permission cs.agent): chats, history, transcripts, ask a colleague
 * - /api/admin/service/*  admins (permission admin.service): routing, agents, departments, sites,
 *                         offline messages, reports
 * Errors answer with { error: ErrorBody } like the rest of /api.
 */

// ---------- visitor (public) ----------

/** GET /api/visitor/sites/:siteKey/config answers { config: WidgetConfig }. */
export const SiteKey = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** POST /api/visitor/offline: the "leave a message" form over HTTP (the widget may also send `v.offline`). */
export const VisitorOfflineRequest = z.strictObject({
  siteKey: SiteKey,
  token: VisitorToken.optional(),
  name: z.string().trim().min(1).max(80),
  email: z.email().max(254),
  message: ChatBody,
  departmentId: EntityId.optional(),
  page: PageInfo.optional(),
});
export type VisitorOfflineRequest = z.infer<typeof VisitorOfflineRequest>;
export const VisitorOfflineResponse = z.object({ id: EntityId });

// ---------- agents ----------

export const ChatsResponse = z.object({ chats: z.array(ChatSummary) });
export type ChatsResponse = z.infer<typeof ChatsResponse>;
export const ChatResponse = z.object({ chat: ChatSummary });
export type ChatResponse = z.infer<typeof ChatResponse>;

/** GET /api/service/chats/:id/messages?before=&limit= — agents see every message, notes included. */
export const ChatHistoryQuery = z.strictObject({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.maxPageSize).default(50),
});
export const ChatHistoryResponse = z.object({ messages: z.array(ChatMessage), hasMore: z.boolean() });
export type ChatHistoryResponse = z.infer<typeof ChatHistoryResponse>;

/** GET /api/service/transcripts?q=&before=&limit= — newest first; `before` is a createdAt cursor. */
export const TranscriptsQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  status: z.enum(['closed', 'all']).default('closed'),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export const TranscriptsResponse = z.object({ chats: z.array(ChatSummary), hasMore: z.boolean() });
export type TranscriptsResponse = z.infer<typeof TranscriptsResponse>;

/** POST /api/service/chats/:id/ask — posts a help request with a link to the chat in the IM direct chat with a colleague. */
export const AskColleagueRequest = z.strictObject({ userId: EntityId, note: z.string().trim().max(1000).optional() });
export type AskColleagueRequest = z.infer<typeof AskColleagueRequest>;
export const AskColleagueResponse = z.object({ conversationId: EntityId, messageId: EntityId });
export type AskColleagueResponse = z.infer<typeof AskColleagueResponse>;

/** An agent as colleagues and admins see them. */
export const ServiceAgent = z.object({
  userId: EntityId,
  username: z.string(),
  displayName: z.string(),
  dutyStatus: DutyStatus,
  priority: z.number().int(),
  maxChats: z.number().int(),
  activeChats: z.number().int(),
  departmentIds: z.array(EntityId),
});
export type ServiceAgent = z.infer<typeof ServiceAgent>;
export const ServiceAgentsResponse = z.object({ agents: z.array(ServiceAgent) });
export type ServiceAgentsResponse = z.infer<typeof ServiceAgentsResponse>;
export const DepartmentsResponse = z.object({ departments: z.array(Department) });
export type DepartmentsResponse = z.infer<typeof DepartmentsResponse>;

// ---------- admin ----------

export const ServiceSettings = z.object({
  routingRule: RoutingRule,
  /** Seconds an assigned agent has to send the first reply before the chat is offered to the next agent; 0 = never. */
  replyTimeoutSeconds: z.number(),
});
export type ServiceSettings = z.infer<typeof ServiceSettings>;
export const ServiceSettingsResponse = z.object({ settings: ServiceSettings });
export const UpdateServiceSettingsRequest = z.strictObject({
  routingRule: RoutingRule.optional(),
  replyTimeoutSeconds: z.number().min(0).max(3600).optional(),
});
export type UpdateServiceSettingsRequest = z.infer<typeof UpdateServiceSettingsRequest>;

export const UpdateServiceAgentRequest = z.strictObject({
  priority: z.number().int().min(-1000).max(1000).optional(),
  maxChats: z.number().int().min(0).max(100).optional(),
  departmentIds: z.array(EntityId).max(100).optional(),
});
export type UpdateServiceAgentRequest = z.infer<typeof UpdateServiceAgentRequest>;
export const ServiceAgentResponse = z.object({ agent: ServiceAgent });

export const DepartmentRequest = z.strictObject({ name: z.string().trim().min(1).max(80) });
export type DepartmentRequest = z.infer<typeof DepartmentRequest>;
export const DepartmentResponse = z.object({ department: Department });

/** An allowed widget origin: "self" (the server's own origin) or a scheme://host[:port] origin. */
export const AllowedOrigin = z
  .string()
  .max(255)
  .refine((value) => value === 'self' || isOrigin(value), 'must be "self" or an origin like https://www.example.com');

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export const Site = z.object({
  id: EntityId,
  siteKey: z.string(),
  name: z.string(),
  allowedOrigins: z.array(z.string()),
  color: z.string(),
  greeting: z.string(),
  preChatEnabled: z.boolean(),
  preChatFields: z.array(PreChatField),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Site = z.infer<typeof Site>;
export const SitesResponse = z.object({ sites: z.array(Site) });
export const SiteResponse = z.object({ site: Site });

const SiteFields = {
  name: z.string().trim().min(1).max(80),
  allowedOrigins: z.array(AllowedOrigin).max(50),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  greeting: z.string().max(500),
  preChatEnabled: z.boolean(),
  preChatFields: z.array(PreChatField).max(20),
};
export const CreateSiteRequest = z.strictObject({
  ...SiteFields,
  /** Generated when omitted. */
  siteKey: SiteKey.optional(),
  color: SiteFields.color.optional(),
  greeting: SiteFields.greeting.optional(),
  preChatEnabled: SiteFields.preChatEnabled.optional(),
  preChatFields: SiteFields.preChatFields.optional(),
});
export type CreateSiteRequest = z.infer<typeof CreateSiteRequest>;
export const UpdateSiteRequest = z.strictObject({
  /** Changing the key breaks pages that embed the old one. */
  siteKey: SiteKey.optional(),
  name: SiteFields.name.optional(),
  allowedOrigins: SiteFields.allowedOrigins.optional(),
  color: SiteFields.color.optional(),
  greeting: SiteFields.greeting.optional(),
  preChatEnabled: SiteFields.preChatEnabled.optional(),
  preChatFields: SiteFields.preChatFields.optional(),
});
export type UpdateSiteRequest = z.infer<typeof UpdateSiteRequest>;

export const OfflineMessage = z.object({
  id: EntityId,
  siteId: EntityId,
  departmentId: EntityId.nullable(),
  visitorId: EntityId.nullable(),
  name: z.string(),
  email: z.string(),
  message: z.string(),
  pageUrl: z.string().nullable(),
  createdAt: z.number(),
  handledAt: z.number().nullable(),
  handledBy: EntityId.nullable(),
});
export type OfflineMessage = z.infer<typeof OfflineMessage>;
/** GET /api/admin/service/offline?status=open|handled|all&before=&limit= — newest first. */
export const OfflineMessagesQuery = z.strictObject({
  status: z.enum(['open', 'handled', 'all']).default('open'),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const OfflineMessagesResponse = z.object({ messages: z.array(OfflineMessage), hasMore: z.boolean() });
export type OfflineMessagesResponse = z.infer<typeof OfflineMessagesResponse>;
/** PATCH /api/admin/service/offline/:id */
export const UpdateOfflineMessageRequest = z.strictObject({ handled: z.boolean() });
export const OfflineMessageResponse = z.object({ message: OfflineMessage });

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** GET /api/admin/service/reports?from=YYYY-MM-DD&to=YYYY-MM-DD&tzOffsetMinutes= (days inclusive; default the last 7 days, UTC). */
export const ReportQuery = z.strictObject({
  from: Day.optional(),
  to: Day.optional(),
  /** Minutes to add to UTC for the local day boundaries (e.g. 480 for UTC+8). */
  tzOffsetMinutes: z.coerce.number().int().min(-840).max(840).default(0),
});
export type ReportQuery = z.infer<typeof ReportQuery>;
const ReportNumbers = {
  /** Chats started. */
  chats: z.number().int(),
  /** Chats that ended without ever reaching an agent (the visitor gave up or left while queued). */
  missed: z.number().int(),
  /** "Leave a message" forms received. */
  offlineMessages: z.number().int(),
  /** Mean time from the start of a chat to the first agent reply, ms; null without data. */
  avgFirstResponseMs: z.number().nullable(),
  /** Mean time from the start of a chat to its first assignment, ms; null without data. */
  avgWaitMs: z.number().nullable(),
};
export const ServiceReport = z.object({
  from: Day,
  to: Day,
  totals: z.object(ReportNumbers),
  days: z.array(z.object({ day: Day, ...ReportNumbers })),
  agents: z.array(
    z.object({
      agentId: EntityId,
      displayName: z.string(),
      /** Chats this agent was (last) assigned. */
      chats: z.number().int(),
      avgFirstResponseMs: z.number().nullable(),
    }),
  ),
});
export type ServiceReport = z.infer<typeof ServiceReport>;
export const ServiceReportResponse = z.object({ report: ServiceReport });
