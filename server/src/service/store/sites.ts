import type { Selectable } from 'kysely';
import type { PreChatField, Site } from '@switchboard/protocol';
import type { CsSitesTable, ServiceDb } from './schema.js';
import { affected, parseJson } from './util.js';

export type SiteRecord = Site;

export interface SiteChanges {
  siteKey?: string;
  name?: string;
  allowedOrigins?: string[];
  color?: string;
  greeting?: string;
  preChatEnabled?: boolean;
  preChatFields?: PreChatField[];
}

export interface SiteRepository {
  list(): Promise<SiteRecord[]>;
  find(id: string): Promise<SiteRecord | undefined>;
  findByKey(siteKey: string): Promise<SiteRecord | undefined>;
  create(site: SiteRecord): Promise<void>;
  update(id: string, changes: SiteChanges, now: number): Promise<SiteRecord | undefined>;
  delete(id: string): Promise<boolean>;
}

export function createSiteRepository(db: ServiceDb): SiteRepository {
  return {
    async list() {
      return (await db.selectFrom('cs_sites').selectAll().orderBy('name').execute()).map(toSite);
    },
    async find(id) {
      const row = await db.selectFrom('cs_sites').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toSite(row);
    },
    async findByKey(siteKey) {
      const row = await db.selectFrom('cs_sites').selectAll().where('site_key', '=', siteKey).executeTakeFirst();
      return row && toSite(row);
    },
    async create(site) {
      await db
        .insertInto('cs_sites')
        .values({
          id: site.id,
          site_key: site.siteKey,
          name: site.name,
          allowed_origins: JSON.stringify(site.allowedOrigins),
          color: site.color,
          greeting: site.greeting,
          pre_chat_enabled: site.preChatEnabled ? 1 : 0,
          pre_chat_fields: JSON.stringify(site.preChatFields),
          created_at: site.createdAt,
          updated_at: site.updatedAt,
        })
        .execute();
    },
    async update(id, changes, now) {
      await db
        .updateTable('cs_sites')
        .set({
          updated_at: now,
          ...(changes.siteKey !== undefined ? { site_key: changes.siteKey } : {}),
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.allowedOrigins !== undefined ? { allowed_origins: JSON.stringify(changes.allowedOrigins) } : {}),
          ...(changes.color !== undefined ? { color: changes.color } : {}),
          ...(changes.greeting !== undefined ? { greeting: changes.greeting } : {}),
          ...(changes.preChatEnabled !== undefined ? { pre_chat_enabled: changes.preChatEnabled ? 1 : 0 } : {}),
          ...(changes.preChatFields !== undefined ? { pre_chat_fields: JSON.stringify(changes.preChatFields) } : {}),
        })
        .where('id', '=', id)
        .execute();
      return this.find(id);
    },
    async delete(id) {
      return affected(await db.deleteFrom('cs_sites').where('id', '=', id).executeTakeFirst()) > 0;
    },
  };
}

function toSite(row: Selectable<CsSitesTable>): SiteRecord {
  return {
    id: row.id,
    siteKey: row.site_key,
    name: row.name,
    allowedOrigins: parseJson<string[]>(row.allowed_origins, []),
    color: row.color,
    greeting: row.greeting,
    preChatEnabled: row.pre_chat_enabled === 1,
    preChatFields: parseJson<PreChatField[]>(row.pre_chat_fields, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
