import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { ChatEvent, type ChatAuthor, type ChatMessage } from '@switchboard/protocol';
import type { CsChatMessagesTable, ServiceDb } from './schema.js';
import { prepareQuery, prepareStatement, type QueryRunner } from '../../store/preparedQuery.js';
import { isUniqueViolation } from './util.js';
import type { Trx, WriteTransactions } from './writes.js';

export interface StoredChatMessage extends ChatMessage {
  /** False for internal notes and agent-only system lines: the visitor never receives them. */
  visible: boolean;
}

export interface NewChatMessage {
  chatId: string;
  author: ChatAuthor;
  agentId: string | null;
  authorName: string | null;
  /** "v:<visitorId>" or "a:<agentId>" when the message carries a client id. */
  senderKey: string | null;
  clientId: string | null;
  body: string;
  /** System lines: what happened (stored as JSON), for clients to render in their own language. */
  event?: ChatEvent | null;
  visible: boolean;
}

export type ChatAppendOutcome =
  | { status: 'stored'; message: StoredChatMessage }
  /** The same sender already stored this client id in this chat: the original, nothing written. */
  | { status: 'duplicate'; message: StoredChatMessage }
  /** The chat does not exist or is closed. */
  | { status: 'closed' }
  /** The sender used this client id in another chat. */
  | { status: 'client_id_reused' };

export interface ChatMessageRepository {
  /**
   * Stores the message with the chat's next sequence number (gapless: taken under the chat's row
   * lock). `replied`: an agent's reply, so the chat's reply deadline ends with the same write.
   */
  append(message: NewChatMessage, now: number, options?: AppendOptions): Promise<ChatAppendOutcome>;
  /**
   * append() as a step of the caller's unit of work (stored with the change it belongs to). A
   * client id stored concurrently fails the whole unit (append() alone retries and finds it).
   */
  appendIn(trx: Trx, message: NewChatMessage, now: number, options?: AppendOptions): Promise<ChatAppendOutcome>;
  /** Messages with seq < before (or the newest), ascending; one extra row tells whether more exist. */
  before(chatId: string, before: number | undefined, limit: number, visibleOnly: boolean): Promise<{ messages: StoredChatMessage[]; hasMore: boolean }>;
  /** The message with each chat's last seq. */
  lastOf(chats: readonly { id: string; lastSeq: number }[]): Promise<Map<string, StoredChatMessage>>;
}

export interface AppendOptions {
  allowClosed?: boolean;
  replied?: boolean;
}

