// Preload that times every statement a process sends to PostgreSQL (through `pg`), by SQL text,
// and prints the 25 that took longest at exit: round-trip time as the client sees it, pool
// queueing not included. For a look at where a PostgreSQL run's time goes:
//   node --import ./bench/micro/pg-statements.mjs bench/micro/service.mjs --store postgres
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const stats = new Map();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function timedQuery(config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  const started = performance.now();
  const result = query.call(this, config, values, callback);
  if (text && typeof result?.then === 'function') {
    const record = () => {
      const key = text.replace(/\s+/g, ' ').slice(0, 150);
      const entry = stats.get(key) ?? { ms: 0, count: 0 };
      entry.ms += performance.now() - started;
      entry.count += 1;
      stats.set(key, entry);
    };
    result.then(record, record);
  }
  return result;
};

process.on('exit', () => {
  console.error('    total ms   count  mean ms  statement');
  for (const [text, { ms, count }] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    console.error(`${ms.toFixed(0).padStart(12)} ${String(count).padStart(7)} ${(ms / count).toFixed(2).padStart(8)}  ${text}`);
  }
});
