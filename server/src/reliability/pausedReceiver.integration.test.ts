import { fork, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, FAULT_STORES, seed, type SeededConversation, type TestDatabase } from './fixtures.js';
import { builtFile, Cleanup, ensureServerBuilt, releaseServerBuild, freePort, sleep, waitUntil } from './harness.js';
import { LoadClient, type LoadClientOptions } from './loadClient.js';
import type { HeldReport } from './receiverProcess.js';
import { ServerProcess, track } from './serverProcess.js';
import { TcpProxy } from './tcpProxy.js';
import { recordSummary, summaryOf, verdictLine, verify, type Holder } from './verify.js';

/*
 * Fault 5: a receiver that stops answering past the heartbeat, then comes back. (a) The receiving
 * client runs in its own process and is frozen with SIGSTOP; (b) its network path silently drops
 * every byte (a TCP proxy in blackhole mode). Meanwhile the sender keeps sending. Pass rule: the
 * server notices within a few heartbeats (an observer sees the receiver go offline), and once the
 * receiver is back it holds every message, 1..N in order, each once, by reconnect + catch-up.
 */

const HEARTBEAT_MS = 250;
/** The server closes a silent socket after missing one pong: at most two intervals, plus slack. */
const DETECT_WITHIN_MS = 4 * HEARTBEAT_MS + 2000;
const BATCH = 20;

