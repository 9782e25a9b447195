import { z } from 'zod';
import { EntityId, ClientId, Seq } from './ids.js';
import { LIMITS } from './limits.js';

export const Role = z.enum(['admin', 'agent', 'employee']);
export type Role = z.infer<typeof Role>;

/**
 * What a user may do. Returned with the login answer (patent step b); the client checks
 * `cs.agent` to ask whether to go on customer-service duty (step c).
 */
export const Permission = z.enum(['im.chat', 'cs.agent', 'admin.users', 'admin.service']);
export type Permission = z.infer<typeof Permission>;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  employee: ['im.chat'],
  agent: ['im.chat', 'cs.agent'],
  admin: ['im.chat', 'admin.users', 'admin.service'],
};

/** The union of the permissions every role grants. */
export function permissionsFor(roles: readonly Role[]): Permission[] {
  const granted = new Set<Permission>();
  for (const role of roles) for (const permission of ROLE_PERMISSIONS[role]) granted.add(permission);
  return Permission.options.filter((permission) => granted.has(permission));
}

export const PresenceStatus = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatus>;

export const Presence = z.object({
  userId: EntityId,
  status: PresenceStatus,
  /** When the user was last connected, epoch ms; null if never. */
  lastSeenAt: z.number().nullable(),
});
export type Presence = z.infer<typeof Presence>;

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,32}$/, 'username must be 2-32 characters of a-z 0-9 . _ -');

export const DisplayName = z.string().trim().min(1).max(LIMITS.maxDisplayNameChars);

export const Password = z.string().min(10, 'password must have at least 10 characters').max(256);

export const User = z.object({
  id: EntityId,
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  disabled: z.boolean(),
});
export type User = z.infer<typeof User>;

export const MessageKind = z.enum(['text', 'system']);
export type MessageKind = z.infer<typeof MessageKind>;

export const MessageBody = z
  .string()
  .max(LIMITS.maxMessageChars)
  .refine((body) => body.trim().length > 0, 'message must not be empty');

export const Message = z.object({
  id: EntityId,
  conversationId: EntityId,
  seq: Seq,
  senderId: EntityId,
  clientId: ClientId,
  kind: MessageKind,
  /** Plain text. Clients render it as text, never as HTML. Empty once deleted. */
  body: z.string(),
  createdAt: z.number(),
  editedAt: z.number().nullable(),
  deletedAt: z.number().nullable(),
});
export type Message = z.infer<typeof Message>;

export const ConversationKind = z.enum(['direct', 'group']);
export type ConversationKind = z.infer<typeof ConversationKind>;

export const Member = z.object({
  userId: EntityId,
  role: z.enum(['owner', 'member']),
  /** Highest sequence this member has read (read receipts). */
  lastReadSeq: Seq,
});
export type Member = z.infer<typeof Member>;

export const Conversation = z.object({
  id: EntityId,
  kind: ConversationKind,
  /** Group title; null for direct chats (clients show the other member's name). */
  title: z.string().nullable(),
  members: z.array(Member),
  lastSeq: Seq,
  lastMessage: Message.nullable(),
  /** Messages after the caller's lastReadSeq that are not deleted (none is the caller's own: sending marks read). */
  unread: z.number().int().nonnegative(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Conversation = z.infer<typeof Conversation>;
