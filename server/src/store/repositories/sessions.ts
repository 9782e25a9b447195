import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { prepareQuery } from '../preparedQuery.js';
import { toUser, type UserRecord } from './users.js';

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionRepository {
  create(session: SessionRecord & { userAgent: string | null; ip: string | null }): Promise<void>;
  /** The user of the session if the session exists and has not expired at `now` (one query). */
  userOfValid(id: string, now: number): Promise<UserRecord | undefined>;
  delete(id: string): Promise<void>;
  /** Deletes every session of the user except `keepId`; returns the ids deleted. */
  deleteForUser(userId: string, keepId?: string): Promise<string[]>;
  deleteExpired(now: number): Promise<void>;
}

export function createSessionRepository(db: Kysely<Database>): SessionRepository {
  const userOfValid = prepareQuery(db, 2, (id: string, now: number) =>
    db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').selectAll('users').where('sessions.id', '=', id).where('sessions.expires_at', '>', now),
  );
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
    async userOfValid(id, now) {
      const [row] = await userOfValid(id, now);
      return row && toUser(row);
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
