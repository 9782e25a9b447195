import type pg from 'pg';
import type { Selectable } from 'kysely';
import type { MessagesTable } from '../schema.js';
import { byIdempotencyKey, clientIdsOf, conversationsToLock, planBatch, type AppendOutcome, type AppendRequest, type ConversationMemberRow } from './messageBatch.js';

/*
 * The group commit on PostgreSQL: lists passed as arrays (a fixed statement text whatever the
 * batch size) and the insert and the last_seq update in one statement. Through Kysely each batch
 * sent an insert with ten parameters per row and IN lists of every length, in up to seven round
 * trips; now it is five (begin, look-up, lock, write, commit). The statements stay unnamed: a
 * named one gets a generic plan after five runs, planned before the messages table had rows.
 */
const FIND_BY_CLIENT_IDS: pg.QueryConfig = {
  text: `select id, conversation_id, seq, sender_id, client_id, kind, body, created_at, edited_at, deleted_at
           from messages where client_id = any($1::text[])`,
};
/** Locked in id order (`order by` comes before the lock), so two nodes' batches cannot deadlock. */
const LOCK_CONVERSATIONS: pg.QueryConfig = {
  text: `select c.id as id, c.last_seq as last_seq, m.user_id as user_id
           from conversations c join conversation_members m on m.conversation_id = c.id
          where c.id = any($1::text[]) order by c.id for update of c`,
};
const WRITE_BATCH: pg.QueryConfig = {
  text: `with inserted as (
           insert into messages (id, conversation_id, seq, sender_id, client_id, kind, body, created_at)
           select id, conversation_id, seq, sender_id, client_id, kind, body, $8
             from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[])
                  as r(id, conversation_id, seq, sender_id, client_id, kind, body)
         )
         update conversations c set last_seq = u.seq, updated_at = $8
           from unnest($9::text[], $10::bigint[]) as u(id, seq) where c.id = u.id`,
};

export function createPostgresAppender(pool: pg.Pool): (requests: readonly AppendRequest[], now: number) => Promise<AppendOutcome[]> {
  return async (requests, now) => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('begin');
      const found = await client.query<Selectable<MessagesTable>>({ ...FIND_BY_CLIENT_IDS, values: [clientIdsOf(requests)] });
      const existing = byIdempotencyKey(found.rows);
      const toLock = conversationsToLock(requests, existing);
      const locked = toLock.length > 0 ? (await client.query<ConversationMemberRow>({ ...LOCK_CONVERSATIONS, values: [toLock] })).rows : [];
      const plan = planBatch(requests, existing, locked, now);
      if (plan.rows.length > 0) {
        const column = <K extends keyof MessagesTable>(key: K) => plan.rows.map((row) => row[key]);
        const values = [column('id'), column('conversation_id'), column('seq'), column('sender_id'), column('client_id'), column('kind'), column('body'), now, [...plan.lastSeqs.keys()], [...plan.lastSeqs.values()]];
        await client.query({ ...WRITE_BATCH, values });
      }
      await client.query('commit');
      return plan.outcomes;
    } catch (error) {
      // A connection that cannot even roll back is discarded, not returned to the pool.
      await client.query('rollback').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  };
}
