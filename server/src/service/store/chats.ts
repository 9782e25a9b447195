import { sql, type Selectable, type SqlBool } from 'kysely';
import type { ChatStatus } from '@switchboard/protocol';
import type { CsChatsTable, ServiceDb } from './schema.js';
import { prepareQuery, prepareStatement } from '../../store/preparedQuery.js';
import { affected, containsPattern, parseJson, Rollback } from './util.js';
import { attempt, type Trx, type WriteTransactions } from './writes.js';

export type ClosedBy = 'agent' | 'visitor' | 'system';

export interface ChatRecord {
  id: string;
  siteId: string;
  visitorId: string;
  departmentId: string | null;
  status: ChatStatus;
  assigneeId: string | null;
  queuedAt: number | null;
  createdAt: number;
  firstAssignedAt: number | null;
  assignedAt: number | null;
  firstResponseAt: number | null;
  replyDueAt: number | null;
  missedAgentIds: string[];
  closedAt: number | null;
  closedBy: ClosedBy | null;
  lastSeq: number;
}

export interface NewChat {
  id: string;
  siteId: string;
  visitorId: string;
  departmentId: string | null;
}

/**
 * Visitor chats and their assignment. Every change of who holds a chat happens in one transaction
 * together with the agents' load (cs_agents.active_chats), through conditional updates: the chat
 * row must still be in the expected state and the agent must still be available with room, or
 * nothing is written. That is what keeps "never assigned twice" and "never over capacity" true
 * with concurrent arrivals and several nodes on one PostgreSQL. Rows are locked chat first, then
 * agents in id order, so two transactions never wait on each other in a cycle.
 */
export interface ChatRepository {
  create(chat: NewChat, now: number): Promise<ChatRecord>;
  /** create() as a step of the caller's unit of work (the chat stored with its first message). */
  createIn(trx: Trx, chat: NewChat, now: number): Promise<ChatRecord>;
  find(id: string): Promise<ChatRecord | undefined>;
  findMany(ids: readonly string[]): Promise<ChatRecord[]>;
  /** The visitor's chat that is not closed, if any. */
  openForVisitor(visitorId: string): Promise<ChatRecord | undefined>;
  forVisitor(visitorId: string, limit: number): Promise<ChatRecord[]>;
  /** Open chats the agent holds or was invited to. */
  openForAgent(agentId: string): Promise<ChatRecord[]>;
  /** Open chats assigned to the agent. */
  assignedTo(agentId: string): Promise<ChatRecord[]>;
  /** Queued chats, longest waiter first. */
  queued(limit: number): Promise<ChatRecord[]>;
  /** 1-based place in the queue (by queued_at, then id). */
  queuePosition(chat: ChatRecord): Promise<number | null>;
  /** queued → assigned to `agentId`, if the chat is still queued and the agent available with room. */
  assign(chatId: string, agentId: string, now: number, replyDueAt: number | null): Promise<boolean>;
  /** assign() as a step of the caller's unit of work; throws Rollback when it cannot be made (run it with `attempt`). */
  assignIn(trx: Trx, chatId: string, agentId: string, now: number, replyDueAt: number | null): Promise<void>;
  /**
   * Assigns `chat`, which the caller's unit has just created, if no queued chat is ahead of it and
   * the agent is available with room; false, with nothing written, otherwise (the chat stays queued).
   */
  assignArrivingIn(trx: Trx, chat: ChatRecord, agentId: string, now: number, replyDueAt: number | null): Promise<boolean>;
  /** assigned(from) → assigned(to), if `from` still holds it and `to` is available with room. */
  reassign(chatId: string, fromId: string, toId: string, now: number, options: { replyDueAt: number | null; onlyIfReplyDue?: boolean; missedAgentIds?: string[] }): Promise<boolean>;
  /** assigned(from) → queued, at the front (by the chat's start time); optionally into another department. */
  requeue(chatId: string, fromId: string, now: number, departmentId?: string | null): Promise<boolean>;
  /** queued → queued in another department. */
  moveQueued(chatId: string, departmentId: string | null): Promise<boolean>;
  /**
   * Closes `chat` (releasing its assignee's capacity) as a step of the caller's unit of work, if it
   * is still as read: same status, same assignee. Throws Rollback otherwise (run it with `attempt`).
   */
  closeIn(trx: Trx, chat: ChatRecord, closedBy: ClosedBy, now: number): Promise<void>;
  /** Moves a passed reply deadline (null: drops it). */
  postponeReply(chatId: string, now: number, replyDueAt: number | null): Promise<boolean>;
  /** Assigned chats whose reply deadline passed. */
  replyDue(now: number, limit: number): Promise<ChatRecord[]>;
  markVisitorRead(chatId: string, seq: number): Promise<void>;
  /** Invited colleagues per chat, in the order they joined. */
  inviteesOf(chatIds: readonly string[]): Promise<Map<string, string[]>>;
  invite(chatId: string, agentId: string, now: number): Promise<boolean>;
  uninvite(chatId: string, agentId: string): Promise<boolean>;
  /** Open chats whose visitor is gone and was last seen before `before`. */
  abandoned(before: number, limit: number): Promise<ChatRecord[]>;
  /** Chats created in [from, to), for reports. */
  createdBetween(from: number, to: number): Promise<ChatRecord[]>;
  /** Newest first; text matches message bodies, visitor name or email. */
  search(options: { text?: string | undefined; closedOnly: boolean; before?: number | undefined; limit: number }): Promise<{ chats: ChatRecord[]; hasMore: boolean }>;
}

