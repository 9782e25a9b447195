import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_STORES } from '../test/testServer.js';
import { openTestStore } from '../test/testStore.js';
import type { Store } from './index.js';
import type { Database } from './schema.js';
import { prepareQuery, preparedStatementName } from './preparedQuery.js';

/** On PostgreSQL the queries compiled once are prepared by name on each connection; the rest stay unnamed. */
describe.runIf(TEST_STORES.includes('postgres'))('named statements on postgres', () => {
  let store: Store;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ store, cleanup } = await openTestStore('postgres', 'named'));
  });
  afterAll(async () => cleanup?.());

  it('prepares a compiled-once query on first use and answers it with each call’s arguments', async () => {
    const username = randomUUID();
    await store.db.insertInto('users').values({ id: username, username, display_name: 'N', password_hash: 'x', roles: '["employee"]', disabled: 0, created_at: 1, updated_at: 1 }).execute();
    const byUsername = (db: Kysely<Database>, name: string) => db.selectFrom('users').select(['id', 'created_at']).where('username', '=', name);

    const seen = await store.db.connection().execute(async (connection) => {
      const find = prepareQuery(connection, 1, (name: string) => byUsername(connection, name));
      const found = await find(username);
      const missing = await find('nobody');
      await sql`select ${username}::text as unnamed`.execute(connection);
      const prepared = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(connection);
      return { found, missing, prepared: prepared.rows.map((row) => row.name) };
    });
    const statementName = preparedStatementName(byUsername(store.db, '').compile().sql);
    expect(statementName).toMatch(/^sb_prepared_\d+$/);
    expect(seen.found).toEqual([{ id: username, created_at: 1 }]);
    expect(seen.missing).toEqual([]);
    expect(seen.prepared).toEqual([statementName]);
  });
});
