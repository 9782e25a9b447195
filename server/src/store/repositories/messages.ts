import { randomFillSync } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Message, MessageKind } from '@switchboard/protocol';
import type { Database, MessagesTable } from '../schema.js';

export interface AppendRequest {
  conversationId: string;
  senderId: string;
  clientId: string;
  kind: MessageKind;
  body: string;
}

export type AppendOutcome =
  | { status: 'stored'; message: Message; recipients: string[] }
  /** The same sender already stored this client id: the original message, nothing new written. */
  | { status: 'duplicate'; message: Message }
  | { status: 'not_member' }
  /** The sender used this client id for a message in another conversation. */
  | { status: 'client_id_reused' };

export interface MessageRepository {
  /**
   * Stores a batch of messages in one transaction (group commit) and returns one outcome per
   * request, in order. Sequence numbers are assigned per conversation, gapless, under a row lock
   * on the conversation so concurrent writers (other nodes) never share a number.
   */
  appendBatch(requests: readonly AppendRequest[], now: number): Promise<AppendOutcome[]>;
  /** Messages with seq < before (or the newest), ascending; one extra row tells whether more exist. */
  before(conversationId: string, before: number | undefined, limit: number): Promise<{ messages: Message[]; hasMore: boolean }>;
  /** Messages with seq > after, ascending. */
  after(conversationId: string, after: number, limit: number): Promise<{ messages: Message[]; hasMore: boolean }>;
  find(conversationId: string, messageId: string): Promise<Message | undefined>;
  /** The stored messages with these (sender, client id) pairs; pairs never stored are left out. */
  findByClientIds(requests: readonly { senderId: string; clientId: string }[]): Promise<Message[]>;
  edit(conversationId: string, messageId: string, body: string, now: number): Promise<Message | undefined>;
  markDeleted(conversationId: string, messageId: string, now: number): Promise<Message | undefined>;
}

const INSERT_CHUNK = 400;
/** Conversations per last_seq update statement (3 parameters each). */
const UPDATE_CHUNK = 500;

