import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

export interface AuditRecord {
  id: string;
  at: number;
  actorId: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

/** Append-only log of admin actions and logins. */
export interface AuditRepository {
  record(entry: AuditEntry, now: number): Promise<void>;
  recent(limit: number): Promise<AuditRecord[]>;
}

export function createAuditRepository(db: Kysely<Database>): AuditRepository {
  return {
    async record(entry, now) {
      await db
        .insertInto('audit_log')
        .values({
          id: randomUUID(),
          at: now,
          actor_id: entry.actorId,
          action: entry.action,
          target: entry.target ?? null,
          detail: entry.detail ? JSON.stringify(entry.detail) : null,
          ip: entry.ip ?? null,
        })
        .execute();
    },
    async recent(limit) {
      const rows = await db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').limit(limit).execute();
      return rows.map((row) => ({ id: row.id, at: row.at, actorId: row.actor_id, action: row.action, target: row.target, detail: row.detail, ip: row.ip }));
    },
  };
}
