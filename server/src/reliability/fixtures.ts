import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { sessionIdFor } from '../im/auth.js';
import { openStore, type Store } from '../store/index.js';
import { tempDir } from './harness.js';

export type FaultStore = 'sqlite' | 'postgres';

/** The stores the suite runs on (the same switch as the rest of the integration suite). */
export const FAULT_STORES: FaultStore[] = (process.env.SWITCHBOARD_TEST_STORES ?? 'sqlite,postgres')
  .split(',')
  .map((store) => store.trim())
  .filter((store): store is FaultStore => store === 'sqlite' || store === 'postgres');

export const PG_URL = process.env.SWITCHBOARD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * One empty database for a test: a temp folder for SQLite, or a fresh schema in the machine's
 * PostgreSQL. `env` is what the server child needs to use it; `drop()` removes it again.
 */
export interface TestDatabase {
  store: FaultStore;
  dataDir: string;
  schema: string;
  env: Record<string, string>;
  /** Opens the same database from the test process (seeding before start, verifying after). */
  open(): Promise<Store>;
  drop(): Promise<void>;
}

export function createTestDatabase(store: FaultStore, label: string): TestDatabase {
  const dataDir = tempDir(label);
  const schema = `sb_fault_${process.pid}_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    SWITCHBOARD_DATA: dataDir,
    SWITCHBOARD_ADMIN_PASSWORD: `admin-${randomBytes(8).toString('hex')}`,
    ...(store === 'postgres' ? { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema } : {}),
  };
  return {
    store,
    dataDir,
    schema,
    env,
    open: () => openStore({ dataDir, ...(store === 'postgres' ? { databaseUrl: PG_URL, databaseSchema: schema } : {}) }),
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (store !== 'postgres') return;
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface SeededUser {
  id: string;
  username: string;
  token: string;
}

export interface SeededConversation {
  id: string;
  memberIds: string[];
}

/**
 * Writes users with live sessions (bearer tokens) and group conversations straight into the
 * database before the server starts: thousands of users without thousands of password hashes
 * and logins. Passwords are unusable on purpose; the tests only use the tokens.
 */
export async function seed(database: TestDatabase, spec: { users: number; groups: number[][]; prefix?: string }): Promise<{ users: SeededUser[]; conversations: SeededConversation[] }> {
  if (database.store === 'postgres') await sweepAbandonedSchemas();
  const store = await database.open();
  try {
    const now = Date.now();
    const prefix = spec.prefix ?? 'u';
    const users: SeededUser[] = Array.from({ length: spec.users }, (_, i) => ({ id: randomUUID(), username: `${prefix}${i}`, token: randomBytes(32).toString('base64url') }));
    const conversations: SeededConversation[] = spec.groups.map((members) => ({
      id: randomUUID(),
      memberIds: members.map((index) => {
        const user = users[index];
        if (!user) throw new Error(`seed: no user ${index}`);
        return user.id;
      }),
    }));
    await store.db.transaction().execute(async (trx) => {
      for (const chunk of chunks(users, 500)) {
        await trx
          .insertInto('users')
          .values(chunk.map((user) => ({ id: user.id, username: user.username, display_name: `User ${user.username}`, password_hash: '!', roles: 'employee', disabled: 0, created_at: now, updated_at: now })))
          .execute();
        await trx
          .insertInto('sessions')
          .values(chunk.map((user) => ({ id: sessionIdFor(user.token), user_id: user.id, created_at: now, expires_at: now + 24 * 3600_000, user_agent: 'fault-suite', ip: '127.0.0.1' })))
          .execute();
      }
      for (const [index, conversation] of conversations.entries()) {
        await trx
          .insertInto('conversations')
          .values({ id: conversation.id, kind: 'group', title: `group ${index}`, direct_key: null, created_by: conversation.memberIds[0] ?? '', created_at: now, updated_at: now, last_seq: 0 })
          .execute();
        for (const members of chunks(conversation.memberIds, 500)) {
          await trx
            .insertInto('conversation_members')
            .values(members.map((userId, i) => ({ conversation_id: conversation.id, user_id: userId, role: i === 0 ? 'owner' : 'member', joined_at: now, last_read_seq: 0 })))
            .execute();
        }
      }
    });
    return { users, conversations };
  } finally {
    await store.close();
  }
}

let swept = false;

/**
 * Drops fault-suite schemas (`sb_fault_<pid>_…`) whose process is gone: a worker killed hard never
 * ran its cleanup. Once per worker; schemas of live processes are left alone.
 */
async function sweepAbandonedSchemas(): Promise<void> {
  if (swept) return;
  swept = true;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`select schema_name as name from information_schema.schemata where schema_name like 'sb\\_fault\\_%'`);
    for (const { name } of rows) {
      const pid = Number(/^sb_fault_(\d+)_[0-9a-f]+$/.exec(name)?.[1]);
      if (!Number.isInteger(pid) || isAlive(pid)) continue;
      await client.query(`drop schema if exists ${name} cascade`);
    }
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
