import type { Kysely } from 'kysely';
import type { Message } from '@switchboard/protocol';
import type { Database } from '../schema.js';
import { prepareQuery } from '../preparedQuery.js';
import type { Store } from '../db.js';
import { byIdempotencyKey, clientIdsOf, idempotencyKey, toMessage, type AppendOutcome, type AppendRequest } from './messageBatch.js';
import { createPostgresAppender } from './postgresAppend.js';

export type { AppendOutcome, AppendRequest } from './messageBatch.js';

export interface MessageRepository {
  /**
   * Stores a batch of messages in one transaction (group commit) and returns one outcome per
   * request, in order. Sequence numbers are assigned per conversation, gapless, under a row lock
   * on the conversation so concurrent writers (other nodes) never share a number.
   */
  appendBatch(requests: readonly AppendRequest[], now: number): Promise<AppendOutcome[]>;
  /**
   * How many appendBatch calls are worth running at once, given batches that share no
   * conversation: PostgreSQL would run them on separate connections; on SQLite the next batch
   * is ready to go to the group commit's thread the moment the previous one is stored.
   */
  readonly batchesInFlight: number;
  /** Messages with seq < before (or the newest), ascending; one extra row tells whether more exist. */
  before(conversationId: string, before: number | undefined, limit: number): Promise<{ messages: Message[]; hasMore: boolean }>;
  /** Messages with seq > after, ascending; undefined when `userId` is not a member of the conversation. */
  afterAsMember(conversationId: string, userId: string, after: number, limit: number): Promise<{ messages: Message[]; hasMore: boolean } | undefined>;
  find(conversationId: string, messageId: string): Promise<Message | undefined>;
  /** The stored messages with these (sender, client id) pairs; pairs never stored are left out. */
  findByClientIds(requests: readonly { senderId: string; clientId: string }[]): Promise<Message[]>;
  edit(conversationId: string, messageId: string, body: string, now: number): Promise<Message | undefined>;
  markDeleted(conversationId: string, messageId: string, now: number): Promise<Message | undefined>;
}

/**
 * Measured on the 2-core reference machine, where the database shares the cores with the server
 * (docs/performance.md, section 16): on PostgreSQL two or three batches at once made more and
 * smaller transactions, which cost the database more CPU and raised p99; on SQLite two were as
 * good or a little better than one. A database on cores of its own may want more.
 */
const POSTGRES_BATCHES_IN_FLIGHT = 1;
const SQLITE_BATCHES_IN_FLIGHT = 2;

/** Client ids per look-up statement (one parameter each). */
const LOOKUP_CHUNK = 400;

export function createMessageRepository(store: Pick<Store, 'db' | 'sqlite' | 'postgres'>): MessageRepository {
  const { db } = store;
  // Reads that return messages hand out only what is on disk (SqliteConnection.durable).
  const durable = async <T>(value: T): Promise<T> => {
    await store.sqlite?.durable();
    return value;
  };
  const append = appenderFor(store);
  const isMember = (conversationId: string, userId: string) =>
    db.selectFrom('conversation_members').select('user_id').where('conversation_id', '=', conversationId).where('user_id', '=', userId);
  // The membership check rides along as a condition evaluated once, so the messages still come
  // from the (conversation_id, seq) index in order and the scan stops at the limit on both stores
  // (a join on the membership row made PostgreSQL read and sort everything after the cursor).
  const afterIfMember = prepareQuery(db, 4, (conversationId: string, userId: string, after: number, rows: number) =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', after)
      .where(({ exists }) => exists(isMember(conversationId, userId)))
      .orderBy('seq', 'asc')
      .limit(rows),
  );
  const memberRow = prepareQuery(db, 2, isMember);
  return {
    batchesInFlight: store.postgres ? POSTGRES_BATCHES_IN_FLIGHT : SQLITE_BATCHES_IN_FLIGHT,
    async appendBatch(requests, now) {
      if (requests.length === 0) return [];
      try {
        return await append(requests, now);
      } catch (error) {
        // Another node stored one of these client ids between our check and our insert: the retry
        // finds it as a duplicate. Any other failure repeats and is thrown.
        if (!isUniqueViolation(error)) throw error;
        return append(requests, now);
      }
    },
    async before(conversationId, before, limit) {
      let query = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
      if (before !== undefined) query = query.where('seq', '<', before);
      const rows = await query.orderBy('seq', 'desc').limit(limit + 1).execute();
      const hasMore = rows.length > limit;
      return durable({ messages: rows.slice(0, limit).reverse().map(toMessage), hasMore });
    },
    async afterAsMember(conversationId, userId, after, limit) {
      const rows = await afterIfMember(conversationId, userId, after, limit + 1);
      // Nothing: either nothing new, or not a member (a second query only in this case).
      if (rows.length === 0) return (await memberRow(conversationId, userId)).length > 0 ? { messages: [], hasMore: false } : undefined;
      const hasMore = rows.length > limit;
      return durable({ messages: rows.slice(0, limit).map(toMessage), hasMore });
    },
    async find(conversationId, messageId) {
      const row = await db.selectFrom('messages').selectAll().where('id', '=', messageId).where('conversation_id', '=', conversationId).executeTakeFirst();
      return durable(row && toMessage(row));
    },
    async findByClientIds(requests) {
      const found = await findExisting(db, requests);
      return durable(requests.flatMap((request) => found.get(idempotencyKey(request)) ?? []));
    },
    async edit(conversationId, messageId, body, now) {
      await db
        .updateTable('messages')
        .set({ body, edited_at: now })
        .where('id', '=', messageId)
        .where('conversation_id', '=', conversationId)
        .where('deleted_at', 'is', null)
        .execute();
      return this.find(conversationId, messageId);
    },
    async markDeleted(conversationId, messageId, now) {
      await db
        .updateTable('messages')
        .set({ body: '', deleted_at: now })
        .where('id', '=', messageId)
        .where('conversation_id', '=', conversationId)
        .execute();
      return this.find(conversationId, messageId);
    },
  };
}

/** The group commit bypasses Kysely on both stores: its statements are prepared once (sqliteAppend.ts on its own thread, postgresAppend.ts). */
function appenderFor(store: Pick<Store, 'sqlite' | 'postgres'>): (requests: readonly AppendRequest[], now: number) => Promise<AppendOutcome[]> {
  const { sqlite } = store;
  if (sqlite) return (requests, now) => sqlite.appendBatch(requests, now);
  if (store.postgres) return createPostgresAppender(store.postgres);
  throw new Error('The store has neither a SQLite connection nor a PostgreSQL pool.');
}

async function findExisting(db: Kysely<Database>, requests: readonly { senderId: string; clientId: string }[]): Promise<Map<string, Message>> {
  const clientIds = clientIdsOf(requests);
  const rows = [];
  for (let i = 0; i < clientIds.length; i += LOOKUP_CHUNK) {
    rows.push(...(await db.selectFrom('messages').selectAll().where('client_id', 'in', clientIds.slice(i, i + LOOKUP_CHUNK)).execute()));
  }
  return byIdempotencyKey(rows);
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