describe.each(FAULT_STORES)('fault 5: receiver paused past the heartbeat on %s', (store) => {
  const cleanup = new Cleanup();
  beforeAll(() => void ensureServerBuilt(), 120_000);
  afterAll(() => releaseServerBuild());
  afterEach(() => cleanup.run(), 60_000);

  async function setUp(label: string) {
    const database = createTestDatabase(store, label);
    cleanup.add('drop database', () => database.drop());
    const { users, conversations } = await seed(database, { users: 3, groups: [[0, 1]] });
    const server = new ServerProcess({ env: { ...database.env, SWITCHBOARD_HEARTBEAT_MS: String(HEARTBEAT_MS) }, port: await freePort(), name: `paused-${label}-${store}` });
    cleanup.add('kill server', () => server.kill9());
    await server.start();
    const [aliceUser, bobUser, observerUser] = users;
    const conversation = conversations[0];
    if (!aliceUser || !bobUser || !observerUser || !conversation) throw new Error('seed');
    const alice = new LoadClient({ name: 'alice', url: server.wsUrl, token: aliceUser.token, userId: aliceUser.id });
    const observer = new LoadClient({ name: 'observer', url: server.wsUrl, token: observerUser.token, userId: observerUser.id, watchPresence: [bobUser.id] });
    cleanup.add('stop clients', () => [alice, observer].forEach((client) => client.stop()));
    alice.start();
    observer.start();
    await waitUntil(() => alice.ready && observer.ready, 10_000, () => 'clients did not connect');
    return { database, server, alice, observer, bob: bobUser, conversation, conversations };
  }

  async function sendBatch(alice: LoadClient, conversationId: string, label: string): Promise<void> {
    for (let i = 0; i < BATCH; i += 1) alice.send(conversationId, `${label}#${i}`);
    await waitUntil(() => alice.pending === 0, 10_000, () => `alice has ${alice.pending} pending`);
  }

  async function judge(database: TestDatabase, conversations: SeededConversation[], alice: LoadClient, holder: Holder, label: string, extra: Record<string, number>) {
    const opened = await database.open();
    try {
      const verdict = await verify(opened, conversations, [{ name: 'alice', userId: alice.userId, entries: alice.entries.values() }], [holder]);
      const line = verdictLine(label, extra, verdict);
      console.log(line);
      recordSummary(summaryOf(label, store, verdict));
      return { verdict, line };
    } finally {
      await opened.close();
    }
  }

  it('(a) SIGSTOP: the server drops the frozen socket; after SIGCONT the receiver catches up on everything', async () => {
    const { database, server, alice, observer, bob, conversation, conversations } = await setUp('sigstop');
    const options: LoadClientOptions = { name: 'bob', url: server.wsUrl, token: bob.token, userId: bob.id, backoff: { baseMs: 50, capMs: 500 } };
    const receiver: ChildProcess = fork(builtFile('reliability/receiverProcess.js'), [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    track(receiver);
    cleanup.add('kill receiver', () => {
      receiver.kill('SIGCONT');
      receiver.kill('SIGKILL');
    });
    let latest: HeldReport | undefined;
    receiver.on('message', (message: { type: string; report: HeldReport }) => {
      if (message.type === 'report') latest = message.report;
    });
    const report = async (): Promise<HeldReport> => {
      latest = undefined;
      receiver.send({ type: 'report' });
      await waitUntil(() => latest !== undefined, 5000, () => 'receiver did not report');
      if (!latest) throw new Error('no report');
      return latest;
    };
    const holds = (held: HeldReport | undefined) => held?.held[conversation.id]?.length ?? 0;

    await waitUntil(() => observer.presence.get(bob.id) === 'online', 10_000, () => 'bob never came online');
    await sendBatch(alice, conversation.id, 'before');
    await waitUntil(async () => holds(await report()) === BATCH, 10_000, () => 'bob did not get the first batch');

    receiver.kill('SIGSTOP');
    const stoppedAt = Date.now();
    await sendBatch(alice, conversation.id, 'frozen');
    await waitUntil(() => observer.presence.get(bob.id) === 'offline', DETECT_WITHIN_MS, () => 'the server did not drop the frozen socket');
    const detectedMs = Date.now() - stoppedAt;
    await sendBatch(alice, conversation.id, 'offline');
    await sleep(500);
    receiver.kill('SIGCONT');

    await waitUntil(async () => holds(await report()) >= 3 * BATCH, 15_000, () => `bob holds ${holds(latest)} after SIGCONT`).catch(() => {});
    const final = await report();
    await waitUntil(() => observer.presence.get(bob.id) === 'online', 10_000, () => 'bob not online again').catch(() => {});
    const presenceAfter = observer.presence.get(bob.id);
    const holder: Holder = { name: 'bob', userId: bob.id, conversations: new Map(Object.entries(final.held).map(([id, pairs]) => [id, { received: new Map(pairs) }])) };
    const { verdict, line } = await judge(database, conversations, alice, holder, `paused-receiver ${store} SIGSTOP`, { heartbeatMs: HEARTBEAT_MS, detectedMs, reconnects: final.connects - 1 });
    expect(server.crashes).toEqual([]);
    expect(final.anomalies, line).toEqual([]);
    expect(final.held[conversation.id]?.map(([seq]) => seq), line).toEqual(Array.from({ length: 3 * BATCH }, (_, i) => i + 1));
    expect(final.connects, `${line}: reconnected after the thaw`).toBeGreaterThanOrEqual(2);
    expect(presenceAfter, 'bob online again').toBe('online');
    expect(verdict).toMatchObject({ acked: 3 * BATCH, lost: 0, duplicated: 0, gaps: 0, unacked: 0, undelivered: 0, stray: 0 });
  }, 60_000);

  it('(b) silent network drop: both ends notice by heartbeat; after it heals the receiver catches up on everything', async () => {
    const { database, server, alice, observer, bob: bobUser, conversation, conversations } = await setUp('blackhole');
    const proxy = await TcpProxy.start(new URL(server.url).port ? Number(new URL(server.url).port) : 80);
    cleanup.add('close proxy', () => proxy.close());
    const bob = new LoadClient({
      name: 'bob',
      url: `ws://127.0.0.1:${proxy.port}/ws`,
      token: bobUser.token,
      userId: bobUser.id,
      backoff: { baseMs: 50, capMs: 500 },
      pingMs: HEARTBEAT_MS,
      pingTimeoutMs: 4 * HEARTBEAT_MS,
    });
    cleanup.add('stop bob', () => bob.stop());
    bob.start();
    await waitUntil(() => bob.ready && observer.presence.get(bobUser.id) === 'online', 10_000, () => 'bob did not connect');
    await sendBatch(alice, conversation.id, 'before');
    await waitUntil(() => bob.contiguous(conversation.id) === BATCH, 10_000, () => 'bob did not get the first batch');

    proxy.blackhole();
    const droppedAt = Date.now();
    await sendBatch(alice, conversation.id, 'void');
    await waitUntil(() => observer.presence.get(bobUser.id) === 'offline', DETECT_WITHIN_MS, () => 'the server did not drop the silent socket');
    const detectedMs = Date.now() - droppedAt;
    await waitUntil(() => !bob.ready, DETECT_WITHIN_MS, () => 'bob did not notice the silent socket');
    await sendBatch(alice, conversation.id, 'offline');
    await sleep(300);
    proxy.restore();

    await waitUntil(() => bob.contiguous(conversation.id) >= 3 * BATCH, 15_000, () => `bob holds ${bob.contiguous(conversation.id)} after the network healed`).catch(() => {});
    await waitUntil(() => observer.presence.get(bobUser.id) === 'online', 10_000, () => 'bob not online again').catch(() => {});
    const presenceAfter = observer.presence.get(bobUser.id);
    bob.stop();
    const { verdict, line } = await judge(database, conversations, alice, { name: 'bob', userId: bob.userId, conversations: bob.conversations }, `paused-receiver ${store} blackhole`, { heartbeatMs: HEARTBEAT_MS, detectedMs, reconnects: bob.connects - 1 });
    expect(server.crashes).toEqual([]);
    expect(bob.anomalies, line).toEqual([]);
    expect([...(bob.conversations.get(conversation.id)?.received.keys() ?? [])].sort((a, b) => a - b), line).toEqual(Array.from({ length: 3 * BATCH }, (_, i) => i + 1));
    expect(presenceAfter, 'bob online again').toBe('online');
    expect(verdict).toMatchObject({ acked: 3 * BATCH, lost: 0, duplicated: 0, gaps: 0, unacked: 0, undelivered: 0, stray: 0 });
  }, 60_000);
});
