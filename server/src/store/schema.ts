/*
 * Table types for Kysely. Times are epoch milliseconds (bigint in PostgreSQL, parsed to number);
 * booleans are 0/1 integers so one schema serves SQLite and PostgreSQL.
 */

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  /** Comma-separated roles, e.g. "agent,employee". */
  roles: string;
  disabled: number;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  /** sha256 of the token; the token itself is never stored. */
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  user_agent: string | null;
  ip: string | null;
}

export interface ConversationsTable {
  id: string;
  kind: string;
  title: string | null;
  /** For direct chats: the two user ids sorted and joined, unique, so a pair has one chat. */
  direct_key: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  last_seq: number;
}

export interface ConversationMembersTable {
  conversation_id: string;
  user_id: string;
  role: string;
  joined_at: number;
  last_read_seq: number;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_id: string;
  kind: string;
  body: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
}

export interface AuditLogTable {
  id: string;
  at: number;
  actor_id: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  conversations: ConversationsTable;
  conversation_members: ConversationMembersTable;
  messages: MessagesTable;
  audit_log: AuditLogTable;
}
