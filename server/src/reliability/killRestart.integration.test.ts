import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, FAULT_STORES, seed, type FaultStore } from './fixtures.js';
import { Cleanup, ensureServerBuilt, releaseServerBuild, faultRandom, freePort, SOAK, sleep, waitUntil, type Random } from './harness.js';
import { LoadClient } from './loadClient.js';
import { ServerProcess } from './serverProcess.js';
import { recordSummary, verdictLine, verify, type Verdict } from './verify.js';

/*
 * Fault 1: kill -9 under load, repeated. Six clients send steadily into four overlapping
 * conversations (client ids, outbox, resend after reconnect) while the real server is killed with
 * SIGKILL at random moments — sometimes again while it is still starting — and restarted on the
 * same data. Pass rule, read from the database afterwards: every acked message is stored exactly
 * once under the id and seq its ack named, every conversation's seqs are 1..N with no gap, nothing
 * is stored twice, every send was eventually acked, and every member holds every message.
 * The random source only decides when to kill; the verdict never depends on it.
 */

const RUNS = SOAK ? Number(process.env.SWITCHBOARD_SOAK_RUNS ?? 5) : 2;
const KILLS_PER_RUN = SOAK ? Number(process.env.SWITCHBOARD_SOAK_KILLS ?? 20) : 5;
/** Messages per second each client queues while the run lasts. */
const RATE_PER_CLIENT = 60;

interface RunResult {
  kills: number;
  startupKills: number;
  verdict: Verdict;
  anomalies: string[];
  crashes: string[];
  resends: number;
}

describe.each(FAULT_STORES)('fault 1: kill -9 under load on %s', (store) => {
  const cleanup = new Cleanup();
  beforeAll(() => void ensureServerBuilt(), 120_000);
  afterAll(() => releaseServerBuild());
  afterEach(() => cleanup.run(), 60_000);

  it(
    `acked messages survive ${RUNS}x${KILLS_PER_RUN} kills: stored once, gapless, delivered to every member`,
    async () => {
      const random = faultRandom();
      const totals = { kills: 0, startupKills: 0, acked: 0, lost: 0, duplicated: 0, gaps: 0, unacked: 0, undelivered: 0, stray: 0, resends: 0 };
      const problems: string[] = [];
      const started = Date.now();
      for (let run = 0; run < RUNS; run += 1) {
        const result = await killRun(store, run, random, cleanup);
        totals.kills += result.kills;
        totals.startupKills += result.startupKills;
        totals.resends += result.resends;
        for (const key of ['acked', 'lost', 'duplicated', 'gaps', 'unacked', 'undelivered', 'stray'] as const) totals[key] += result.verdict[key];
        problems.push(...result.verdict.details, ...result.anomalies, ...result.crashes);
        await cleanup.run();
      }
      const line = `[fault] kill-9 ${store}: seed=${random.seed} runs=${RUNS} kills=${totals.kills} (during start-up ${totals.startupKills}) acked=${totals.acked} resends=${totals.resends} lost=${totals.lost} duplicated=${totals.duplicated} gaps=${totals.gaps} unacked=${totals.unacked} undelivered=${totals.undelivered} stray=${totals.stray} in ${((Date.now() - started) / 1000).toFixed(1)}s`;
      console.log(line);
      recordSummary({ test: 'kill-9', store, kills: totals.kills, acked: totals.acked, lost: totals.lost, duplicated: totals.duplicated, gaps: totals.gaps, undelivered: totals.undelivered, unacked: totals.unacked });
      expect(problems, line).toEqual([]);
      expect(totals.kills).toBeGreaterThanOrEqual(RUNS * KILLS_PER_RUN);
      expect(totals.acked).toBeGreaterThan(RUNS * KILLS_PER_RUN * 20);
      expect({ lost: totals.lost, duplicated: totals.duplicated, gaps: totals.gaps, unacked: totals.unacked, undelivered: totals.undelivered, stray: totals.stray }).toEqual({
        lost: 0,
        duplicated: 0,
        gaps: 0,
        unacked: 0,
        undelivered: 0,
        stray: 0,
      });
    },
    SOAK ? 3600_000 : 120_000,
  );
});

