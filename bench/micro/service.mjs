// Microbenchmark of the customer-service system's commands alone: no sockets, no IM server, the
// CS system in this process on a seeded store with `--agents` agents on duty. Each visitor says
// hello, starts a chat with a first message and is routed, as the widget's v.hello and v.start
// do. Phases:
//   burst      --chats visitors start at once (what the bench's burst phase measures over sockets)
//   lifecycle  --chats visitors, --concurrency at a time, with the rest of a chat: the agent
//              replies, the visitor answers, the agent closes
// Reported per chat: wall time, CPU, the SQL statements the CS system built through Kysely
// (robust against a busy machine, unlike times; queries compiled once, store/preparedQuery.ts,
// are not counted) and, on SQLite, the group commits (each a COMMIT and a WAL fsync). --dists a,b compares compiled builds, interleaved round by round; the median
// of --rounds is reported.
//   node bench/micro/service.mjs [--agents 200] [--seats 10] [--chats 2000] [--concurrency 20] [--rounds 3] [--dists a,b]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { seed } from '../lib/seed.mjs';
import { cleanup, createStore } from '../lib/harness.mjs';
import { round } from '../lib/stats.mjs';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    agents: { type: 'string', default: '200' },
    seats: { type: 'string', default: '10' },
    chats: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '20' },
    dists: { type: 'string', default: new URL('../../server/dist', import.meta.url).pathname },
  },
});
const agentCount = Number(values.agents);
const chatCount = Number(values.chats);
const page = { url: 'http://127.0.0.1/pricing', title: 'Pricing', referrer: '' };
const ORIGIN = 'http://127.0.0.1';

/** Counts the statements Kysely runs (the CS system's store access all goes through it). */
function countingPlugin(counter) {
  return {
    transformQuery: ({ node }) => {
      counter.statements += 1;
      return node;
    },
    transformResult: async ({ result }) => result,
  };
}

async function openVariant(dist, index) {
  const store = await createStore(values.store, `microsvc${index}`);
  const fixture = await seed(
    store.options,
    { groups: [{ name: 'agents', count: agentCount, roles: 'employee,agent' }], service: { agents: 'agents', maxChats: Number(values.seats), siteKey: 'micro', origin: ORIGIN } },
    pathToFileURL(`${dist.replace(/\/$/, '')}/`).href,
  );
  const load = (path) => import(pathToFileURL(`${dist}/${path}`).href);
  const [{ openStore }, { createInProcessBus }, { createServiceSystem }] = await Promise.all([load('store/index.js'), load('bus/inProcessBus.js'), load('service/index.js')]);
  const opened = await openStore(store.options);
  const counter = { statements: 0, commits: 0 };
  // Every CS write unit on SQLite commits through the connection's relaxed() (store/sqliteConnection.ts).
  const relaxed = opened.sqlite?.relaxed;
  if (relaxed) {
    opened.sqlite.relaxed = (work) => {
      counter.commits += 1;
      return relaxed.call(opened.sqlite, work);
    };
  }
  const bus = createInProcessBus((error) => console.error(error));
  const service = createServiceSystem({ ...opened, db: opened.db.withPlugin(countingPlugin(counter)) }, bus, {
    agentLeaseMs: 600_000,
    visitorGraceMs: 600_000,
    visitorLeaseMs: 600_000,
    chatAbandonMs: 0,
    sweepMs: 600_000,
    onError: (error) => console.error(error),
  });
  const agents = fixture.users.slice(0, agentCount);
  for (const agent of agents) await service.duty.set(agent.id, agent.username, 'available', 'micro');
  return { dist, opened, service, counter, agents, runs: { burst: [], lifecycle: [] } };
}

async function visitorChat(service) {
  const hello = await service.visitors.hello({ siteKey: 'micro', page, userAgent: 'micro', origin: ORIGIN, selfOrigins: [] });
  const firstMessage = { clientId: randomUUID(), body: 'Hello, is anyone there?' };
  const started = await service.visitors.start(hello.visitorId, { firstMessage });
  // Builds before the first message was stored with the chat (v.start's own path in each).
  if (!started.message && service.relay.firstMessage) await service.relay.firstMessage(started.chat, started.visitor, firstMessage.clientId, firstMessage.body);
  if (!started.view) await service.visitors.route(started.chat.id);
  return { visitorId: hello.visitorId, chatId: started.chat.id };
}

/** A whole chat: the visitor's start, the agent's reply, the visitor's answer, the agent closes. */
async function lifecycle(variant) {
  const { visitorId, chatId } = await visitorChat(variant.service);
  const chat = await variant.service.repos.chats.find(chatId);
  const agent = variant.agents.find((candidate) => candidate.id === chat.assigneeId);
  await variant.service.relay.fromAgent(agent.id, agent.username, chatId, randomUUID(), 'Happy to help!', false);
  await variant.service.relay.fromVisitor(visitorId, randomUUID(), 'Thanks!');
  await variant.service.closing.byAgent(agent.id, agent.username, chatId);
}

async function closeAll(variant, chatIds) {
  for (const chatId of chatIds) {
    const chat = await variant.service.repos.chats.find(chatId);
    if (chat?.assigneeId) await variant.service.closing.byAgent(chat.assigneeId, "micro", chatId);
  }
}

async function measure(variant, phase, work) {
  const { statements, commits } = variant.counter;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const chatIds = await work();
  const wall = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  variant.runs[phase].push({ wallUs: (wall * 1000) / chatCount, cpuUs: (used.user + used.system) / chatCount, statements: (variant.counter.statements - statements) / chatCount, commits: (variant.counter.commits - commits) / chatCount });
  return chatIds;
}

try {
  const variants = [];
  for (const [index, dist] of values.dists.split(',').entries()) variants.push(await openVariant(dist, index));
  for (let r = 0; r < Number(values.rounds); r += 1) {
    for (const variant of variants) {
      const burst = await measure(variant, 'burst', async () => (await Promise.all(Array.from({ length: chatCount }, () => visitorChat(variant.service)))).map((chat) => chat.chatId));
      await closeAll(variant, burst);
      await measure(variant, 'lifecycle', async () => {
        let next = 0;
        const worker = async () => {
          while (next < chatCount) {
            next += 1;
            await lifecycle(variant);
          }
        };
        await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
        return [];
      });
    }
  }
  const median = (list, key, digits = 1) => round([...list].sort((a, b) => a[key] - b[key])[Math.floor(list.length / 2)][key], digits);
  console.log(`${chatCount} chats, ${agentCount} agents x ${values.seats} seats, ${values.store}; median of ${values.rounds} rounds, per chat`);
  console.log('phase      build                          wall µs   CPU µs  statements  commits');
  for (const phase of ['burst', 'lifecycle']) {
    for (const variant of variants) {
      const runs = variant.runs[phase];
      console.log(`${phase.padEnd(10)} ${variant.dist.replace(/.*\/(.*\/.*)$/, '$1').padEnd(30)} ${String(median(runs, 'wallUs')).padStart(8)} ${String(median(runs, 'cpuUs')).padStart(8)} ${String(median(runs, 'statements')).padStart(11)} ${String(median(runs, 'commits', 2)).padStart(8)}`);
    }
  }
  for (const variant of variants) {
    await variant.service.stop();
    await variant.opened.close();
  }
} finally {
  await cleanup();
}
