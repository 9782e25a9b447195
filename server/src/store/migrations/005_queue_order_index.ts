import type { Kysely } from 'kysely';

/**
 * The queue is read longest waiter first, `order by queued_at, id` (id breaks ties). The index on
 * (status, queued_at) left the `id` to a sort of every queued chat on each read: with 2,000
 * waiting, each drain pass and place count sorted all of them to return 200. With `id` in the
 * index the rows come out in order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('cs_chats_queue_order_idx').on('cs_chats').columns(['status', 'queued_at', 'id']).execute();
  await db.schema.dropIndex('cs_chats_queue_idx').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('cs_chats_queue_idx').on('cs_chats').columns(['status', 'queued_at']).execute();
  await db.schema.dropIndex('cs_chats_queue_order_idx').execute();
}
