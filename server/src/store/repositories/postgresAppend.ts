import type pg from 'pg';
import type { Selectable } from 'kysely';
import type { MessagesTable } from '../schema.js';
import { byIdempotencyKey, idempotencyKey, storedBefore, timeOrderedId, toMessage, type AppendOutcome, type AppendRequest } from './messageBatch.js';

/*
 * The group commit on PostgreSQL: the whole batch is one statement, so one round trip and its own
 * transaction (autocommit). It was five round trips (begin, look-up, lock, write, commit), and
 * under load each waited for a turn of the event loop and of the database's CPU: a batch took
 * ~7.5 ms at 1,000 msg/s, and with one batch in flight that was the ceiling
 * (docs/performance.md, section 16).
 *
 * The statement makes the same plan as `planBatch` does for SQLite:
 * - `existing`: sends stored before under the same sender and client id (idempotency);
 * - `candidates`: the first send of each (sender, client id) not stored before whose sender is a
 *   member; a later repeat in the batch is answered as a duplicate of it;
 * - `locked`: their conversations locked in id order (no deadlock between nodes), read at their
 *   newest committed last_seq (READ COMMITTED re-reads a locked row);
 * - `fresh`: seqs numbered per conversation in batch order, then inserted, last_seq moved, and
 *   each sender's read mark moved to their newest message. PostgreSQL runs data-modifying CTEs in
 *   no promised order, but the data flow orders the locks: `read_by_sender` aggregates all of
 *   `fresh`, which needs every row of `locked`, so all conversation locks are held before the
 *   first member row is. Every transaction that changes members locks the conversation first
 *   (conversations.ts), and markRead changes one row alone: no lock cycle with them.
 * The look-ups by key (stored before? a member?) are `lateral … limit 1`, which the planner cannot
 * turn into a join: each is one probe of a unique index. As joins they were planned from the
 * tables' statistics, and while those lag behind a growing table (autovacuum analyzes it about
 * once a minute) the plan read all of `messages` for every batch: 20 ms instead of 3.6 at
 * 100,000 rows.
 * Lists go in as arrays, so the text is the same whatever the batch size. The statement stays
 * unnamed: a named one gets a generic plan after five runs, planned while the tables were empty.
 * Its leading comment names it in pg_stat_activity (and to the fault tests' proxy).
 */
export const GROUP_COMMIT_TAG = '/* switchboard group commit */';
const APPEND_BATCH: pg.QueryConfig = {
  text: `${GROUP_COMMIT_TAG}
         with req as (
           select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                  with ordinality as r(id, conversation_id, sender_id, client_id, kind, body, ord)
         ),
         existing as materialized (
           select m.* from (select distinct client_id, sender_id from req) k
            cross join lateral (select * from messages m where m.client_id = k.client_id and m.sender_id = k.sender_id limit 1) m
         ),
         candidates as materialized (
           select distinct on (r.sender_id, r.client_id) r.* from req r
            cross join lateral (select 1 from conversation_members cm where cm.conversation_id = r.conversation_id and cm.user_id = r.sender_id limit 1) member
            where not exists (select 1 from existing e where e.client_id = r.client_id and e.sender_id = r.sender_id)
            order by r.sender_id, r.client_id, r.ord
         ),
         locked as materialized (
           select c.id, c.last_seq from conversations c
            where c.id in (select conversation_id from candidates) order by c.id for update
         ),
         fresh as materialized (
           select c.*, l.last_seq + row_number() over (partition by c.conversation_id order by c.ord) as seq
             from candidates c join locked l on l.id = c.conversation_id
         ),
         inserted as (
           insert into messages (id, conversation_id, seq, sender_id, client_id, kind, body, created_at)
           select id, conversation_id, seq, sender_id, client_id, kind, body, $7 from fresh
         ),
         moved as (
           update conversations c set last_seq = f.seq, updated_at = $7
             from (select conversation_id, max(seq) as seq from fresh group by conversation_id) f
            where c.id = f.conversation_id
         ),
         read_by_sender as (
           update conversation_members cm set last_read_seq = f.seq
             from (select conversation_id, sender_id, max(seq) as seq from fresh group by conversation_id, sender_id) f
            where cm.conversation_id = f.conversation_id and cm.user_id = f.sender_id and cm.last_read_seq < f.seq
         )
         select f.ord, f.id, f.conversation_id, f.seq, f.sender_id, f.client_id, f.kind, f.body, $7::bigint as created_at,
                null::bigint as edited_at, null::bigint as deleted_at,
                array(select cm.user_id from conversation_members cm where cm.conversation_id = f.conversation_id) as recipients
           from fresh f
         union all
         select null, e.id, e.conversation_id, e.seq, e.sender_id, e.client_id, e.kind, e.body, e.created_at, e.edited_at, e.deleted_at, null
           from existing e`,
};

/** A row of the statement's answer: a message stored now (`ord`, `recipients`) or found stored before (both null). */
interface AppendedRow extends Selectable<MessagesTable> {
  ord: number | null;
  recipients: string[] | null;
}

export function createPostgresAppender(pool: pg.Pool): (requests: readonly AppendRequest[], now: number) => Promise<AppendOutcome[]> {
  return async (requests, now) => {
    const column = <K extends keyof AppendRequest>(key: K) => requests.map((request) => request[key]);
    const ids = requests.map(() => timeOrderedId(now));
    const values = [ids, column('conversationId'), column('senderId'), column('clientId'), column('kind'), column('body'), now];
    const { rows } = await pool.query<AppendedRow>({ ...APPEND_BATCH, values });
    return outcomesOf(requests, rows);
  };
}

/** Each send's outcome, in batch order, from the rows the statement returned. */
function outcomesOf(requests: readonly AppendRequest[], rows: readonly AppendedRow[]): AppendOutcome[] {
  const existing = byIdempotencyKey(rows.filter((row) => row.ord === null));
  const stored = new Map<string, { ord: number; message: AppendOutcome & { status: 'stored' } }>();
  for (const row of rows) {
    if (row.ord === null) continue;
    const message = toMessage(row);
    stored.set(idempotencyKey(message), { ord: row.ord, message: { status: 'stored', message, recipients: row.recipients ?? [] } });
  }
  return requests.map((request, index): AppendOutcome => {
    const key = idempotencyKey(request);
    const original = existing.get(key);
    if (original) return storedBefore(original, request);
    const fresh = stored.get(key);
    const ord = index + 1;
    // A repeat of a send stored in this batch is its duplicate; a send before the one stored was
    // refused (its sender was not a member there), as planBatch answers it on SQLite.
    if (!fresh || fresh.ord > ord) return { status: 'not_member' };
    return fresh.ord === ord ? fresh.message : { status: 'duplicate', message: fresh.message.message };
  });
}
