import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { FifoMutex, FifoSqliteDialect } from './sqliteDialect.js';

describe('FifoMutex', () => {
  it('hands the lock to waiters in the order they asked, one holder at a time', async () => {
    const mutex = new FifoMutex();
    const order: number[] = [];
    let holders = 0;
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => {
        await mutex.lock();
        holders += 1;
        expect(holders).toBe(1);
        order.push(i);
        await Promise.resolve();
        holders -= 1;
        mutex.unlock();
      }),
    );
    expect(order).toEqual([0, 1, 2, 3, 4]);
    // Free again: the next lock is granted at once.
    await mutex.lock();
    mutex.unlock();
  });
});

describe('FifoSqliteDialect', () => {
  it('runs concurrent transactions one after another on the single connection, in the order they began', async () => {
    const db = new Kysely<{ t: { v: number } }>({ dialect: new FifoSqliteDialect({ database: new SqliteDatabase(':memory:') }) });
    await sql`create table t (v integer)`.execute(db);
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('t').values({ v: i }).execute();
          const { count } = await trx.selectFrom('t').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
          // Nobody else's row arrived between this transaction's insert and its read.
          seen.push(Number(count));
        }),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const rows = await db.selectFrom('t').select('v').execute();
    expect(rows.map((row) => row.v)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await db.destroy();
  });
});
