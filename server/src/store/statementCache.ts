import type SqliteDatabase from 'better-sqlite3';

/** Most statements kept prepared; IN lists of every length are distinct statements, so it is bounded. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The handle as Kysely's SQLite dialect sees it, with prepared statements reused by SQL text.
 * Kysely prepares every query anew, and compiling the SQL cost more than running it for the short
 * queries of a hello or a sync (13 % of the server's time in a reconnect storm). Reuse is safe:
 * Kysely runs one query at a time on the connection and each runs to completion synchronously.
 */
export function withStatementCache(handle: SqliteDatabase.Database): { close(): void; prepare(sql: string): SqliteDatabase.Statement } {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => handle.close(),
    prepare(sql) {
      let statement = cache.get(sql);
      if (statement) {
        // Most recently used last, so the first entry is the one to evict.
        cache.delete(sql);
      } else {
        statement = handle.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
