import { sql, type Kysely } from 'kysely';

/**
 * Customer service, second step:
 * - cs_agent_nodes: which nodes an agent is connected to (each node vouches for its own agents), so
 *   an agent who closes their last tab on one node stays on duty while connected to another.
 * - at most one open chat per visitor, enforced by the database (two tabs starting at once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cs_agent_nodes')
    .addColumn('agent_id', 'varchar(36)', (col) => col.notNull())
    .addColumn('node_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('seen_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('cs_agent_nodes_pk', ['agent_id', 'node_id'])
    .execute();
  await db.schema
    .createIndex('cs_chats_one_open_per_visitor')
    .on('cs_chats')
    .column('visitor_id')
    .unique()
    .where(sql.ref('status'), '!=', 'closed')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('cs_chats_one_open_per_visitor').execute();
  await db.schema.dropTable('cs_agent_nodes').execute();
}