export function createMessageRepository(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): MessageRepository {
  async function appendInTransaction(trx: Transaction<Database>, requests: readonly AppendRequest[], now: number): Promise<AppendOutcome[]> {
    const existing = await findExisting(trx, requests);
    const fresh = requests.filter((request) => !existing.has(idempotencyKey(request)));
    const conversationIds = [...new Set(fresh.map((request) => request.conversationId))].sort();

    const membersBy = new Map<string, string[]>();
    const seqBy = new Map<string, number>();
    if (conversationIds.length > 0) {
      // Sequence numbers and members in one statement (one round trip on PostgreSQL). The
      // conversation rows are locked in id order, so two nodes' batches cannot deadlock.
      let query = trx
        .selectFrom('conversations')
        .innerJoin('conversation_members', 'conversation_members.conversation_id', 'conversations.id')
        .select(['conversations.id as id', 'conversations.last_seq as last_seq', 'conversation_members.user_id as user_id'])
        .where('conversations.id', 'in', conversationIds)
        .orderBy('conversations.id');
      if (dialect === 'postgres') query = query.forUpdate('conversations');
      for (const row of await query.execute()) {
        seqBy.set(row.id, row.last_seq);
        const list = membersBy.get(row.id);
        if (list) list.push(row.user_id);
        else membersBy.set(row.id, [row.user_id]);
      }
    }

    const stored = new Map<string, Message>();
    const rows: MessagesTable[] = [];
    for (const request of fresh) {
      const key = idempotencyKey(request);
      if (stored.has(key)) continue; // the same message twice in one batch: store it once
      const members = membersBy.get(request.conversationId);
      const lastSeq = seqBy.get(request.conversationId);
      if (!members?.includes(request.senderId) || lastSeq === undefined) continue;
      const seq = lastSeq + 1;
      seqBy.set(request.conversationId, seq);
      const row: MessagesTable = {
        id: timeOrderedId(now),
        conversation_id: request.conversationId,
        seq,
        sender_id: request.senderId,
        client_id: request.clientId,
        kind: request.kind,
        body: request.body,
        created_at: now,
        edited_at: null,
        deleted_at: null,
      };
      rows.push(row);
      stored.set(key, toMessage(row));
    }

    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await trx.insertInto('messages').values(rows.slice(i, i + INSERT_CHUNK)).execute();
    }
    // One statement moves every touched conversation's last_seq (a batch touches hundreds).
    const touched = [...new Set(rows.map((row) => row.conversation_id))];
    for (let i = 0; i < touched.length; i += UPDATE_CHUNK) {
      const ids = touched.slice(i, i + UPDATE_CHUNK);
      const cases = ids.map((id) => sql`when ${id} then cast(${seqBy.get(id) ?? 0} as bigint)`);
      await sql`update conversations set last_seq = case id ${sql.join(cases, sql` `)} end, updated_at = ${now} where id in (${sql.join(ids)})`.execute(trx);
    }

    const seenInBatch = new Set<string>();
    return requests.map((request): AppendOutcome => {
      const key = idempotencyKey(request);
      const original = existing.get(key);
      if (original) {
        return original.conversationId === request.conversationId ? { status: 'duplicate', message: original } : { status: 'client_id_reused' };
      }
      const message = stored.get(key);
      if (!message) return { status: 'not_member' };
      if (seenInBatch.has(key)) return { status: 'duplicate', message };
      seenInBatch.add(key);
      return { status: 'stored', message, recipients: membersBy.get(request.conversationId) ?? [] };
    });
  }

  return {
    async appendBatch(requests, now) {
      if (requests.length === 0) return [];
      try {
        return await db.transaction().execute((trx) => appendInTransaction(trx, requests, now));
      } catch (error) {
        // Another node stored one of these client ids between our check and our insert: the retry
        // finds it as a duplicate. Any other failure repeats and is thrown.
        if (!isUniqueViolation(error)) throw error;
        return db.transaction().execute((trx) => appendInTransaction(trx, requests, now));
      }
    },
    async before(conversationId, before, limit) {
      let query = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
      if (before !== undefined) query = query.where('seq', '<', before);
      const rows = await query.orderBy('seq', 'desc').limit(limit + 1).execute();
      const hasMore = rows.length > limit;
      return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore };
    },
    async after(conversationId, after, limit) {
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('seq', '>', after)
        .orderBy('seq', 'asc')
        .limit(limit + 1)
        .execute();
      const hasMore = rows.length > limit;
      return { messages: rows.slice(0, limit).map(toMessage), hasMore };
    },
    async find(conversationId, messageId) {
      const row = await db.selectFrom('messages').selectAll().where('id', '=', messageId).where('conversation_id', '=', conversationId).executeTakeFirst();
      return row && toMessage(row);
    },
    async findByClientIds(requests) {
      const found = await findExisting(db, requests);
      return requests.flatMap((request) => found.get(idempotencyKey(request)) ?? []);
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

async function findExisting(trx: Kysely<Database>, requests: readonly { senderId: string; clientId: string }[]): Promise<Map<string, Message>> {
  const clientIds = [...new Set(requests.map((request) => request.clientId))];
  const found = new Map<string, Message>();
  for (let i = 0; i < clientIds.length; i += INSERT_CHUNK) {
    const rows = await trx.selectFrom('messages').selectAll().where('client_id', 'in', clientIds.slice(i, i + INSERT_CHUNK)).execute();
    for (const row of rows) found.set(`${row.sender_id}:${row.client_id}`, toMessage(row));
  }
  return found;
}

/** Random bytes for ids, filled 256 ids at a time (one system call instead of one per id). */
const idPool = Buffer.alloc(16 * 256);
let idPoolAt = idPool.length;

/**
 * A UUIDv7 (RFC 9562): 48 bits of epoch milliseconds, then random bits. Message ids made in time
 * order land at the right edge of the primary-key index, so a batch dirties one or two index pages
 * instead of one random page per message: less to write at each commit and each checkpoint.
 */
export function timeOrderedId(now: number): string {
  if (idPoolAt + 16 > idPool.length) {
    randomFillSync(idPool);
    idPoolAt = 0;
  }
  const bytes = idPool.subarray(idPoolAt, idPoolAt + 16);
  idPoolAt += 16;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function idempotencyKey(request: { senderId: string; clientId: string }): string {
  return `${request.senderId}:${request.clientId}`;
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    clientId: row.client_id,
    kind: row.kind as MessageKind,
    body: row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
  };
}
