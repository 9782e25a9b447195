// What the database's own CPU pays for the kinds of statement the stores send, on this machine:
// a read by key, an update committed alone, and transactions of one and of three updates, each
// run N times from a pool of 10 (as the server's). The figure is the PostgreSQL processes' CPU
// time (from /proc, Linux only) over the statements run, so run it on a quiet machine.
//   node bench/micro/pg-cost.mjs [--count 20000]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PG_URL, postgresCpuMs } from '../lib/harness.mjs';

const { values } = parseArgs({ options: { count: { type: 'string', default: '20000' } } });
const COUNT = Number(values.count);
const CONNECTIONS = 10;
const ROWS = 1000;
const table = `pg_cost_${process.pid}`;

const pool = new pg.Pool({ connectionString: PG_URL, max: CONNECTIONS });
const update = (key) => ({ name: `${table}_update`, text: `update ${table} set v = v + 1 where id = $1`, values: [(key % ROWS) + 1] });

async function measure(name, run) {
  let next = 0;
  const cpu = postgresCpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < COUNT) await run(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`${name.padEnd(28)} ${String(Math.round(COUNT / seconds)).padStart(7)}/s   database CPU ${Math.round(((postgresCpuMs() - cpu) * 1000) / COUNT)} µs each`);
}

async function inTransaction(work) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await work(client);
    await client.query('commit');
  } finally {
    client.release();
  }
}

try {
  await pool.query(`create table ${table} (id int primary key, v bigint not null)`);
  await pool.query(`insert into ${table} select g, 0 from generate_series(1, ${ROWS}) g`);
  await measure('read by key', (key) => pool.query({ name: `${table}_read`, text: `select * from ${table} where id = $1`, values: [(key % ROWS) + 1] }));
  await measure('update, committed alone', (key) => pool.query(update(key)));
  await measure('begin; update; commit', (key) => inTransaction((client) => client.query(update(key))));
  await measure('begin; 3 updates; commit', (key) =>
    inTransaction(async (client) => {
      for (let i = 0; i < 3; i += 1) await client.query(update(key * 3 + i));
    }),
  );
} finally {
  await pool.query(`drop table if exists ${table}`);
  await pool.end();
}
