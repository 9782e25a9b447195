// Preload that times every statement a process runs on SQLite (through better-sqlite3), by SQL
// text, and prints the 25 that took longest at exit: the synchronous time on the event loop.
// For a look at where a SQLite run's time goes:
//   node --import ./bench/micro/sqlite-statements.mjs bench/micro/service.mjs --dists server/dist
// With SQLITE_STATEMENTS_OUT=file the table goes to that file (for a bench server, whose stderr the bench keeps):
//   SQLITE_STATEMENTS_OUT=/tmp/sql.txt BENCH_SERVER_NODE_ARGS="--import $PWD/bench/micro/sqlite-statements.mjs" node bench/run.mjs --scenarios service
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(new URL('../../server/package.json', import.meta.url));
const Database = require('better-sqlite3');

const stats = new Map();
const probe = new Database(':memory:');
const Statement = Object.getPrototypeOf(probe.prepare('select 1'));
probe.close();
for (const method of ['run', 'get', 'all']) {
  const original = Statement[method];
  Statement[method] = function timed(...args) {
    const started = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const key = this.source.replace(/\s+/g, ' ').slice(0, 150);
      const entry = stats.get(key) ?? { ms: 0, count: 0 };
      entry.ms += performance.now() - started;
      entry.count += 1;
      stats.set(key, entry);
    }
  };
}

process.on('exit', () => {
  const total = [...stats.values()].reduce((sum, { ms }) => sum + ms, 0);
  const lines = [`statements: ${total.toFixed(0)} ms in all (pid ${process.pid})`, '    total ms   count  mean ms  statement'];
  for (const [text, { ms, count }] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    lines.push(`${ms.toFixed(0).padStart(12)} ${String(count).padStart(7)} ${(ms / count).toFixed(3).padStart(8)}  ${text}`);
  }
  if (process.env.SQLITE_STATEMENTS_OUT) appendFileSync(process.env.SQLITE_STATEMENTS_OUT, `${lines.join('\n')}\n`);
  else console.error(lines.join('\n'));
});
