import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, FAULT_STORES, PG_URL, seed, type TestDatabase } from './fixtures.js';
import { Cleanup, ensureServerBuilt, releaseServerBuild, faultRandom, freePort, SOAK, sleep, waitUntil } from './harness.js';
import { LoadClient, type LoadClientOptions } from './loadClient.js';
import { ServerProcess } from './serverProcess.js';
import { TcpProxy } from './tcpProxy.js';
import { recordSummary, summaryOf, verdictLine, verify } from './verify.js';

/*
 * Fault 2: the database is unavailable for a while. On PostgreSQL a TCP proxy between the server
 * and the machine's PostgreSQL is cut and restored (the database itself keeps running for the
 * other tests). Pass rule: while it is down, sends are answered with the retryable `unavailable`
 * and never acked; the process stays up; GET /healthz answers 503 "degraded"; after recovery the
 * resends (same client ids) land exactly once, gapless, and reach the other member.
 * On SQLite there is no network to cut; the closest real failure is another process holding the
 * write lock longer than the busy timeout (5 s): same pass rule, except /healthz (see
 * docs/reliability.md: a read-only probe cannot see a write lock).
 */

const PG_ONLY = FAULT_STORES.includes('postgres');
const SQLITE = FAULT_STORES.includes('sqlite');

