import type { Selectable } from 'kysely';
import type { OfflineMessage } from '@switchboard/protocol';
import type { CsOfflineMessagesTable, ServiceDb } from './schema.js';

export interface OfflineRepository {
  create(message: OfflineMessage): Promise<void>;
  find(id: string): Promise<OfflineMessage | undefined>;
  list(status: 'open' | 'handled' | 'all', before: number | undefined, limit: number): Promise<{ messages: OfflineMessage[]; hasMore: boolean }>;
  setHandled(id: string, handledBy: string | null, now: number | null): Promise<OfflineMessage | undefined>;
  createdBetween(from: number, to: number): Promise<number[]>;
}

export function createOfflineRepository(db: ServiceDb): OfflineRepository {
  return {
    async create(message) {
      await db
        .insertInto('cs_offline_messages')
        .values({
          id: message.id,
          site_id: message.siteId,
          department_id: message.departmentId,
          visitor_id: message.visitorId,
          name: message.name,
          email: message.email,
          message: message.message,
          page_url: message.pageUrl,
          created_at: message.createdAt,
          handled_at: null,
          handled_by: null,
        })
        .execute();
    },
    async find(id) {
      const row = await db.selectFrom('cs_offline_messages').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toOffline(row);
    },
    async list(status, before, limit) {
      let query = db.selectFrom('cs_offline_messages').selectAll();
      if (status === 'open') query = query.where('handled_at', 'is', null);
      if (status === 'handled') query = query.where('handled_at', 'is not', null);
      if (before !== undefined) query = query.where('created_at', '<', before);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      return { messages: rows.slice(0, limit).map(toOffline), hasMore: rows.length > limit };
    },
    async setHandled(id, handledBy, now) {
      await db.updateTable('cs_offline_messages').set({ handled_at: now, handled_by: handledBy }).where('id', '=', id).execute();
      return this.find(id);
    },
    async createdBetween(from, to) {
      const rows = await db.selectFrom('cs_offline_messages').select('created_at').where('created_at', '>=', from).where('created_at', '<', to).execute();
      return rows.map((row) => row.created_at);
    },
  };
}

function toOffline(row: Selectable<CsOfflineMessagesTable>): OfflineMessage {
  return {
    id: row.id,
    siteId: row.site_id,
    departmentId: row.department_id,
    visitorId: row.visitor_id,
    name: row.name,
    email: row.email,
    message: row.message,
    pageUrl: row.page_url,
    createdAt: row.created_at,
    handledAt: row.handled_at,
    handledBy: row.handled_by,
  };
}
