import type SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { startCheckpointer } from './checkpointer.js';
import type { Database } from './schema.js';
import { createWalSync } from './walSync.js';

/** The SQLite connection under Kysely, for the message hot path (statements prepared once, fsync off the loop). */
export interface SqliteConnection {
  /**
   * Runs synchronous `work` on the handle while no Kysely query or transaction holds the
   * connection (Kysely's driver serialises its use with a lock; this takes the same lock).
   */
  exclusive<T>(work: (handle: SqliteDatabase.Database) => T): Promise<T>;
  /**
   * Like `exclusive` for a write transaction, but its COMMIT does not fsync on the event loop:
   * resolves once the WAL holding it is on disk (see walSync.ts), so it is as durable as a
   * `synchronous=FULL` commit when the promise resolves. Every other write stays FULL.
   */
  writeDurably<T>(work: (handle: SqliteDatabase.Database) => T): Promise<T>;
  /**
   * Runs `work`, a Kysely transaction on the connection its caller already holds (inside
   * `db.connection()`), with `synchronous=NORMAL`, and counts its commit for `durable()`, which the
   * caller must await before anyone hears of what it wrote.
   */
  relaxed<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Resolves once everything committed so far is on disk. Reads that hand out messages wait for
   * it, so no client sees a message that a power cut could still take back (and whose seq would
   * then be given to another).
   */
  durable(): Promise<void>;
  close(): Promise<void>;
}

export function createSqliteConnection(handle: SqliteDatabase.Database, db: Kysely<Database>, file: string): SqliteConnection {
  const walSync = createWalSync(`${file}-wal`);
  handle.pragma('wal_autocheckpoint = 0');
  const checkpointer = startCheckpointer(file, () => handle.pragma('wal_autocheckpoint = 1000'));
  const relaxed = handle.prepare('pragma synchronous = NORMAL');
  const full = handle.prepare('pragma synchronous = FULL');
  const exclusive = <T>(work: (handle: SqliteDatabase.Database) => T): Promise<T> => db.connection().execute(async () => work(handle));
  return {
    exclusive,
    async writeDurably(work) {
      let commit = 0;
      const result = await exclusive(() => {
        relaxed.run();
        try {
          const value = work(handle);
          commit = walSync.committed();
          return value;
        } finally {
          full.run();
        }
      });
      await walSync.durable(commit);
      return result;
    },
    async relaxed(work) {
      relaxed.run();
      try {
        return await work();
      } finally {
        walSync.committed();
        full.run();
      }
    },
    durable: () => walSync.durable(),
    async close() {
      await checkpointer.stop();
      await walSync.close();
    },
  };
}
