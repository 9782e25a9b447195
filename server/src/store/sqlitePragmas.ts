import type SqliteDatabase from 'better-sqlite3';

/**
 * What every connection to the database file sets: the main one (db.ts) and the group commit's
 * thread (appendWorker.ts). FULL: a commit survives a power cut too, not only a crash; the CS
 * system's units relax it and sync the WAL off the event loop instead (sqliteConnection.ts).
 */
export function configureSqliteConnection(handle: SqliteDatabase.Database, cacheKib: number): void {
  handle.pragma('synchronous = FULL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  handle.pragma(`cache_size = -${cacheKib}`);
}
