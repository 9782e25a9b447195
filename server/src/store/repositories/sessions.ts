import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionRepository {
  create(session: SessionRecord & { userAgent: string | null; ip: string | null }): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  findValid(id: string, now: number): Promise<SessionRecord | undefined>;
  delete(id: string): Promise<void>;
  /** Deletes every session of the user except `keepId`; returns the ids deleted. */
  deleteForUser(userId: string, keepId?: string): Promise<string[]>;
  deleteExpired(now: number): Promise<void>;
}

export function createSessionRepository(db: Kysely<Database>): SessionRepository {
  return {
    async create(session) {
      await db
        .insertInto('sessions')
        .values({
          id: session.id,
          user_id: session.userId,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
          user_agent: session.userAgent?.slice(0, 512) ?? null,
          ip: session.ip,
        })
        .execute();
    },
    async findValid(id, now) {
      const row = await db
        .selectFrom('sessions')
        .select(['id', 'user_id', 'created_at', 'expires_at'])
        .where('id', '=', id)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row && { id: row.id, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at };
    },
    async delete(id) {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },
    async deleteForUser(userId, keepId) {
      let query = db.deleteFrom('sessions').where('user_id', '=', userId);
      if (keepId) query = query.where('id', '!=', keepId);
      const rows = await query.returning('id').execute();
      return rows.map((row) => row.id);
    },
    async deleteExpired(now) {
      await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
    },
  };
}