export function createChatMessageRepository(db: ServiceDb, writes: WriteTransactions): ChatMessageRepository {
  // The statements of every stored message, compiled once; they run inside the write transaction.
  const byClientId = prepareStatement(2, (senderKey: string, clientId: string) =>
    db.selectFrom('cs_chat_messages').selectAll().where('sender_key', '=', senderKey).where('client_id', '=', clientId),
  );
  // SQLite: the chat's next seq and the insert, two statements of the unit.
  const insert = prepareStatement(12, (...[seq, ...values]: [seq: number, ...values: MessageValues]) =>
    db.insertInto('cs_chat_messages').values({ ...rowOf(values), seq }),
  );
  /** The chat's next seq, by `allowClosed` (false, true). */
  const nextSeq = [false, true].map((allowClosed) => prepareStatement(1, (chatId: string) => bumpSeqOf(db, chatId, allowClosed)));
  /** The same for an agent's reply, which also ends the reply deadline. */
  const nextSeqOfReply = [false, true].map((allowClosed) => prepareStatement(2, (chatId: string, now: number) => bumpSeqOf(db, chatId, allowClosed, now)));
  /**
   * PostgreSQL: the next seq and the insert in one statement, by `allowClosed` then `replied`
   * (false, true), and how to run it alone.
   */
  const insertAtNextSeq = [false, true].map((allowClosed) =>
    [false, true].map((replied) => prepareStatement(11, (...values: MessageValues) => insertAtNextSeqOf(db, allowClosed, replied, values))),
  );
  const oneStatement = writes.statement && {
    run: writes.statement,
    /** The message at the chat's next seq, on `runner`; undefined when the chat is missing or closed (unless `allowClosed`). */
    async store(runner: QueryRunner, message: NewChatMessage, now: number, allowClosed: boolean, replied: boolean): Promise<StoredChatMessage | undefined> {
      const row = newRow(message, 0, now);
      const [stored] = (await insertAtNextSeq[Number(allowClosed)]![Number(replied)]!(runner, ...valuesOf(row))).rows;
      return stored && toChatMessage({ ...row, seq: Number(stored.seq) });
    },
  };

  // Every change to one chat announces its summary with the last message.
  const messageAt = prepareQuery(db, 2, (chatId: string, seq: number) => db.selectFrom('cs_chat_messages').selectAll().where('chat_id', '=', chatId).where('seq', '=', seq));

  async function appendIn(trx: Trx, message: NewChatMessage, now: number, { allowClosed = false, replied = false }: AppendOptions = {}): Promise<ChatAppendOutcome> {
    if (message.senderKey && message.clientId) {
      const [existing] = (await byClientId(trx, message.senderKey, message.clientId)).rows;
      if (existing) return existing.chat_id === message.chatId ? { status: 'duplicate', message: toChatMessage(existing) } : { status: 'client_id_reused' };
    }
    if (oneStatement) {
      // PostgreSQL: one round trip of the unit instead of two (a chat's lines are most of its writes).
      const stored = await oneStatement.store(trx, message, now, allowClosed, replied);
      return stored ? { status: 'stored', message: stored } : { status: 'closed' };
    }
    const bumped = replied ? nextSeqOfReply[Number(allowClosed)]!(trx, message.chatId, now) : nextSeq[Number(allowClosed)]!(trx, message.chatId);
    const [chat] = (await bumped).rows;
    if (!chat) return { status: 'closed' };
    const row = newRow(message, Number(chat.last_seq), now);
    await insert(trx, row.seq, ...valuesOf(row));
    return { status: 'stored', message: toChatMessage(row) };
  }

  const appendInUnit = (message: NewChatMessage, now: number, options: AppendOptions) => writes.run((trx) => appendIn(trx, message, now, options));

  /**
   * PostgreSQL: a message as one statement that commits by itself, without looking its client id
   * up first. Undefined where the unit has to decide: on SQLite, and when the statement stored
   * nothing although the message has a client id (a resend whose chat closed meanwhile was stored
   * before it closed: the unit's look-up finds it). A resend otherwise fails on the unique index.
   */
  async function appendInOneStatement(message: NewChatMessage, now: number, { allowClosed = false, replied = false }: AppendOptions): Promise<ChatAppendOutcome | undefined> {
    if (!oneStatement || allowClosed) return undefined;
    const stored = await oneStatement.run((runner) => oneStatement.store(runner, message, now, false, replied));
    if (stored) return { status: 'stored', message: stored };
    return message.clientId ? undefined : { status: 'closed' };
  }

  return {
    appendIn,
    async append(message, now, options = {}) {
      try {
        return (await appendInOneStatement(message, now, options)) ?? (await appendInUnit(message, now, options));
      } catch (error) {
        // A resend on PostgreSQL's one statement, or the same client id stored concurrently by
        // another node: the unit looks it up and answers duplicate or client_id_reused.
        if (!isUniqueViolation(error)) throw error;
        return appendInUnit(message, now, options);
      }
    },
    async before(chatId, before, limit, visibleOnly) {
      let query = db.selectFrom('cs_chat_messages').selectAll().where('chat_id', '=', chatId);
      if (before !== undefined) query = query.where('seq', '<', before);
      if (visibleOnly) query = query.where('visible', '=', 1);
      const rows = await query.orderBy('seq', 'desc').limit(limit + 1).execute();
      return { messages: rows.slice(0, limit).reverse().map(toChatMessage), hasMore: rows.length > limit };
    },
    async lastOf(chats) {
      const map = new Map<string, StoredChatMessage>();
      const withMessages = chats.filter((chat) => chat.lastSeq > 0);
      if (withMessages.length === 0) return map;
      const [only] = withMessages;
      const rows =
        withMessages.length === 1 && only
          ? await messageAt(only.id, only.lastSeq)
          : await db
              .selectFrom('cs_chat_messages')
              .selectAll()
              // One flat list of (chat, seq) pairs (an `or` of `and`s cost Kysely more to build than SQLite to run).
              .where(({ eb, refTuple, tuple }) => eb(refTuple('chat_id', 'seq'), 'in', withMessages.map((chat) => tuple(chat.id, chat.lastSeq))))
              .execute();
      for (const row of rows) map.set(row.chat_id, toChatMessage(row));
      return map;
    },
  };
}

