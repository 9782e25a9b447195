// Idle capacity: how many authenticated, idle WebSockets one node holds, and the RSS each costs.
//
// Every socket is a full client: upgrade with its own session's bearer token, hello -> welcome,
// then silence (the server's heartbeat pings keep going). The open-file limit is 20,000 per
// process, so the sockets are spread over the generator processes, each connecting from its own
// loopback source addresses. RSS per session = (RSS with all sockets - RSS before) / sockets, both
// read after a full GC. The sockets connect in two halves and the second half's RSS per session is
// reported too: when what a node grows once, whatever it holds (V8's young generation, up to 32 MB
// in a connect storm; compiled code), grows in the first half, this figure leaves it out. At 2,000
// sockets that growth is most of either figure; the heap figures are the steady ones.
//
// The sockets belong to `idleUsers` users with several devices each. A user's sockets share one
// user record (gateway/ws/sharedUsers.ts): with one socket per user each would hold ~0.3 KB more.

import { seed } from '../lib/seed.mjs';
import { createStore, freePort, startGenerators, startServer, waitQuiet, writeFixture } from '../lib/harness.mjs';
import { nowMs, round, sleep } from '../lib/stats.mjs';
import { cpuMs, mb, sum } from './im.mjs';

export async function runIdle(options, log) {
  const sockets = options.idleSockets;
  const users = Math.min(options.idleUsers, sockets);
  const perUser = Math.ceil(sockets / users);
  const store = await createStore(options.store, 'idle');
  const fixture = await seed(store.options, { groups: [{ name: 'idle', count: users, sessionsPerUser: perUser, dmOffsets: [1] }] });
  const fixtureFile = writeFixture(fixture, 'idle');
  const server = await startServer(store, { port: await freePort() });
  const assignments = [];
  let left = sockets;
  // One socket per user first (each user's first connect is the presence change), then the rest.
  for (let device = 0; device < perUser && left > 0; device += 1) {
    for (let u = 0; u < users && left > 0; u += 1, left -= 1) assignments.push({ user: u, sockets: 1, token: device, lazy: assignments.length >= sockets / 2 });
  }
  const gens = await startGenerators(Math.max(options.generators, Math.ceil(sockets / 9000)), { fixtureFile, servers: [server.url], assignments });
  try {
    if (options.waitQuietS > 0) await waitQuiet(options.waitQuietS, 25, log);
    await sleep(300);
    const before = await server.metrics('?gc=1&reset=1');
    const t = nowMs();
    const connect = (only) => gens.all('connect', { concurrency: 200, timeoutMs: options.connectTimeoutS * 1000, only }, options.connectTimeoutS * 1000 + 30_000);
    const firstHalf = await connect(undefined);
    const halfS = (nowMs() - t) / 1000;
    await sleep(options.idleSettleS * 1000);
    const half = await server.metrics('?gc=1');
    const t2 = nowMs();
    const secondHalf = await connect(Array.from({ length: users }, (_, u) => u));
    const connectS = halfS + (nowMs() - t2) / 1000;
    const parts = [...firstHalf, ...secondHalf];
    await sleep(options.idleSettleS * 1000);
    const quiet = await server.metrics('?reset=1');
    const quietAt = nowMs();
    await sleep(options.idleSettleS * 1000);
    const after = await server.metrics('?gc=1&reset=1');
    const quietMs = nowMs() - quietAt;
    const opened = sum(parts, (part) => part.opened);
    const openedSecond = sum(secondHalf, (part) => part.opened);
    const figures = {
      sockets,
      users,
      socketsPerUser: perUser,
      opened,
      failed: sum(parts, (part) => part.failed),
      serverConnections: after.connections,
      connectS: round(connectS, 1),
      connectServerCpuS: round(cpuMs(before, quiet) / 1000, 1),
      rssBeforeMb: mb(before.memory.rss),
      rssAfterMb: mb(after.memory.rss),
      heapUsedAfterMb: mb(after.memory.heapUsed),
      heapTotalBeforeMb: mb(before.memory.heapTotal),
      heapTotalAfterMb: mb(after.memory.heapTotal),
      kbPerSession: opened > 0 ? round((after.memory.rss - before.memory.rss) / 1024 / opened, 2) : null,
      heapKbPerSession: opened > 0 ? round((after.memory.heapUsed - before.memory.heapUsed) / 1024 / opened, 2) : null,
      rssHalfMb: mb(half.memory.rss),
      kbPerSessionSecondHalf: openedSecond > 0 ? round((after.memory.rss - half.memory.rss) / 1024 / openedSecond, 2) : null,
      heapKbPerSessionSecondHalf: openedSecond > 0 ? round((after.memory.heapUsed - half.memory.heapUsed) / 1024 / openedSecond, 2) : null,
      externalKbPerSession: opened > 0 ? round((after.memory.external - before.memory.external) / 1024 / opened, 2) : null,
      idleCpuPct: round((cpuMs(quiet, after) / quietMs) * 100, 1),
      idleEventLoopLagP99Ms: after.eventLoopLagMs.p99,
      generators: gens.list.length,
      upgradeRefused: parts.map((part) => part.counters.upgradeRefused),
    };
    log(`idle: ${opened}/${sockets} sockets (${users} users) in ${figures.connectS} s; RSS ${figures.rssBeforeMb} -> ${figures.rssHalfMb} -> ${figures.rssAfterMb} MB = ${figures.kbPerSession} KB per session (second half ${figures.kbPerSessionSecondHalf} KB)`);
    return figures;
  } finally {
    await gens.stop();
    await server.stop();
    await store.drop();
  }
}
