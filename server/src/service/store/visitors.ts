import type { Selectable } from 'kysely';
import type { PageInfo } from '@switchboard/protocol';
import type { CsVisitorsTable, ServiceDb } from './schema.js';
import { prepareQuery } from '../../store/preparedQuery.js';
import { affected, parseJson } from './util.js';
import type { Trx, WriteTransactions } from './writes.js';

export interface VisitorRecord {
  id: string;
  siteId: string;
  name: string | null;
  email: string | null;
  fields: Record<string, string>;
  page: PageInfo | null;
  userAgent: string | null;
  language: string | null;
  online: boolean;
  leaveDueAt: number | null;
  lastSeenAt: number;
  lastAgentId: string | null;
  createdAt: number;
}

export interface NewVisitor {
  id: string;
  siteId: string;
  tokenHash: string;
  page: PageInfo | null;
  userAgent: string | null;
  language: string | null;
}

export interface VisitorChanges {
  name?: string | null;
  email?: string | null;
  fields?: Record<string, string>;
  page?: PageInfo;
  userAgent?: string | null;
  language?: string | null;
}

export interface VisitorRepository {
  create(visitor: NewVisitor, now: number): Promise<VisitorRecord>;
  findByTokenHash(tokenHash: string): Promise<VisitorRecord | undefined>;
  find(id: string): Promise<VisitorRecord | undefined>;
  findMany(ids: readonly string[]): Promise<VisitorRecord[]>;
  update(id: string, changes: VisitorChanges): Promise<void>;
  /** update() as a step of the caller's unit of work (a chat's start stores the pre-chat answers with it). */
  updateIn(trx: Trx, id: string, changes: VisitorChanges): Promise<void>;
  /** The visitor has a live socket: online, no departure pending. True if they had been marked gone. */
  present(id: string, now: number): Promise<boolean>;
  /** Like present() for many visitors at once; returns those who had been marked gone. */
  presentMany(ids: readonly string[], now: number): Promise<string[]>;
  /** The page closed (socket closed or beacon): gone at `dueAt` unless present() comes first. */
  leaving(id: string, dueAt: number): Promise<void>;
  /**
   * Visitors whose departure is due, or whom no node has reported present since `staleBefore`
   * (their node crashed or restarted and they did not come back).
   */
  dueToLeave(now: number, staleBefore: number, limit: number): Promise<string[]>;
  /** Marks the visitor gone if that is still due; true for the one caller that did. */
  markGone(id: string, now: number, staleBefore: number): Promise<boolean>;
}

export function createVisitorRepository(db: ServiceDb, writes: WriteTransactions): VisitorRepository {
  // Read for every visitor message and chat start.
  const byId = prepareQuery(db, 1, (id: string) => db.selectFrom('cs_visitors').selectAll().where('id', '=', id));
  // Through the write transactions (not autocommit): on SQLite they share a commit whose fsync
  // runs off the event loop, and the node's presence report touches thousands of rows at once.
  async function presentMany(ids: readonly string[], now: number): Promise<string[]> {
    if (ids.length === 0) return [];
    return writes.run(async (trx) => {
      const back = await trx
        .updateTable('cs_visitors')
        .set({ online: 1, leave_due_at: null, last_seen_at: now })
        .where('id', 'in', [...ids])
        .where('online', '=', 0)
        .returning('id')
        .execute();
      await trx.updateTable('cs_visitors').set({ leave_due_at: null, last_seen_at: now }).where('id', 'in', [...ids]).execute();
      return back.map((row) => row.id);
    });
  }

  async function updateIn(trx: Trx, id: string, changes: VisitorChanges): Promise<void> {
    const set = {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.email !== undefined ? { email: changes.email } : {}),
      ...(changes.fields !== undefined ? { fields: JSON.stringify(changes.fields) } : {}),
      ...(changes.page !== undefined ? { page_url: changes.page.url, page_title: changes.page.title, referrer: changes.page.referrer } : {}),
      ...(changes.userAgent !== undefined ? { user_agent: changes.userAgent?.slice(0, 512) ?? null } : {}),
      ...(changes.language !== undefined ? { language: changes.language } : {}),
    };
    if (Object.keys(set).length > 0) await trx.updateTable('cs_visitors').set(set).where('id', '=', id).execute();
  }

  return {
    async create(visitor, now) {
      const row: Selectable<CsVisitorsTable> = {
        id: visitor.id,
        site_id: visitor.siteId,
        token_hash: visitor.tokenHash,
        name: null,
        email: null,
        fields: '{}',
        page_url: visitor.page?.url ?? null,
        page_title: visitor.page?.title ?? null,
        referrer: visitor.page?.referrer ?? null,
        user_agent: visitor.userAgent?.slice(0, 512) ?? null,
        language: visitor.language ?? null,
        online: 1,
        leave_due_at: null,
        last_seen_at: now,
        last_agent_id: null,
        created_at: now,
      };
      await writes.run((trx) => trx.insertInto('cs_visitors').values(row).execute());
      return toVisitor(row);
    },
    async findByTokenHash(tokenHash) {
      const row = await db.selectFrom('cs_visitors').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row && toVisitor(row);
    },
    async find(id) {
      const [row] = await byId(id);
      return row && toVisitor(row);
    },
    async findMany(ids) {
      if (ids.length === 0) return [];
      const rows = ids.length === 1 ? await byId(ids[0] as string) : await db.selectFrom('cs_visitors').selectAll().where('id', 'in', [...ids]).execute();
      return rows.map(toVisitor);
    },
    async update(id, changes) {
      // No unit at all for no change (a start without pre-chat answers).
      if (Object.values(changes).every((value) => value === undefined)) return;
      await writes.run((trx) => updateIn(trx, id, changes));
    },
    updateIn,
    async present(id, now) {
      return (await presentMany([id], now)).length > 0;
    },
    presentMany,
    async leaving(id, dueAt) {
      await writes.run((trx) =>
        trx
          .updateTable('cs_visitors')
          .set({ leave_due_at: dueAt })
          .where('id', '=', id)
          .where('online', '=', 1)
          .where((eb) => eb.or([eb('leave_due_at', 'is', null), eb('leave_due_at', '>', dueAt)]))
          .execute(),
      );
    },
    async dueToLeave(now, staleBefore, limit) {
      const rows = await db
        .selectFrom('cs_visitors')
        .select('id')
        .where('online', '=', 1)
        .where((eb) => eb.or([eb('leave_due_at', '<=', now), eb('last_seen_at', '<', staleBefore)]))
        .limit(limit)
        .execute();
      return rows.map((row) => row.id);
    },
    async markGone(id, now, staleBefore) {
      const result = await db
        .updateTable('cs_visitors')
        .set({ online: 0, leave_due_at: null })
        .where('id', '=', id)
        .where('online', '=', 1)
        .where((eb) => eb.or([eb('leave_due_at', '<=', now), eb('last_seen_at', '<', staleBefore)]))
        .executeTakeFirst();
      return affected(result) > 0;
    },
  };
}

function toVisitor(row: Selectable<CsVisitorsTable>): VisitorRecord {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    email: row.email,
    fields: parseJson<Record<string, string>>(row.fields, {}),
    page: row.page_url === null ? null : { url: row.page_url, title: row.page_title ?? '', referrer: row.referrer ?? '' },
    userAgent: row.user_agent,
    language: row.language,
    online: row.online === 1,
    leaveDueAt: row.leave_due_at,
    lastSeenAt: row.last_seen_at,
    lastAgentId: row.last_agent_id,
    createdAt: row.created_at,
  };
}
