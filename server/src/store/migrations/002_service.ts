import type { Kysely } from 'kysely';

/**
 * The customer-service system's tables (all prefixed cs_). They never reference the IM tables:
 * agents are identified by the IM user id, but the CS system learns about users only through
 * bus events, so the two parts could live in separate databases.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cs_settings')
    .addColumn('id', 'varchar(16)', (col) => col.primaryKey())
    .addColumn('routing_rule', 'varchar(16)', (col) => col.notNull())
    .addColumn('reply_timeout_ms', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('cs_agents')
    .addColumn('user_id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('display_name', 'varchar(128)', (col) => col.notNull())
    .addColumn('duty_status', 'varchar(16)', (col) => col.notNull().defaultTo('off'))
    .addColumn('priority', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('max_chats', 'integer', (col) => col.notNull().defaultTo(5))
    /** Chats currently assigned to the agent; changed only together with cs_chats, in one transaction. */
    .addColumn('active_chats', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_assigned_at', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('duty_changed_at', 'bigint', (col) => col.notNull())
    /** Last sign of life from the node the agent is connected to (lease; see agentDuty.ts). */
    .addColumn('seen_at', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('cs_agents_duty_idx').on('cs_agents').column('duty_status').execute();

  await db.schema
    .createTable('cs_departments')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('name', 'varchar(80)', (col) => col.notNull().unique())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('cs_agent_departments')
    .addColumn('user_id', 'varchar(36)', (col) => col.notNull().references('cs_agents.user_id').onDelete('cascade'))
    .addColumn('department_id', 'varchar(36)', (col) => col.notNull().references('cs_departments.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('cs_agent_departments_pk', ['user_id', 'department_id'])
    .execute();
  await db.schema.createIndex('cs_agent_departments_dept_idx').on('cs_agent_departments').column('department_id').execute();

  await db.schema
    .createTable('cs_sites')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('site_key', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('name', 'varchar(80)', (col) => col.notNull())
    /** JSON array of origins; "self" is the server's own origin. */
    .addColumn('allowed_origins', 'text', (col) => col.notNull())
    .addColumn('color', 'varchar(7)', (col) => col.notNull())
    .addColumn('greeting', 'text', (col) => col.notNull())
    .addColumn('pre_chat_enabled', 'integer', (col) => col.notNull().defaultTo(0))
    /** JSON array of PreChatField. */
    .addColumn('pre_chat_fields', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('cs_visitors')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('site_id', 'varchar(36)', (col) => col.notNull().references('cs_sites.id').onDelete('cascade'))
    /** sha256 (base64url) of the visitor token; the token itself is never stored. */
    .addColumn('token_hash', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('name', 'varchar(80)')
    .addColumn('email', 'varchar(254)')
    .addColumn('fields', 'text', (col) => col.notNull())
    .addColumn('page_url', 'text')
    .addColumn('page_title', 'text')
    .addColumn('referrer', 'text')
    .addColumn('user_agent', 'varchar(512)')
    .addColumn('language', 'varchar(35)')
    .addColumn('online', 'integer', (col) => col.notNull().defaultTo(0))
    /** When the visitor counts as gone unless a socket of theirs shows up again (grace period). */
    .addColumn('leave_due_at', 'bigint')
    .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
    .addColumn('last_agent_id', 'varchar(36)')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('cs_visitors_leave_idx').on('cs_visitors').column('leave_due_at').execute();

  await db.schema
    .createTable('cs_chats')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('site_id', 'varchar(36)', (col) => col.notNull().references('cs_sites.id').onDelete('cascade'))
    .addColumn('visitor_id', 'varchar(36)', (col) => col.notNull().references('cs_visitors.id').onDelete('cascade'))
    .addColumn('department_id', 'varchar(36)')
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('assignee_id', 'varchar(36)')
    /** Queue order: the longest waiter has the smallest queued_at. */
    .addColumn('queued_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('first_assigned_at', 'bigint')
    .addColumn('assigned_at', 'bigint')
    .addColumn('first_response_at', 'bigint')
    /** The assignee must reply by then or the chat is offered to the next agent. */
    .addColumn('reply_due_at', 'bigint')
    /** JSON array of agents who let the reply time run out on this chat. */
    .addColumn('missed_agent_ids', 'text', (col) => col.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('closed_by', 'varchar(16)')
    .addColumn('last_seq', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('visitor_read_seq', 'bigint', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('cs_chats_queue_idx').on('cs_chats').columns(['status', 'queued_at']).execute();
  await db.schema.createIndex('cs_chats_assignee_idx').on('cs_chats').columns(['assignee_id', 'status']).execute();
  await db.schema.createIndex('cs_chats_visitor_idx').on('cs_chats').columns(['visitor_id', 'created_at']).execute();
  await db.schema.createIndex('cs_chats_reply_due_idx').on('cs_chats').column('reply_due_at').execute();
  await db.schema.createIndex('cs_chats_created_idx').on('cs_chats').column('created_at').execute();

  await db.schema
    .createTable('cs_chat_agents')
    .addColumn('chat_id', 'varchar(36)', (col) => col.notNull().references('cs_chats.id').onDelete('cascade'))
    .addColumn('agent_id', 'varchar(36)', (col) => col.notNull())
    /** Invited colleagues; the assignee is cs_chats.assignee_id. */
    .addColumn('role', 'varchar(16)', (col) => col.notNull())
    .addColumn('joined_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('cs_chat_agents_pk', ['chat_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('cs_chat_agents_agent_idx').on('cs_chat_agents').column('agent_id').execute();

  await db.schema
    .createTable('cs_chat_messages')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('chat_id', 'varchar(36)', (col) => col.notNull().references('cs_chats.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (col) => col.notNull())
    .addColumn('author', 'varchar(16)', (col) => col.notNull())
    .addColumn('agent_id', 'varchar(36)')
    .addColumn('author_name', 'varchar(128)')
    /** "v:<visitorId>" or "a:<agentId>"; with client_id the idempotency key of a message. */
    .addColumn('sender_key', 'varchar(48)')
    .addColumn('client_id', 'varchar(64)')
    .addColumn('body', 'text', (col) => col.notNull())
    /** 0 for internal notes and agent-only system lines. */
    .addColumn('visible', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('cs_chat_messages_seq_uq', ['chat_id', 'seq'])
    .addUniqueConstraint('cs_chat_messages_client_uq', ['sender_key', 'client_id'])
    .execute();

  await db.schema
    .createTable('cs_offline_messages')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('site_id', 'varchar(36)', (col) => col.notNull().references('cs_sites.id').onDelete('cascade'))
    .addColumn('department_id', 'varchar(36)')
    .addColumn('visitor_id', 'varchar(36)')
    .addColumn('name', 'varchar(80)', (col) => col.notNull())
    .addColumn('email', 'varchar(254)', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('page_url', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('handled_at', 'bigint')
    .addColumn('handled_by', 'varchar(36)')
    .execute();
  await db.schema.createIndex('cs_offline_created_idx').on('cs_offline_messages').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'cs_offline_messages',
    'cs_chat_messages',
    'cs_chat_agents',
    'cs_chats',
    'cs_visitors',
    'cs_sites',
    'cs_agent_departments',
    'cs_departments',
    'cs_agents',
    'cs_settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