export function createChatRepository(db: ServiceDb, writes: WriteTransactions): ChatRepository {
  /** Runs a conditional unit: false when it rolled back on purpose. */
  const made = async (work: (trx: Trx) => Promise<void>): Promise<boolean> => (await attempt(writes, work)) !== undefined;

  // The statements of every assignment and closing, compiled once; they run inside the write transaction.
  const takeSeatOf = prepareStatement(2, (agentId: string, now: number) =>
    db
      .updateTable('cs_agents')
      .set((eb) => ({ active_chats: eb('active_chats', '+', 1), last_assigned_at: now }))
      .where('user_id', '=', agentId)
      .where('duty_status', '=', 'available')
      .whereRef('active_chats', '<', 'max_chats'),
  );
  const freeSeatOf = prepareStatement(1, (agentId: string) =>
    db
      .updateTable('cs_agents')
      .set((eb) => ({ active_chats: eb('active_chats', '-', 1) }))
      .where('user_id', '=', agentId)
      .where('active_chats', '>', 0),
  );
  // An invited colleague who becomes the assignee is no longer listed as invited.
  const forgetInvite = prepareStatement(2, (chatId: string, agentId: string) => db.deleteFrom('cs_chat_agents').where('chat_id', '=', chatId).where('agent_id', '=', agentId));
  const rememberLastAgent = prepareStatement(2, (chatId: string, agentId: string) =>
    db
      .updateTable('cs_visitors')
      .set({ last_agent_id: agentId })
      .where('id', '=', (eb) => eb.selectFrom('cs_chats').select('visitor_id').where('id', '=', chatId)),
  );

  const assignQueued = prepareStatement(4, (chatId: string, agentId: string, now: number, replyDueAt: number | null) =>
    db
      .updateTable('cs_chats')
      .set((eb) => ({
        status: 'assigned',
        assignee_id: agentId,
        assigned_at: now,
        first_assigned_at: eb.fn.coalesce('first_assigned_at', eb.val(now)),
        queued_at: null,
        reply_due_at: replyDueAt,
      }))
      .where('id', '=', chatId)
      .where('status', '=', 'queued'),
  );

  // Closing is conditional on the chat as its caller read it: same status, same assignee (or none).
  const closeWhere = (chatId: string, status: string, closedBy: string, now: number) =>
    db.updateTable('cs_chats').set({ status: 'closed', closed_at: now, closed_by: closedBy, queued_at: null, reply_due_at: null }).where('id', '=', chatId).where('status', '=', status);
  const closeUnassigned = prepareStatement(4, (chatId: string, status: string, closedBy: string, now: number) => closeWhere(chatId, status, closedBy, now).where('assignee_id', 'is', null));
  const closeHeld = prepareStatement(5, (chatId: string, status: string, assigneeId: string, closedBy: string, now: number) =>
    closeWhere(chatId, status, closedBy, now).where('assignee_id', '=', assigneeId),
  );

  async function takeSeat(trx: Trx, agentId: string, now: number): Promise<void> {
    if (!(await takeSeatOf(trx, agentId, now)).numAffectedRows) throw new Rollback();
  }

  async function freeSeat(trx: Trx, agentId: string): Promise<void> {
    await freeSeatOf(trx, agentId);
  }

  async function rememberAgent(trx: Trx, chatId: string, agentId: string): Promise<void> {
    await forgetInvite(trx, chatId, agentId);
    await rememberLastAgent(trx, chatId, agentId);
  }

  // Is a queued chat ahead of this one (by the queue's order, a range of its index)?
  const queuedAhead = prepareStatement(2, (queuedAt: number, id: string) =>
    db
      .selectFrom('cs_chats')
      .select('id')
      .where('status', '=', 'queued')
      .where(({ eb, refTuple, tuple }) => eb(refTuple('queued_at', 'id'), '<', tuple(queuedAt, id)))
      .limit(1),
  );

  // Every chat starts this way: waiting in the queue.
  const insertQueued = prepareStatement(5, (id: string, siteId: string, visitorId: string, departmentId: string | null, now: number) =>
    db.insertInto('cs_chats').values(queuedChatRow({ id, siteId, visitorId, departmentId }, now)),
  );

  // Nearly every visitor and agent frame reads its chat.
  const byId = prepareQuery(db, 1, (id: string) => db.selectFrom('cs_chats').selectAll().where('id', '=', id));
  // Asked for every message to an agent (who else is in the chat).
  const inviteesOfOne = prepareQuery(db, 1, (chatId: string) => db.selectFrom('cs_chat_agents').selectAll().where('chat_id', '=', chatId).orderBy('joined_at'));
  // At most one chat per visitor is not closed (a unique index), so no order is needed.
  const openOfVisitor = prepareQuery(db, 1, (visitorId: string) => db.selectFrom('cs_chats').selectAll().where('visitor_id', '=', visitorId).where('status', '!=', 'closed').limit(1));

  async function createIn(trx: Trx, chat: NewChat, now: number): Promise<ChatRecord> {
    await insertQueued(trx, chat.id, chat.siteId, chat.visitorId, chat.departmentId, now);
    return queuedChat(chat, now);
  }

  async function assignIn(trx: Trx, chatId: string, agentId: string, now: number, replyDueAt: number | null): Promise<void> {
    if (!(await assignQueued(trx, chatId, agentId, now, replyDueAt)).numAffectedRows) throw new Rollback();
    await takeSeat(trx, agentId, now);
    await rememberAgent(trx, chatId, agentId);
  }

  async function assignArrivingIn(trx: Trx, chat: ChatRecord, agentId: string, now: number, replyDueAt: number | null): Promise<boolean> {
    if (chat.queuedAt === null || (await queuedAhead(trx, chat.queuedAt, chat.id)).rows.length > 0) return false;
    // The seat first: when it is taken, nothing is written yet. Locking the agent before the chat
    // cannot close a cycle: no other transaction sees this chat before the unit commits.
    if (!(await takeSeatOf(trx, agentId, now)).numAffectedRows) return false;
    await assignQueued(trx, chat.id, agentId, now, replyDueAt);
    await rememberAgent(trx, chat.id, agentId);
    return true;
  }

  return {
    create: (chat, now) => writes.run((trx) => createIn(trx, chat, now)),
    assignArrivingIn,
    createIn,
    async find(id) {
      const [row] = await byId(id);
      return row && toChat(row);
    },
    async findMany(ids) {
      if (ids.length === 0) return [];
      // One chat is the common case (a change to one chat being announced): the compiled read.
      const rows = ids.length === 1 ? await byId(ids[0] as string) : await db.selectFrom('cs_chats').selectAll().where('id', 'in', [...ids]).execute();
      return rows.map(toChat);
    },
    async openForVisitor(visitorId) {
      const [row] = await openOfVisitor(visitorId);
      return row && toChat(row);
    },
    async forVisitor(visitorId, limit) {
      const rows = await db.selectFrom('cs_chats').selectAll().where('visitor_id', '=', visitorId).orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map(toChat);
    },
    async openForAgent(agentId) {
      const rows = await db
        .selectFrom('cs_chats')
        .selectAll()
        .where('status', '!=', 'closed')
        .where((eb) =>
          eb.or([
            eb('assignee_id', '=', agentId),
            eb('id', 'in', eb.selectFrom('cs_chat_agents').select('chat_id').where('agent_id', '=', agentId)),
          ]),
        )
        .orderBy('created_at')
        .execute();
      return rows.map(toChat);
    },
    async assignedTo(agentId) {
      const rows = await db.selectFrom('cs_chats').selectAll().where('assignee_id', '=', agentId).where('status', '=', 'assigned').orderBy('created_at').execute();
      return rows.map(toChat);
    },
    async queued(limit) {
      const rows = await db.selectFrom('cs_chats').selectAll().where('status', '=', 'queued').orderBy('queued_at').orderBy('id').limit(limit).execute();
      return rows.map(toChat);
    },
    async queuePosition(chat) {
      if (chat.status !== 'queued' || chat.queuedAt === null) return null;
      const queuedAt = chat.queuedAt;
      const row = await db
        .selectFrom('cs_chats')
        .select((eb) => eb.fn.countAll<number>().as('ahead'))
        .where('status', '=', 'queued')
        // Ahead: earlier, or as early and a smaller id (the queue's order); a range of the queue's index.
        .where(({ eb, refTuple, tuple }) => eb(refTuple('queued_at', 'id'), '<', tuple(queuedAt, chat.id)))
        .executeTakeFirstOrThrow();
      return Number(row.ahead) + 1;
    },
    assign: (chatId, agentId, now, replyDueAt) => made((trx) => assignIn(trx, chatId, agentId, now, replyDueAt)),
    assignIn,
    reassign(chatId, fromId, toId, now, options) {
      if (fromId === toId) return Promise.resolve(false);
      return made(async (trx) => {
        let query = trx
          .updateTable('cs_chats')
          .set({
            assignee_id: toId,
            assigned_at: now,
            reply_due_at: options.replyDueAt,
            ...(options.missedAgentIds ? { missed_agent_ids: JSON.stringify(options.missedAgentIds) } : {}),
          })
          .where('id', '=', chatId)
          .where('status', '=', 'assigned')
          .where('assignee_id', '=', fromId);
        if (options.onlyIfReplyDue) query = query.where('reply_due_at', '<=', now);
        if (affected(await query.executeTakeFirst()) === 0) throw new Rollback();
        // Agents in id order (see the interface comment).
        if (fromId < toId) {
          await freeSeat(trx, fromId);
          await takeSeat(trx, toId, now);
        } else {
          await takeSeat(trx, toId, now);
          await freeSeat(trx, fromId);
        }
        await rememberAgent(trx, chatId, toId);
      });
    },
    requeue(chatId, fromId, _now, departmentId) {
      return made(async (trx) => {
        const result = await trx
          .updateTable('cs_chats')
          .set((eb) => ({
            status: 'queued',
            assignee_id: null,
            assigned_at: null,
            reply_due_at: null,
            queued_at: eb.ref('created_at'),
            ...(departmentId !== undefined ? { department_id: departmentId } : {}),
          }))
          .where('id', '=', chatId)
          .where('status', '=', 'assigned')
          .where('assignee_id', '=', fromId)
          .executeTakeFirst();
        if (affected(result) === 0) throw new Rollback();
        await freeSeat(trx, fromId);
      });
    },
    async moveQueued(chatId, departmentId) {
      const result = await db.updateTable('cs_chats').set({ department_id: departmentId }).where('id', '=', chatId).where('status', '=', 'queued').executeTakeFirst();
      return affected(result) > 0;
    },
    async closeIn(trx, chat, closedBy, now) {
      const closed = chat.assigneeId === null ? await closeUnassigned(trx, chat.id, chat.status, closedBy, now) : await closeHeld(trx, chat.id, chat.status, chat.assigneeId, closedBy, now);
      if (!closed.numAffectedRows) throw new Rollback();
      if (chat.status === 'assigned' && chat.assigneeId) await freeSeat(trx, chat.assigneeId);
    },
    async postponeReply(chatId, now, replyDueAt) {
      const result = await db
        .updateTable('cs_chats')
        .set({ reply_due_at: replyDueAt })
        .where('id', '=', chatId)
        .where('status', '=', 'assigned')
        .where('reply_due_at', '<=', now)
        .executeTakeFirst();
      return affected(result) > 0;
    },
    async replyDue(now, limit) {
      const rows = await db
        .selectFrom('cs_chats')
        .selectAll()
        .where('status', '=', 'assigned')
        .where('reply_due_at', '<=', now)
        .orderBy('reply_due_at')
        .limit(limit)
        .execute();
      return rows.map(toChat);
    },
    async markVisitorRead(chatId, seq) {
      await db
        .updateTable('cs_chats')
        .set((eb) => ({ visitor_read_seq: eb.fn('min', [eb.val(seq), eb.ref('last_seq')]) }))
        .where('id', '=', chatId)
        .where('visitor_read_seq', '<', seq)
        .execute();
    },
    async inviteesOf(chatIds) {
      const map = new Map<string, string[]>();
      if (chatIds.length === 0) return map;
      const rows =
        chatIds.length === 1 ? await inviteesOfOne(chatIds[0] as string) : await db.selectFrom('cs_chat_agents').selectAll().where('chat_id', 'in', [...chatIds]).orderBy('joined_at').execute();
      for (const row of rows) {
        const list = map.get(row.chat_id);
        if (list) list.push(row.agent_id);
        else map.set(row.chat_id, [row.agent_id]);
      }
      return map;
    },
    async invite(chatId, agentId, now) {
      const result = await db
        .insertInto('cs_chat_agents')
        .values({ chat_id: chatId, agent_id: agentId, role: 'invited', joined_at: now })
        .onConflict((oc) => oc.columns(['chat_id', 'agent_id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async uninvite(chatId, agentId) {
      return affected(await db.deleteFrom('cs_chat_agents').where('chat_id', '=', chatId).where('agent_id', '=', agentId).executeTakeFirst()) > 0;
    },
    async abandoned(before, limit) {
      const rows = await db
        .selectFrom('cs_chats')
        .selectAll()
        .where('status', '!=', 'closed')
        .where('visitor_id', 'in', (eb) => eb.selectFrom('cs_visitors').select('id').where('online', '=', 0).where('last_seen_at', '<', before))
        .limit(limit)
        .execute();
      return rows.map(toChat);
    },
    async createdBetween(from, to) {
      const rows = await db.selectFrom('cs_chats').selectAll().where('created_at', '>=', from).where('created_at', '<', to).execute();
      return rows.map(toChat);
    },
    async search({ text, closedOnly, before, limit }) {
      let query = db.selectFrom('cs_chats').selectAll('cs_chats');
      if (closedOnly) query = query.where('cs_chats.status', '=', 'closed');
      if (before !== undefined) query = query.where('cs_chats.created_at', '<', before);
      if (text) {
        const pattern = containsPattern(text);
        const like = (column: string) => sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '!'`;
        query = query.where((eb) =>
          eb.or([
            eb('cs_chats.id', 'in', eb.selectFrom('cs_chat_messages').select('cs_chat_messages.chat_id').where(like('cs_chat_messages.body'))),
            eb(
              'cs_chats.visitor_id',
              'in',
              eb
                .selectFrom('cs_visitors')
                .select('cs_visitors.id')
                .where((inner) => inner.or([like('cs_visitors.name'), like('cs_visitors.email')])),
            ),
          ]),
        );
      }
      const rows = await query.orderBy('cs_chats.created_at', 'desc').orderBy('cs_chats.id', 'desc').limit(limit + 1).execute();
      return { chats: rows.slice(0, limit).map(toChat), hasMore: rows.length > limit };
    },
  };
}

/** A chat as it starts: waiting in the queue. */
export function queuedChat(chat: NewChat, now: number): ChatRecord {
  return toChat(queuedChatRow(chat, now));
}

function queuedChatRow(chat: NewChat, now: number): Selectable<CsChatsTable> {
  return {
    id: chat.id,
    site_id: chat.siteId,
    visitor_id: chat.visitorId,
    department_id: chat.departmentId,
    status: 'queued',
    assignee_id: null,
    queued_at: now,
    created_at: now,
    first_assigned_at: null,
    assigned_at: null,
    first_response_at: null,
    reply_due_at: null,
    missed_agent_ids: '[]',
    closed_at: null,
    closed_by: null,
    last_seq: 0,
    visitor_read_seq: 0,
  };
}

export function toChat(row: Selectable<CsChatsTable>): ChatRecord {
  return {
    id: row.id,
    siteId: row.site_id,
    visitorId: row.visitor_id,
    departmentId: row.department_id,
    status: row.status as ChatStatus,
    assigneeId: row.assignee_id,
    queuedAt: row.queued_at,
    createdAt: row.created_at,
    firstAssignedAt: row.first_assigned_at,
    assignedAt: row.assigned_at,
    firstResponseAt: row.first_response_at,
    replyDueAt: row.reply_due_at,
    missedAgentIds: parseJson<string[]>(row.missed_agent_ids, []),
    closedAt: row.closed_at,
    closedBy: row.closed_by as ClosedBy | null,
    lastSeq: row.last_seq,
  };
}
