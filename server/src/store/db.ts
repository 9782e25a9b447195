import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, type MigrationProvider } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';
import { configureSqliteConnection } from './sqlitePragmas.js';
import { createSqliteConnection, type SqliteConnection } from './sqliteConnection.js';
import { preparedStatementName } from './preparedQuery.js';
import { FifoSqliteDialect } from './sqliteDialect.js';
import { withStatementCache } from './statementCache.js';

export type Dialect = 'sqlite' | 'postgres';

export interface StoreOptions {
  /** postgres://… for PostgreSQL; unset for SQLite in dataDir. */
  databaseUrl?: string | undefined;
  /** PostgreSQL schema (search_path) to use; created if missing. */
  databaseSchema?: string | undefined;
  dataDir: string;
}

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** SQLite only: the connection's hot paths (the message group commit on its thread, relaxed CS commits). */
  sqlite?: SqliteConnection;
  /** PostgreSQL only: the pool under Kysely, for the message hot path's named statements. */
  postgres?: pg.Pool;
  /** Runs `select 1` with a deadline; false when the database does not answer. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens the database, applies pending migrations and returns the store. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl ? await openPostgres(options.databaseUrl, options.databaseSchema) : openSqlite(options.dataDir);
  if (store.dialect === 'postgres' && options.databaseSchema) {
    await sql`create schema if not exists ${sql.id(options.databaseSchema)}`.execute(store.db);
  }
  await migrate(store.db, store.dialect === 'postgres' ? await migrationSchema(store.db, options.databaseSchema) : undefined);
  return store;
}

/**
 * Where Kysely keeps its migration tables. Left unset, Kysely looks for them in every schema of
 * the database, finds another schema's (a second deployment, a test run) and then fails or skips
 * migrations in ours; so it is pinned to the schema our tables live in.
 */
async function migrationSchema(db: Kysely<Database>, configured: string | undefined): Promise<string | undefined> {
  if (configured) return configured;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

/**
 * The main connection's page cache, in KiB (an upper bound: it grows only as pages are read).
 * 64 MiB instead of SQLite's 2 MiB: a restarted node reads every reconnecting client's session,
 * conversations and members, scattered over the file by their random keys; with 2 MiB nearly
 * every page was read from the OS again for each client (docs/performance.md, 12).
 */
const SQLITE_CACHE_KIB = 64 * 1024;

function openSqlite(dataDir: string): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const fileName = path.join(dataDir, 'switchboard.db');
  const file = new SqliteDatabase(fileName);
  file.pragma('journal_mode = WAL');
  configureSqliteConnection(file, SQLITE_CACHE_KIB);
  const db = new Kysely<Database>({ dialect: new FifoSqliteDialect({ database: withStatementCache(file) }) });
  const sqlite = createSqliteConnection(file, db, fileName);
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    ping: async () => {
      try {
        file.prepare('select 1').get();
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      await sqlite.close();
      await db.destroy();
    },
  };
}

async function openPostgres(url: string, schema: string | undefined): Promise<Store> {
  // Loaded only here: on SQLite, the driver was ~0.15 s of every start (a restart's dead time).
  const { default: pg } = await import('pg');
  // int8 (bigint) columns hold epoch-ms times and sequence numbers, all below 2^53.
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 3000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor may a checked-out one: pg-pool listens for errors only while a client is idle, and a
  // connection dropping under a running query also emits 'error' on the client, which, unheard,
  // would kill the process. The query itself fails (the send gets `unavailable`) and the pool
  // discards the broken client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    prepareCompiledQueries(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    postgres: pool,
    ping: async (timeoutMs = 2000) => {
      try {
        await withTimeout(sql`select 1`.execute(db), timeoutMs);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}

/**
 * Kysely sends every query unnamed, so PostgreSQL parses and plans it on every call. The queries
 * compiled once (store/preparedQuery.ts) go out as named statements instead: prepared on first
 * use on each connection, planned once (after five custom plans PostgreSQL may keep a generic
 * one, which for these key look-ups is the same plan).
 */
function prepareCompiledQueries(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    const name = typeof text === 'string' && Array.isArray(values) ? preparedStatementName(text) : undefined;
    return name ? query({ name, text, values }, ...args.slice(2)) : query(...args);
  };
}

async function migrate(db: Kysely<Database>, schema: string | undefined): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
