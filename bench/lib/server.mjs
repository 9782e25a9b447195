// One Switchboard node for the harness, in its own process: the real startSwitchboard with the
// configuration from the environment (PORT, HOST, SWITCHBOARD_DATA or DATABASE_URL and
// DATABASE_SCHEMA, SWITCHBOARD_METRICS=1). Tells the parent its URL over IPC; SIGTERM stops it
// gracefully (sockets closed with 1012, queued sends committed), as in production.

import { importServer } from './dist.mjs';

const { parseConfig } = await importServer('config/env.js');
const { startSwitchboard } = await importServer('app.js');

const STOP_DEADLINE_MS = Number(process.env.BENCH_STOP_DEADLINE_MS ?? 10_000);

const node = await startSwitchboard(parseConfig(process.env));
process.send?.({ type: 'ready', url: node.url, pid: process.pid });

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // Like a process manager's stop timeout: a node that has not stopped by then is ended.
  const deadline = setTimeout(() => {
    process.stderr.write(`bench server: not stopped after ${STOP_DEADLINE_MS} ms, exiting\n`);
    process.exit(3);
  }, STOP_DEADLINE_MS);
  node.stop().then(
    () => {
      clearTimeout(deadline);
      process.exit(0);
    },
    (error) => {
      process.stderr.write(`bench server stop failed: ${error?.stack ?? error}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The harness going away must not leave a server behind.
process.on('disconnect', stop);
