import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from './schema.js';
import { prepareQuery, prepareStatement } from './preparedQuery.js';

describe('prepareQuery', () => {
  const handle = new SqliteDatabase(':memory:');
  handle.exec(`create table users (id text primary key, username text, display_name text, password_hash text, roles text, disabled integer, created_at integer, updated_at integer)`);
  const insert = handle.prepare(`insert into users values (?, ?, ?, '', '', ?, 0, 0)`);
  for (const [id, disabled] of [['a', 0], ['b', 1], ['c', 0]] as const) insert.run(id, id, `User ${id}`, disabled);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });

  it('compiles once and runs with each call’s arguments, a repeated one in every place it is used', async () => {
    const find = prepareQuery(db, 2, (id: string, disabled: number) =>
      db.selectFrom('users').select('id').where((eb) => eb.or([eb('id', '=', id), eb('username', '=', id)])).where('disabled', '=', disabled).limit(5),
    );
    expect(await find('a', 0)).toEqual([{ id: 'a' }]);
    expect(await find('b', 0)).toEqual([]);
    expect(await find('b', 1)).toEqual([{ id: 'b' }]);
  });

  it('refuses an argument that does not end up a parameter of the query', () => {
    expect(() => prepareQuery(db, 2, (id: string) => db.selectFrom('users').select('id').where('id', '=', id))).toThrow(/argument 1/);
  });

  it('runs a prepared statement where its caller says: inside a transaction, with the whole result', async () => {
    const disable = prepareStatement(1, (id: string) => db.updateTable('users').set({ disabled: 1 }).where('id', '=', id).where('disabled', '=', 0));
    const changed = await db.transaction().execute(async (trx) => (await disable(trx, 'c')).numAffectedRows);
    expect(changed).toBe(1n);
    expect((await disable(db, 'c')).numAffectedRows).toBe(0n);
    await expect(
      db.transaction().execute(async (trx) => {
        await disable(trx, 'a');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db.selectFrom('users').select('disabled').where('id', '=', 'a').executeTakeFirstOrThrow()).toEqual({ disabled: 0 });
  });
});
