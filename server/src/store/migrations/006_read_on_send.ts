import { sql, type Kysely } from 'kysely';

/**
 * Sending a message marks its conversation read for the sender (as Slack and Rocket.Chat do), so
 * no member has a message of their own after their read mark. A member's unread count is then
 * the seqs after their mark less the deleted messages among them, and the welcome no longer
 * reads every unread message row to count it: it reads the few deleted ones, through this
 * partial index, which stays small because deleting a message is rare.
 * Existing marks move to each member's own newest message once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // SQLite migrations run outside a transaction: a start that died after the index must not fail on it next time.
  await db.schema
    .createIndex('messages_deleted_idx')
    .ifNotExists()
    .on('messages')
    .columns(['conversation_id', 'seq'])
    .where(sql.ref('deleted_at'), 'is not', null)
    .execute();
  await markOwnMessagesRead(db);
}

/** Moves every member's read mark to their own newest message in the conversation, where it is behind. */
export async function markOwnMessagesRead(db: Kysely<unknown>): Promise<void> {
  await sql`
    update conversation_members set last_read_seq = own.seq
      from (select conversation_id, sender_id, max(seq) as seq from messages group by conversation_id, sender_id) own
     where own.conversation_id = conversation_members.conversation_id
       and own.sender_id = conversation_members.user_id
       and own.seq > conversation_members.last_read_seq`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('messages_deleted_idx').execute();
}
