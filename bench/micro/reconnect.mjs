// Microbenchmark of the store reads a reconnecting IM client costs the server, no network: the
// upgrade's authentication, the welcome's conversation summaries and the catch-up of the
// conversations it is behind in, on a store seeded like the reconnect scenario (DMs at offsets 1
// and 3, one group each) with messages already sent. Reported per client: CPU, event-loop busy
// time and wall time (one client at a time; on PostgreSQL mostly the database's) of each step.
// Builds given with --dists run interleaved round by round, each on its own store seeded alike
// and opened afresh for the reads (the first round starts with empty caches, as a restarted
// server does), and the median of --rounds is reported.
//   node bench/micro/reconnect.mjs [--store sqlite|postgres] [--users 10000] [--messages 30000]
//                                  [--behind 2] [--dists a,b] [--rounds 3]
//   --behind  conversations per client that got messages while it was away (synced from 2 back)
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { conversationsByUser, seed } from '../lib/seed.mjs';
import { cleanup, createStore } from '../lib/harness.mjs';
import { round } from '../lib/stats.mjs';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    users: { type: 'string', default: '10000' },
    messages: { type: 'string', default: '30000' },
    behind: { type: 'string', default: '2' },
    dists: { type: 'string', default: new URL('../../server/dist', import.meta.url).pathname },
    rounds: { type: 'string', default: '3' },
  },
});
const STEPS = ['authenticate', 'welcome', 'catch-up'];
const APPEND_BATCH = 200;

try {
  const variants = [];
  for (const [index, dist] of values.dists.split(',').entries()) {
    const base = pathToFileURL(`${dist.replace(/\/$/, '')}/`).href;
    const store = await createStore(values.store, `microrc${index}`);
    const fixture = await seed(store.options, { groups: [{ name: 'rc', count: Number(values.users), dmOffsets: [1, 3], groupSize: 8, groupsPerUser: 1 }] }, base);
    const { openStore, createImRepositories } = await import(new URL('store/index.js', base).href);
    const { createImServer } = await import(new URL('im/index.js', base).href);
    const { createInProcessBus } = await import(new URL('bus/inProcessBus.js', base).href);
    const writer = await openStore(store.options);
    await sendMessages(createImRepositories(writer), fixture, Number(values.messages));
    await writer.close();
    // Read through a store opened afresh, as the restarted server does (its caches start empty).
    const opened = await openStore(store.options);
    const im = createImServer(createImRepositories(opened), createInProcessBus(() => {}), { sessionTtlMs: 3_600_000, nodeId: 'micro', onError: () => {} });
    variants.push({ dist, opened, fixture, im, byUser: conversationsByUser(fixture), runs: new Map(STEPS.map((step) => [step, []])) });
  }
  for (let r = 0; r < Number(values.rounds); r += 1) {
    for (const variant of variants) {
      const spent = await reconnectEveryone(variant, Number(values.behind));
      for (const step of STEPS) variant.runs.get(step).push(spent[step]);
    }
  }
  const mid = (list) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)];
  for (const variant of variants) {
    const parts = STEPS.map((step) => {
      const runs = variant.runs.get(step);
      return `${step} ${round(mid(runs.map((run) => run.cpuUs)), 0)} µs CPU / ${round(mid(runs.map((run) => run.loopUs)), 0)} µs loop / ${round(mid(runs.map((run) => run.wallUs)), 0)} µs wall`;
    });
    console.log(`${values.store} ${variant.dist.split('/').slice(-2).join('/').padEnd(16)} per client: ${parts.join(', ')} (median of ${values.rounds})`);
  }
  for (const variant of variants) await variant.opened.close();
} finally {
  await cleanup();
}

/** Random sends into the seeded conversations, stored in batches as the group commit does. */
async function sendMessages(repos, fixture, count) {
  for (let sent = 0; sent < count; sent += APPEND_BATCH) {
    const requests = Array.from({ length: Math.min(APPEND_BATCH, count - sent) }, () => {
      const conversation = fixture.conversations[Math.floor(Math.random() * fixture.conversations.length)];
      const sender = fixture.users[conversation.members[Math.floor(Math.random() * conversation.members.length)]];
      return { conversationId: conversation.id, senderId: sender.id, clientId: randomBytes(12).toString('base64url'), kind: 'text', body: 'the quick brown fox jumps over the lazy dog, then files the quarterly report' };
    });
    await repos.messages.appendBatch(requests, Date.now());
  }
}

/** Every user once, as the gateway does it: authenticate, welcome, sync the conversations behind. */
async function reconnectEveryone({ fixture, im, byUser }, behind) {
  const spent = Object.fromEntries(STEPS.map((step) => [step, { cpuUs: 0, loopUs: 0, wallUs: 0 }]));
  const measure = async (step, work) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const loop = performance.eventLoopUtilization();
    const result = await work();
    const used = process.cpuUsage(cpu);
    spent[step].cpuUs += used.user + used.system;
    spent[step].loopUs += performance.eventLoopUtilization(loop).active * 1000;
    spent[step].wallUs += (performance.now() - started) * 1000;
    return result;
  };
  for (const [index, user] of fixture.users.entries()) {
    const auth = await measure('authenticate', () => im.auth.authenticate(user.tokens[0]));
    if (!auth) throw new Error(`user ${user.username} did not authenticate`);
    const conversations = await measure('welcome', () => im.conversations.list(auth.user.id));
    const cursors = conversations
      .filter((conversation) => conversation.lastSeq > 0)
      .slice(0, behind)
      .map((conversation) => ({ conversationId: conversation.id, afterSeq: Math.max(0, conversation.lastSeq - 2) }));
    if (byUser[index].length !== conversations.length) throw new Error(`user ${user.username}: ${conversations.length} conversations, seeded ${byUser[index].length}`);
    await measure('catch-up', async () => {
      for (const cursor of cursors) await im.conversations.since(auth.user.id, cursor.conversationId, cursor.afterSeq, 200);
    });
  }
  const clients = fixture.users.length;
  for (const step of STEPS) {
    spent[step].cpuUs /= clients;
    spent[step].loopUs /= clients;
    spent[step].wallUs /= clients;
  }
  return spent;
}
