import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statementCache.js';

describe('withStatementCache', () => {
  it('prepares a statement once per SQL text and keeps answering with current data', () => {
    const handle = new SqliteDatabase(':memory:');
    const cached = withStatementCache(handle);
    cached.prepare('create table t (v integer)').run();
    const insert = cached.prepare('insert into t (v) values (?)');
    expect(cached.prepare('insert into t (v) values (?)')).toBe(insert);
    insert.run(1);
    cached.prepare('insert into t (v) values (?)').run(2);
    expect(cached.prepare('select sum(v) as total from t').get()).toEqual({ total: 3 });
    cached.close();
    expect(handle.open).toBe(false);
  });

  it('evicts the least recently used statement beyond its bound', () => {
    const cached = withStatementCache(new SqliteDatabase(':memory:'));
    const first = cached.prepare('select 0');
    for (let i = 1; i <= 500; i += 1) cached.prepare(`select ${i}`);
    expect(cached.prepare('select 500')).toBe(cached.prepare('select 500'));
    expect(cached.prepare('select 0')).not.toBe(first);
  });
});