function proxiedUrl(port: number): string {
  const url = new URL(PG_URL);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

const clientOptions = (server: ServerProcess, user: { username: string; token: string; id: string }, extra: Partial<LoadClientOptions> = {}) =>
  new LoadClient({ name: user.username, url: server.wsUrl, token: user.token, userId: user.id, backoff: { baseMs: 50, capMs: 500 }, ...extra });

describe('fault 2: database unavailable', () => {
  const cleanup = new Cleanup();
  beforeAll(() => void ensureServerBuilt(), 120_000);
  afterAll(() => releaseServerBuild());
  afterEach(() => cleanup.run(), 60_000);

  async function proxiedServer(label: string, users: number, groups: number[][]) {
    const database = createTestDatabase('postgres', label);
    cleanup.add('drop database', () => database.drop());
    const seeded = await seed(database, { users, groups });
    const proxy = await TcpProxy.start(Number(new URL(PG_URL).port || 5432));
    cleanup.add('close proxy', () => proxy.close());
    const server = new ServerProcess({ env: { ...database.env, DATABASE_URL: proxiedUrl(proxy.port) }, port: await freePort(), name: `dbdown-${label}` });
    cleanup.add('kill server', () => server.kill9());
    await server.start();
    return { database, ...seeded, proxy, server };
  }

  async function finish(database: TestDatabase, server: ServerProcess, conversations: { id: string; memberIds: string[] }[], clients: LoadClient[], label: string, extra: Record<string, number | string> = {}) {
    clients.forEach((client) => client.stop());
    await server.stop();
    const store = await database.open();
    try {
      const verdict = await verify(
        store,
        conversations,
        clients.map((client) => ({ name: client.name, userId: client.userId, entries: client.entries.values() })),
        clients.map((client) => ({ name: client.name, userId: client.userId, conversations: client.conversations })),
      );
      const line = verdictLine(label, extra, verdict);
      console.log(line);
      recordSummary(summaryOf(label, database.store, verdict));
      return { verdict, line };
    } finally {
      await store.close();
    }
  }

  it.runIf(PG_ONLY)('postgres cut for a while: unavailable, no ack, process up, /healthz 503, resends land once', async () => {
    const { database, users, conversations, proxy, server } = await proxiedServer('cut', 2, [[0, 1]]);
    const [aliceUser, bobUser] = users;
    const conversation = conversations[0];
    if (!aliceUser || !bobUser || !conversation) throw new Error('seed');
    const alice = clientOptions(server, aliceUser);
    const bob = clientOptions(server, bobUser);
    cleanup.add('stop clients', () => [alice, bob].forEach((client) => client.stop()));
    alice.start();
    bob.start();
    await waitUntil(() => alice.ready && bob.ready, 10_000, () => 'clients did not connect');
    expect((await server.health()).status).toBe(200);

    for (let i = 0; i < 10; i += 1) alice.send(conversation.id, `before#${i}`);
    await waitUntil(() => alice.pending === 0, 10_000, () => `pending ${alice.pending}`);

    proxy.cut();
    const cutAt = Date.now();
    for (let i = 0; i < 10; i += 1) alice.send(conversation.id, `during#${i}`);
    await waitUntil(() => (alice.errors.unavailable ?? 0) >= 10, 10_000, () => `errors ${JSON.stringify(alice.errors)}`);
    const health = await server.health();
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', store: 'down' });
    await sleep(SOAK ? 10_000 : 1500);
    expect(server.running).toBe(true);
    const restoredAt = Date.now();
    const ackedWhileDown = alice.ackLog.filter((ack) => ack.at >= cutAt && ack.at < restoredAt);
    proxy.restore();

    await waitUntil(() => alice.pending === 0, 15_000, () => `pending ${alice.pending} after restore`);
    await waitUntil(() => bob.contiguous(conversation.id) >= 20, 10_000, () => `bob holds ${bob.contiguous(conversation.id)}`).catch(() => {});
    await waitUntil(async () => (await server.health()).status === 200, 10_000, () => 'healthz did not recover');
    expect(server.crashes).toEqual([]);
    const { verdict, line } = await finish(database, server, conversations, [alice, bob], 'db-down postgres cut', { unavailable: alice.errors.unavailable ?? 0 });
    expect(ackedWhileDown, 'acks while the database was unreachable').toEqual([]);
    expect([...alice.anomalies, ...bob.anomalies, ...verdict.details], line).toEqual([]);
    expect(verdict.acked).toBe(20);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, gaps: 0, unacked: 0, undelivered: 0, stray: 0 });
  }, 60_000);

  it.runIf(PG_ONLY)('postgres commit whose answer is lost: the resend is acked once and the member still gets it live, in order', async () => {
    const { database, users, conversations, proxy, server } = await proxiedServer('commit', 2, [[0, 1]]);
    const [aliceUser, bobUser] = users;
    const conversation = conversations[0];
    if (!aliceUser || !bobUser || !conversation) throw new Error('seed');
    const alice = clientOptions(server, aliceUser);
    const bob = clientOptions(server, bobUser);
    cleanup.add('stop clients', () => [alice, bob].forEach((client) => client.stop()));
    alice.start();
    bob.start();
    await waitUntil(() => alice.ready && bob.ready && bob.synced, 10_000, () => 'clients did not connect');

    alice.send(conversation.id, 'first');
    await waitUntil(() => bob.contiguous(conversation.id) === 1, 10_000, () => 'first not delivered');
    const tripped = proxy.failNextCommit();
    const second = alice.send(conversation.id, 'second');
    await tripped;
    // The commit went through but the server heard a reset: it must answer "unavailable", and the
    // client's resend (same client id) must find the stored message.
    await waitUntil(() => second.state === 'acked', 10_000, () => `second is ${second.state}, errors ${JSON.stringify(alice.errors)}`);
    alice.send(conversation.id, 'third');
    await waitUntil(() => alice.pending === 0, 10_000, () => `pending ${alice.pending}`);
    await waitUntil(() => bob.contiguous(conversation.id) >= 3, 5000, () => `bob holds ${[...(bob.conversations.get(conversation.id)?.received.keys() ?? [])].join(',')}`).catch(() => {});
    const bobConnects = bob.connects;
    const { verdict, line } = await finish(database, server, conversations, [alice, bob], 'db-down postgres lost-commit-answer', { unavailable: alice.errors.unavailable ?? 0 });
    expect(alice.errors.unavailable ?? 0, 'the lost answer must surface as unavailable').toBeGreaterThanOrEqual(1);
    expect(second.ack?.seq).toBe(2);
    expect(bobConnects, 'bob stayed connected: what he holds came live').toBe(1);
    expect([...alice.anomalies, ...bob.anomalies, ...verdict.details], line).toEqual([]);
    expect(verdict).toMatchObject({ acked: 3, lost: 0, duplicated: 0, gaps: 0, unacked: 0, undelivered: 0, stray: 0 });
  }, 60_000);

  it.runIf(PG_ONLY)('postgres flapping under load: cuts and lost commit answers at random moments', async () => {
    const random = faultRandom();
    const { database, users, conversations, proxy, server } = await proxiedServer('flap', 4, [[0, 1, 2, 3], [0, 1], [2, 3]]);
    // After a double fault (a second outage just after the first recovery) a message may come
    // live after newer ones; that is counted, and the holdings check still demands every message.
    const clients = users.map((user) => clientOptions(server, user, { random: () => random.next(), window: 32, tolerateLate: true }));
    cleanup.add('stop clients', () => clients.forEach((client) => client.stop()));
    clients.forEach((client) => client.start());
    await waitUntil(() => clients.every((client) => client.ready), 10_000, () => 'clients did not connect');
    const mine = new Map(clients.map((client) => [client, conversations.filter((conversation) => conversation.memberIds.includes(client.userId))]));
    let counter = 0;
    const load = setInterval(() => {
      for (const client of clients) {
        counter += 1;
        client.send(random.pick(mine.get(client) ?? []).id, `${client.name}#${counter}`);
      }
    }, 25);
    cleanup.add('stop load', () => clearInterval(load));

    const cycles = SOAK ? 40 : 6;
    let cuts = 0;
    let lostAnswers = 0;
    for (let i = 0; i < cycles; i += 1) {
      await sleep(random.int(100, 600));
      if (random.next() < 0.5) {
        proxy.cut();
        cuts += 1;
        await sleep(random.int(50, 1200));
        proxy.restore();
      } else {
        const tripped = proxy.failNextCommit();
        await Promise.race([tripped, sleep(3000)]);
        lostAnswers += 1;
      }
      expect(server.running).toBe(true);
    }
    clearInterval(load);
    await waitUntil(() => clients.every((client) => client.pending === 0), 20_000, () => 'sends still pending').catch(() => {});
    const lastAcked = new Map<string, number>();
    for (const client of clients) for (const entry of client.entries.values()) if (entry.ack) lastAcked.set(entry.conversationId, Math.max(lastAcked.get(entry.conversationId) ?? 0, entry.ack.seq));
    await waitUntil(
      () => clients.every((client) => (mine.get(client) ?? []).every((conversation) => client.contiguous(conversation.id) >= (lastAcked.get(conversation.id) ?? 0))),
      10_000,
      () => 'members did not catch up',
    ).catch(() => {});
    expect(server.crashes).toEqual([]);
    const late = clients.reduce((sum, client) => sum + client.lateDeliveries, 0);
    const { verdict, line } = await finish(database, server, conversations, clients, 'db-down postgres flapping', { seed: random.seed, cuts, lostAnswers, late });
    expect([...clients.flatMap((client) => client.anomalies), ...verdict.details], line).toEqual([]);
    expect(verdict.acked).toBeGreaterThan(100);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, gaps: 0, unacked: 0, undelivered: 0, stray: 0 });
  }, SOAK ? 600_000 : 60_000);

  it.runIf(SQLITE)('sqlite write lock held past the busy timeout: unavailable, no ack, process up, resends land once', async () => {
    const database = createTestDatabase('sqlite', 'lock');
    cleanup.add('drop database', () => database.drop());
    const { users, conversations } = await seed(database, { users: 2, groups: [[0, 1]] });
    const server = new ServerProcess({ env: database.env, port: await freePort(), name: 'dbdown-sqlite' });
    cleanup.add('kill server', () => server.kill9());
    await server.start();
    const [aliceUser, bobUser] = users;
    const conversation = conversations[0];
    if (!aliceUser || !bobUser || !conversation) throw new Error('seed');
    const alice = clientOptions(server, aliceUser);
    const bob = clientOptions(server, bobUser);
    cleanup.add('stop clients', () => [alice, bob].forEach((client) => client.stop()));
    alice.start();
    bob.start();
    await waitUntil(() => alice.ready && bob.ready, 10_000, () => 'clients did not connect');
    for (let i = 0; i < 5; i += 1) alice.send(conversation.id, `before#${i}`);
    await waitUntil(() => alice.pending === 0, 10_000, () => `pending ${alice.pending}`);

    // Another process takes the write lock (as a second node on the same file or a sqlite3 shell would).
    const intruder = new SqliteDatabase(path.join(database.dataDir, 'switchboard.db'), { timeout: 5000 });
    cleanup.add('close intruder', () => intruder.close());
    intruder.exec('BEGIN IMMEDIATE');
    const lockedAt = Date.now();
    for (let i = 0; i < 5; i += 1) alice.send(conversation.id, `during#${i}`);
    await waitUntil(() => (alice.errors.unavailable ?? 0) >= 5, 15_000, () => `errors ${JSON.stringify(alice.errors)}`);
    await sleep(SOAK ? 10_000 : 1500);
    expect(server.running).toBe(true);
    const releasedAt = Date.now();
    const ackedWhileLocked = alice.ackLog.filter((ack) => ack.at >= lockedAt && ack.at < releasedAt);
    intruder.exec('ROLLBACK');
    intruder.close();

    await waitUntil(() => alice.pending === 0, 15_000, () => `pending ${alice.pending} after release`);
    await waitUntil(() => bob.contiguous(conversation.id) >= 10, 10_000, () => `bob holds ${bob.contiguous(conversation.id)}`).catch(() => {});
    expect((await server.health()).status).toBe(200);
    expect(server.crashes).toEqual([]);
    const { verdict, line } = await finish(database, server, conversations, [alice, bob], 'db-down sqlite write-lock', { unavailable: alice.errors.unavailable ?? 0 });
    expect(ackedWhileLocked, 'acks while another process held the write lock').toEqual([]);
    expect([...alice.anomalies, ...bob.anomalies, ...verdict.details], line).toEqual([]);
    expect(verdict).toMatchObject({ acked: 10, lost: 0, duplicated: 0, gaps: 0, unacked: 0, undelivered: 0, stray: 0 });
  }, 60_000);
});
