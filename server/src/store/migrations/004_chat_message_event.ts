import type { Kysely } from 'kysely';

/**
 * Customer service, third step: system lines keep what happened as structured data
 * (`cs_chat_messages.event`, JSON of a ChatEvent: code and params), so each client renders them in
 * its reader's language. Null for other messages and for lines stored before; `body` keeps the
 * English text either way.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cs_chat_messages').addColumn('event', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cs_chat_messages').dropColumn('event').execute();
}
