import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../store/index.js';
import { newTestSchema, TEST_DATABASE_URL, type TestStore } from './testServer.js';

/** A migrated, empty store opened in the test process (no server): a temp folder or a fresh schema. */
export async function openTestStore(kind: TestStore, label: string): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  if (kind === 'postgres') {
    const schema = newTestSchema();
    const store = await openStore({ databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, dataDir: os.tmpdir() });
    return {
      store,
      async cleanup() {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(store.db);
        await store.close();
      },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `sb-${label}-`));
  const store = await openStore({ dataDir });
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
