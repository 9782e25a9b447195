import type { Kysely } from 'kysely';

/*
 * Kysely types of the customer-service tables (migration 002_service). Times are epoch ms,
 * booleans 0/1, lists JSON text — one schema for SQLite and PostgreSQL.
 */

export interface CsSettingsTable {
  id: string;
  routing_rule: string;
  reply_timeout_ms: number;
  updated_at: number;
}

export interface CsAgentsTable {
  user_id: string;
  display_name: string;
  duty_status: string;
  priority: number;
  max_chats: number;
  active_chats: number;
  last_assigned_at: number;
  duty_changed_at: number;
  seen_at: number;
  created_at: number;
  updated_at: number;
}

export interface CsAgentNodesTable {
  agent_id: string;
  node_id: string;
  seen_at: number;
}

export interface CsDepartmentsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface CsAgentDepartmentsTable {
  user_id: string;
  department_id: string;
}

export interface CsSitesTable {
  id: string;
  site_key: string;
  name: string;
  allowed_origins: string;
  color: string;
  greeting: string;
  pre_chat_enabled: number;
  pre_chat_fields: string;
  created_at: number;
  updated_at: number;
}

export interface CsVisitorsTable {
  id: string;
  site_id: string;
  token_hash: string;
  name: string | null;
  email: string | null;
  fields: string;
  page_url: string | null;
  page_title: string | null;
  referrer: string | null;
  user_agent: string | null;
  language: string | null;
  online: number;
  leave_due_at: number | null;
  last_seen_at: number;
  last_agent_id: string | null;
  created_at: number;
}

export interface CsChatsTable {
  id: string;
  site_id: string;
  visitor_id: string;
  department_id: string | null;
  status: string;
  assignee_id: string | null;
  queued_at: number | null;
  created_at: number;
  first_assigned_at: number | null;
  assigned_at: number | null;
  first_response_at: number | null;
  reply_due_at: number | null;
  missed_agent_ids: string;
  closed_at: number | null;
  closed_by: string | null;
  last_seq: number;
  visitor_read_seq: number;
}

export interface CsChatAgentsTable {
  chat_id: string;
  agent_id: string;
  role: string;
  joined_at: number;
}

export interface CsChatMessagesTable {
  id: string;
  chat_id: string;
  seq: number;
  author: string;
  agent_id: string | null;
  author_name: string | null;
  sender_key: string | null;
  client_id: string | null;
  body: string;
  /** JSON of a system line's ChatEvent (migration 004); null for everything else. */
  event: string | null;
  visible: number;
  created_at: number;
}

export interface CsOfflineMessagesTable {
  id: string;
  site_id: string;
  department_id: string | null;
  visitor_id: string | null;
  name: string;
  email: string;
  message: string;
  page_url: string | null;
  created_at: number;
  handled_at: number | null;
  handled_by: string | null;
}

export interface ServiceDatabase {
  cs_settings: CsSettingsTable;
  cs_agents: CsAgentsTable;
  cs_agent_nodes: CsAgentNodesTable;
  cs_departments: CsDepartmentsTable;
  cs_agent_departments: CsAgentDepartmentsTable;
  cs_sites: CsSitesTable;
  cs_visitors: CsVisitorsTable;
  cs_chats: CsChatsTable;
  cs_chat_agents: CsChatAgentsTable;
  cs_chat_messages: CsChatMessagesTable;
  cs_offline_messages: CsOfflineMessagesTable;
}

export type ServiceDb = Kysely<ServiceDatabase>;