async function killRun(store: FaultStore, run: number, random: Random, cleanup: Cleanup): Promise<RunResult> {
  const database = createTestDatabase(store, 'kill');
  cleanup.add('drop database', () => database.drop());
  const { users, conversations } = await seed(database, { users: 6, groups: [[0, 1, 2, 3, 4, 5], [0, 1, 2], [3, 4, 5], [0, 3]] });
  const server = new ServerProcess({ env: database.env, port: await freePort(), name: `kill-${store}-${run}` });
  cleanup.add('kill server', () => server.kill9());
  await server.start();

  const clients = users.map(
    (user) =>
      new LoadClient({ name: user.username, url: server.wsUrl, token: user.token, userId: user.id, window: 64, framesPerSecond: 90, backoff: { baseMs: 50, capMs: 1000 }, random: () => random.next() }),
  );
  cleanup.add('stop clients', () => clients.forEach((client) => client.stop()));
  clients.forEach((client) => client.start());
  await waitUntil(() => clients.every((client) => client.ready), 15_000, () => 'clients did not connect');

  const mine = new Map(clients.map((client) => [client, conversations.filter((conversation) => conversation.memberIds.includes(client.userId))]));
  let counter = 0;
  let due = 0;
  const load = setInterval(() => {
    // RATE_PER_CLIENT per second in 20 ms ticks, spread over each client's conversations.
    due += RATE_PER_CLIENT / 50;
    for (; due >= 1; due -= 1) {
      for (const client of clients) {
        counter += 1;
        client.send(random.pick(mine.get(client) ?? []).id, `${client.name}#${counter}`);
      }
    }
  }, 20);
  cleanup.add('stop load', () => clearInterval(load));

  const loadStarted = Date.now();
  let kills = 0;
  let startupKills = 0;
  for (let k = 0; k < KILLS_PER_RUN; k += 1) {
    await sleep(random.int(100, 900));
    await server.kill9();
    kills += 1;
    if (random.next() < 0.2) {
      // Killed again while starting (opening the store, migrating, binding the port).
      server.spawn();
      await sleep(random.int(10, 400));
      await server.kill9();
      kills += 1;
      startupKills += 1;
    }
    await sleep(random.int(0, 300));
    await server.start();
  }
  await sleep(random.int(200, 600));
  clearInterval(load);
  const loadEnded = Date.now();

  // Everything queued gets acked, then every member catches up to the last acked seq.
  await waitUntil(() => clients.every((client) => client.pending === 0), 30_000, () => clients.map((client) => `${client.name} pending ${client.pending}`).join(', ')).catch(() => {});
  const lastAcked = new Map<string, number>();
  for (const client of clients) {
    for (const entry of client.entries.values()) {
      if (entry.ack) lastAcked.set(entry.conversationId, Math.max(lastAcked.get(entry.conversationId) ?? 0, entry.ack.seq));
    }
  }
  const caughtUp = () => clients.every((client) => (mine.get(client) ?? []).every((conversation) => client.contiguous(conversation.id) >= (lastAcked.get(conversation.id) ?? 0)));
  await waitUntil(caughtUp, 20_000, () => 'members did not catch up').catch(() => {});
  const drained = Date.now();
  clients.forEach((client) => client.stop());
  await server.stop();

  const opened = await database.open();
  try {
    const verdict = await verify(
      opened,
      conversations,
      clients.map((client) => ({ name: client.name, userId: client.userId, entries: client.entries.values() })),
      clients.map((client) => ({ name: client.name, userId: client.userId, conversations: client.conversations })),
    );
    console.log(verdictLine(`kill-9 ${store} run ${run + 1}`, { kills, restarts: server.starts - 1, loadMs: loadEnded - loadStarted, drainMs: drained - loadEnded }, verdict));
    return {
      kills,
      startupKills,
      verdict,
      anomalies: clients.flatMap((client) => client.anomalies),
      crashes: [...server.crashes],
      resends: clients.reduce((sum, client) => sum + client.resends, 0),
    };
  } finally {
    await opened.close();
  }
}
