import type SqliteDatabase from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { MessagesTable } from '../schema.js';
import { byIdempotencyKey, clientIdsOf, conversationsToLock, planBatch, type AppendOutcome, type AppendRequest, type ConversationMemberRow } from './messageBatch.js';

/**
 * The group commit on SQLite: statements prepared once and reused, the whole transaction run
 * synchronously in one call (deferred BEGIN). Through Kysely every batch compiled and prepared
 * its statements anew, which at the small batches of moderate load cost more than the SQL itself
 * (docs/performance.md). Lists go in as one JSON parameter (`json_each`), so one statement serves
 * any batch size. Prepare it only once the migrations ran. It runs on the group commit's own
 * thread (appendWorker.ts), off the event loop.
 */
export function prepareAppendTransaction(handle: SqliteDatabase.Database): (requests: readonly AppendRequest[], now: number) => AppendOutcome[] {
  const findByClientIds = handle.prepare<[string], Selectable<MessagesTable>>('select * from messages where client_id in (select value from json_each(?))');
  const conversationsWithMembers = handle.prepare<[string], ConversationMemberRow>(
    `select c.id as id, c.last_seq as last_seq, m.user_id as user_id
       from conversations c join conversation_members m on m.conversation_id = c.id
      where c.id in (select value from json_each(?)) order by c.id`,
  );
  const insert = handle.prepare(
    `insert into messages (id, conversation_id, seq, sender_id, client_id, kind, body, created_at, edited_at, deleted_at)
     values (@id, @conversation_id, @seq, @sender_id, @client_id, @kind, @body, @created_at, @edited_at, @deleted_at)`,
  );
  const setLastSeq = handle.prepare<[number, number, string]>('update conversations set last_seq = ?, updated_at = ? where id = ?');
  const markSenderRead = handle.prepare<[number, string, string, number]>(
    'update conversation_members set last_read_seq = ? where conversation_id = ? and user_id = ? and last_read_seq < ?',
  );
  return handle.transaction((requests: readonly AppendRequest[], now: number) => {
    const existing = byIdempotencyKey(findByClientIds.all(JSON.stringify(clientIdsOf(requests))));
    const toLock = conversationsToLock(requests, existing);
    const locked = toLock.length > 0 ? conversationsWithMembers.all(JSON.stringify(toLock)) : [];
    const plan = planBatch(requests, existing, locked, now);
    for (const row of plan.rows) insert.run(row);
    for (const [id, seq] of plan.lastSeqs) setLastSeq.run(seq, now, id);
    for (const read of plan.senderReads) markSenderRead.run(read.seq, read.conversationId, read.senderId, read.seq);
    return plan.outcomes;
    // Deferred, not IMMEDIATE: should another process hold the write lock, the upgrade at the
    // first write fails at once (SQLite skips the busy handler there) instead of busy-waiting for
    // the whole busy_timeout while the main connection's turn is held (the fault suite's
    // write-lock test).
  });
}
