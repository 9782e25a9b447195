import { z } from 'zod';
import { EntityId, Seq } from './ids.js';
import { LIMITS } from './limits.js';
import { Conversation, DisplayName, Message, Password, Permission, Presence, Role, User, Username } from './models.js';

/*
 * HTTP API under /api. Requests are JSON; errors answer with { error: ErrorBody }.
 * Cookie-authenticated writes must come from an allowed Origin (CSRF); API clients may instead send
 * `Authorization: Bearer <token>` with the token from the login answer.
 */

export const LoginRequest = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export const LoginResponse = z.object({
  user: User,
  permissions: z.array(Permission),
  /** Bearer token for non-browser clients; browsers use the httpOnly cookie set with it. */
  token: z.string(),
  expiresAt: z.number(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z.object({ user: User, permissions: z.array(Permission) });
export type MeResponse = z.infer<typeof MeResponse>;

export const ChangePasswordRequest = z.strictObject({ currentPassword: z.string().max(256), newPassword: Password });

export const DirectoryEntry = z.object({ user: User, presence: Presence });
export const DirectoryResponse = z.object({ users: z.array(DirectoryEntry) });
export type DirectoryResponse = z.infer<typeof DirectoryResponse>;

export const CreateConversationRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('direct'), userId: EntityId }),
  z.strictObject({
    kind: z.literal('group'),
    title: z.string().trim().min(1).max(LIMITS.maxTitleChars),
    memberIds: z.array(EntityId).max(LIMITS.maxGroupMembers),
  }),
]);
export type CreateConversationRequest = z.infer<typeof CreateConversationRequest>;
export const ConversationResponse = z.object({ conversation: Conversation });
export const ConversationsResponse = z.object({ conversations: z.array(Conversation) });
export const RenameConversationRequest = z.strictObject({ title: z.string().trim().min(1).max(LIMITS.maxTitleChars) });
export const AddMembersRequest = z.strictObject({ userIds: z.array(EntityId).min(1).max(LIMITS.maxGroupMembers) });

export const HistoryQuery = z.strictObject({
  /** Messages with seq strictly below this; omit for the newest page. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.maxPageSize).default(50),
});
export const HistoryResponse = z.object({ messages: z.array(Message), hasMore: z.boolean() });
export type HistoryResponse = z.infer<typeof HistoryResponse>;

export const CreateUserRequest = z.strictObject({
  username: Username,
  displayName: DisplayName,
  password: Password,
  roles: z.array(Role).min(1),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;
export const UpdateUserRequest = z.strictObject({
  displayName: DisplayName.optional(),
  roles: z.array(Role).min(1).optional(),
  disabled: z.boolean().optional(),
  password: Password.optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;
export const UserResponse = z.object({ user: User });
export const UsersResponse = z.object({ users: z.array(User) });

export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  store: z.enum(['ok', 'down']),
  bus: z.enum(['ok', 'down']),
  node: z.string(),
  connections: z.number(),
});

export { Seq };