export function toChatMessage(row: Selectable<CsChatMessagesTable>): StoredChatMessage {
  return {
    id: row.id,
    chatId: row.chat_id,
    seq: Number(row.seq),
    author: row.author as ChatAuthor,
    agentId: row.agent_id,
    authorName: row.author_name,
    clientId: row.client_id,
    body: row.body,
    ...eventOf(row.event),
    createdAt: Number(row.created_at),
    visible: row.visible === 1,
  };
}

/** The stored event, when there is one this version understands (else the body alone is shown). */
function eventOf(json: string | null): { event?: ChatEvent } {
  if (!json) return {};
  try {
    const parsed = ChatEvent.safeParse(JSON.parse(json));
    return parsed.success ? { event: parsed.data } : {};
  } catch {
    return {};
  }
}

function newRow(message: NewChatMessage, seq: number, now: number): CsChatMessagesTable {
  return {
    id: randomUUID(),
    chat_id: message.chatId,
    seq,
    author: message.author,
    agent_id: message.agentId,
    author_name: message.authorName,
    sender_key: message.senderKey,
    client_id: message.clientId,
    body: message.body,
    event: message.event ? JSON.stringify(message.event) : null,
    visible: message.visible ? 1 : 0,
    created_at: now,
  };
}

/** Moves the chat's last_seq on by one and returns it; `repliedAt`: an agent's reply, which also ends the reply deadline. */
function bumpSeqOf(db: ServiceDb, chatId: string, allowClosed: boolean, repliedAt?: number) {
  const bump = db
    .updateTable('cs_chats')
    .set((eb) => ({
      last_seq: eb('last_seq', '+', 1),
      ...(repliedAt !== undefined ? { reply_due_at: null, first_response_at: eb.fn.coalesce('first_response_at', eb.val(repliedAt)) } : {}),
    }))
    .where('id', '=', chatId);
  return (allowClosed ? bump : bump.where('status', '!=', 'closed')).returning('last_seq');
}

/** A message row's values but its seq, in the order of the compiled inserts' parameters. */
type MessageValues = [id: string, chatId: string, author: string, agentId: string | null, authorName: string | null, senderKey: string | null, clientId: string | null, body: string, event: string | null, visible: number, createdAt: number];

function valuesOf(row: CsChatMessagesTable): MessageValues {
  return [row.id, row.chat_id, row.author, row.agent_id, row.author_name, row.sender_key, row.client_id, row.body, row.event, row.visible, row.created_at];
}

function rowOf([id, chatId, author, agentId, authorName, senderKey, clientId, body, event, visible, createdAt]: MessageValues): Omit<CsChatMessagesTable, 'seq'> {
  return { id, chat_id: chatId, author, agent_id: agentId, author_name: authorName, sender_key: senderKey, client_id: clientId, body, event, visible, created_at: createdAt };
}

/**
 * PostgreSQL: `with bumped as (update cs_chats … returning last_seq) insert … select … from bumped`.
 * A closed chat (unless `allowClosed`) or a missing one bumps nothing, so nothing is inserted. The
 * values are cast: in an INSERT … SELECT PostgreSQL types bare parameters as text.
 */
function insertAtNextSeqOf(db: ServiceDb, allowClosed: boolean, replied: boolean, values: MessageValues) {
  const row = rowOf(values);
  return db
    .with('bumped', () => bumpSeqOf(db, row.chat_id, allowClosed, replied ? row.created_at : undefined))
    .insertInto('cs_chat_messages')
    .columns(['id', 'chat_id', 'seq', 'author', 'agent_id', 'author_name', 'sender_key', 'client_id', 'body', 'event', 'visible', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('bumped')
        .select([
          eb.cast<string>(eb.val(row.id), 'varchar').as('id'),
          eb.cast<string>(eb.val(row.chat_id), 'varchar').as('chat_id'),
          'bumped.last_seq',
          eb.cast<string>(eb.val(row.author), 'varchar').as('author'),
          eb.cast<string | null>(eb.val(row.agent_id), 'varchar').as('agent_id'),
          eb.cast<string | null>(eb.val(row.author_name), 'varchar').as('author_name'),
          eb.cast<string | null>(eb.val(row.sender_key), 'varchar').as('sender_key'),
          eb.cast<string | null>(eb.val(row.client_id), 'varchar').as('client_id'),
          eb.cast<string>(eb.val(row.body), 'text').as('body'),
          eb.cast<string | null>(eb.val(row.event), 'text').as('event'),
          eb.cast<number>(eb.val(row.visible), 'integer').as('visible'),
          eb.cast<number>(eb.val(row.created_at), 'bigint').as('created_at'),
        ]),
    )
    .returning('seq');
}
