import type { RoutingRule } from '@switchboard/protocol';
import { prepareQuery } from '../../store/preparedQuery.js';
import type { ServiceDb } from './schema.js';

export interface ServiceSettingsRecord {
  routingRule: RoutingRule;
  replyTimeoutMs: number;
}

export const DEFAULT_SETTINGS: ServiceSettingsRecord = { routingRule: 'round_robin', replyTimeoutMs: 60_000 };

const ID = 'default';

export interface SettingsRepository {
  get(): Promise<ServiceSettingsRecord>;
  update(changes: Partial<ServiceSettingsRecord>, now: number): Promise<ServiceSettingsRecord>;
  /** Writes the default row if there is none; true when this call wrote it (first start). */
  ensureDefaults(now: number): Promise<boolean>;
}

export function createSettingsRepository(db: ServiceDb): SettingsRepository {
  // Read by every routing pass.
  const current = prepareQuery(db, 0, () => db.selectFrom('cs_settings').selectAll().where('id', '=', ID));
  return {
    async get() {
      const [row] = await current();
      if (!row) return DEFAULT_SETTINGS;
      return { routingRule: row.routing_rule as RoutingRule, replyTimeoutMs: row.reply_timeout_ms };
    },
    async update(changes, now) {
      await db
        .updateTable('cs_settings')
        .set({
          updated_at: now,
          ...(changes.routingRule !== undefined ? { routing_rule: changes.routingRule } : {}),
          ...(changes.replyTimeoutMs !== undefined ? { reply_timeout_ms: changes.replyTimeoutMs } : {}),
        })
        .where('id', '=', ID)
        .execute();
      return this.get();
    },
    async ensureDefaults(now) {
      const result = await db
        .insertInto('cs_settings')
        .values({ id: ID, routing_rule: DEFAULT_SETTINGS.routingRule, reply_timeout_ms: DEFAULT_SETTINGS.replyTimeoutMs, updated_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
  };
}
