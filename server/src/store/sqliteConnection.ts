import type SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { createAppendThread } from './appendThread.js';
import { startCheckpointer } from './checkpointer.js';
import type { AppendOutcome, AppendRequest } from './repositories/messageBatch.js';
import type { Database } from './schema.js';
import { createWalSync } from './walSync.js';

/** The SQLite connection under Kysely, for the hot paths: the message group commit on its own thread, the CS units' fsync off the loop. */
export interface SqliteConnection {
  /**
   * The message group commit (sqliteAppend.ts), run on a thread of its own with its own
   * connection (appendThread.ts) while no query runs on this one: SQLite has one writer, and a
   * write here meanwhile would wait in SQLite's busy handler, asleep on the event loop. The event
   * loop serves sockets while the batch is stored; resolves once it is committed and on disk.
   * Queries on this connection wait meanwhile, the batch's fsync included.
   */
  appendBatch(requests: readonly AppendRequest[], now: number): Promise<AppendOutcome[]>;
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

/** The group commit thread's page cache, in KiB: the pages a batch touches are the indexes' right edges and the conversations written to. */
const APPEND_CACHE_KIB = 16 * 1024;

export function createSqliteConnection(handle: SqliteDatabase.Database, db: Kysely<Database>, file: string): SqliteConnection {
  const walSync = createWalSync(`${file}-wal`);
  const appendThread = createAppendThread({ file, cacheKib: APPEND_CACHE_KIB });
  handle.pragma('wal_autocheckpoint = 0');
  const checkpointer = startCheckpointer(file, () => {
    handle.pragma('wal_autocheckpoint = 1000');
    appendThread.enableAutoCheckpoint();
  });
  const relaxed = handle.prepare('pragma synchronous = NORMAL');
  const full = handle.prepare('pragma synchronous = FULL');
  return {
    appendBatch: (requests, now) => db.connection().execute(() => appendThread.append(requests, now)),
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
      await appendThread.stop();
      await checkpointer.stop();
      await walSync.close();
    },
  };
}
