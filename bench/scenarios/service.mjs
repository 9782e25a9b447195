// Customer service: visitors on the widget WebSocket (/visitor) routed to agents on /ws.
//
// A agents (IM users with the agent role, seeded with `maxChats` seats each) connect, hello and
// go on duty with `duty.set available`, all through the server's real paths. Then three phases:
//   arrivals  V visitors arrive open loop at a set rate: open the widget (upgrade), v.hello,
//             v.start with a first message; the agent the chat is routed to replies at once, the
//             visitor answers, the agent closes the chat. Widget open -> agent notified, and relay
//             latency both ways, under that load.
//   burst     as many pre-opened widgets as there are free seats start a chat at once: routing
//             decisions per second (chats assigned / time from the first v.start to the last
//             agent notified).
//   queue     with every seat taken, more visitors start chats: they queue (v.chat queued with
//             their place); then agents close chats at a set rate and the queue drains. Queue
//             length over time, places, time in queue, drain time.
// Every latency is CLOCK_MONOTONIC written into a message body by one process and read by another.
//
// Nodes: `startServers(store, options)` (a parameter, or options.startServers) returns the
// server nodes; agents and visitors are spread over their URLs, visitors one node further along
// than agents, so in a cluster most chats are routed across nodes.

import { seed } from '../lib/seed.mjs';
import { createStore, machineCpu, postgresCpuMs, startNodes, waitQuiet, writeFixture } from '../lib/harness.mjs';
import { startServiceGenerators } from '../lib/serviceHarness.mjs';
import { Histogram, nowMs, round, sleep } from '../lib/stats.mjs';
import { cpuMs, mb, mergeCounts, sum } from './im.mjs';

export const SERVICE_HEADLINES = ['service_decisions_per_s', 'service_notify_p99_ms'];

const SITE = { siteKey: 'bench', origin: 'http://bench.example' };
const OTHER_CPU_LIMIT = 25;

/** `count` nodes on the scenario's store (two or more behind the `bus`); a caller may pass its own. */
async function startServiceNodes(store, { count, bus }) {
  return (await startNodes(store, { count, bus, label: 'service' })).nodes;
}

export async function runService(options, log, { startServers = options.startServers ?? startServiceNodes } = {}) {
  const sizes = {
    agents: options.serviceAgents,
    maxChats: options.serviceMaxChats,
    arrivals: options.serviceVisitors,
    rate: options.serviceRate,
    queue: options.serviceQueue,
    closeRate: options.serviceCloseRate,
  };
  const seats = sizes.agents * sizes.maxChats;
  const store = await createStore(options.store, 'service');
  let t = nowMs();
  const fixture = await seed(store.options, {
    groups: [{ name: 'agent', count: sizes.agents, roles: 'agent' }],
    service: { agents: 'agent', maxChats: sizes.maxChats, ...SITE },
  });
  const seedMs = Math.round(nowMs() - t);
  const fixtureFile = writeFixture(fixture, 'service');
  const servers = await startServers(store, { count: options.cluster, bus: options.bus });
  const urls = servers.map((server) => server.url);
  const agentIndexes = Array.from({ length: sizes.agents }, (_, i) => fixture.groups.agent.first + i);
  const gens = await startServiceGenerators(options.generators, { fixtureFile, servers: urls, agents: agentIndexes });
  const share = (total) => (generator) => Math.floor(total / gens.list.length) + (generator.index < total % gens.list.length ? 1 : 0);
  const out = { sizes: { ...sizes, seats, nodes: urls.length, generators: gens.list.length }, seedMs };
  try {
    t = nowMs();
    const connected = await gens.all('connectAgents', { timeoutMs: 60_000 });
    const ready = sum(connected, (part) => part.ready);
    out.agentsConnectS = round((nowMs() - t) / 1000, 2);
    log(`service: ${ready}/${sizes.agents} agents on duty in ${out.agentsConnectS} s (${urls.length} node(s), ${seats} seats)`);
    if (ready < sizes.agents) throw new Error(`only ${ready} of ${sizes.agents} agents went on duty`);

    // Widgets for the burst and the queue are opened ahead (not measured).
    t = nowMs();
    const opened = await gens.all('openVisitors', (generator) => ({ group: 'burst', count: share(seats)(generator) }));
    const openedQueue = await gens.all('openVisitors', (generator) => ({ group: 'queue', count: share(sizes.queue)(generator) }));
    const helloMs = new Histogram();
    for (const part of [...opened, ...openedQueue]) helloMs.merge(part.hello);
    out.preopen = { visitors: sum([...opened, ...openedQueue], (part) => part.ready), seconds: round((nowMs() - t) / 1000, 2), helloMs: helloMs.summary() };
    log(`service: ${out.preopen.visitors} widgets opened ahead in ${out.preopen.seconds} s (hello p50 ${out.preopen.helloMs.p50} ms)`);

    out.arrivals = await arrivalsPhase(servers, gens, sizes, share, options, log);
    out.burst = await burstPhase(servers, gens, seats, out.arrivals.open, share, options, log);
    out.queue = await queuePhase(servers, gens, sizes, options, log);
    const counters = await gens.all('collect');
    out.errors = {
      agents: mergeCounts(counters.map((part) => part.counters.agentErrors)),
      visitors: mergeCounts(counters.map((part) => part.counters.visitorErrors)),
      upgradeRefused: mergeCounts(counters.map((part) => part.counters.upgradeRefused)),
      socketsClosed: sum(counters, (part) => part.counters.agentCloses + part.counters.visitorCloses),
    };
    out.decisionsPerS = out.burst.decisionsPerS;
    out.notifyP99Ms = out.arrivals.notifyFromOpenMs.p99;
    return out;
  } finally {
    await gens.stop();
    await Promise.all(servers.map((server) => server.stop()));
    await store.drop();
  }
}

async function arrivalsPhase(servers, gens, sizes, share, options, log) {
  await beginPhase(gens, 'arrivals', 'exchange', options, log);
  const window = await openWindow(servers, options);
  const startAt = nowMs() + 200;
  const parts = await gens.all('arrivals', (generator) => ({ count: share(sizes.arrivals)(generator), rate: sizes.rate / gens.list.length, startAt, timeoutMs: 20_000 }), 60_000);
  const agents = await gens.all('collect');
  const rows = parts.flatMap((part) => part.rows);
  const toVisitor = new Histogram();
  const upgrade = new Histogram();
  const hello = new Histogram();
  for (const row of rows) {
    if (row.agentToVisitor !== null) toVisitor.record(row.agentToVisitor);
    if (row.upgradedAt !== null) upgrade.record(row.upgradedAt - row.openAt);
    if (row.welcomedAt !== null && row.upgradedAt !== null) hello.record(row.welcomedAt - row.upgradedAt);
  }
  const figures = {
    visitors: rows.length,
    offeredPerS: sizes.rate,
    arrivedPerS: round(rows.length / (Math.max(...parts.map((part) => part.launchedMs)) / 1000), 0),
    assigned: rows.filter((row) => row.assignedAt !== null).length,
    closed: rows.filter((row) => row.closedAt !== null).length,
    open: rows.filter((row) => row.closedAt === null).length,
    failed: mergeCounts(rows.filter((row) => row.failed).map((row) => ({ [row.failed]: 1 }))),
    notifyFromOpenMs: merged(agents, 'notifyFromOpen'),
    // The parts of widget open -> agent notified: upgrade, v.hello -> v.welcome, v.start -> agent notified.
    upgradeMs: upgrade.summary(),
    helloMs: hello.summary(),
    notifyFromStartMs: merged(agents, 'notifyFromStart'),
    visitorToAgentMs: merged(agents, 'visitorToAgent'),
    agentToVisitorMs: toVisitor.summary(),
    ...(await closeWindow(window, gens, parts)),
  };
  log(
    `service arrivals: ${figures.visitors} visitors at ${figures.arrivedPerS}/s -> ${figures.assigned} assigned, ${figures.closed} closed; open -> agent notified p50 ${figures.notifyFromOpenMs.p50} p99 ${figures.notifyFromOpenMs.p99} ms; visitor -> agent p99 ${figures.visitorToAgentMs.p99} ms, agent -> visitor p99 ${figures.agentToVisitorMs.p99} ms; server CPU ${figures.serverCpuPct.join('/')}%`,
  );
  return figures;
}

async function burstPhase(servers, gens, seats, stillOpen, share, options, log) {
  await beginPhase(gens, 'burst', 'hold', options, log);
  const window = await openWindow(servers, options);
  const parts = await gens.all('startAll', (generator) => ({ group: 'burst', count: share(seats - stillOpen)(generator), timeoutMs: 20_000 }), 60_000);
  await sleep(100);
  const agents = await gens.all('collect');
  const rows = parts.flatMap((part) => part.rows);
  const firstStart = Math.min(...parts.map((part) => part.startedAt));
  const notified = agents.flatMap((part) => part.assignedAt);
  const lastNotified = notified.length ? Math.max(...notified) : null;
  const figures = {
    chats: rows.length,
    // Seats still taken by arrivals that did not finish leave that many burst chats queued.
    seatsTakenBefore: stillOpen,
    assigned: notified.length,
    queued: rows.filter((row) => row.assignedAt === null && row.failed === null).length,
    failed: mergeCounts(rows.filter((row) => row.failed).map((row) => ({ [row.failed]: 1 }))),
    sentMs: round(Math.max(...parts.map((part) => part.sentMs)), 1),
    routedInMs: lastNotified === null ? null : round(lastNotified - firstStart, 1),
    decisionsPerS: lastNotified === null ? null : round(notified.length / ((lastNotified - firstStart) / 1000), 0),
    notifyFromStartMs: merged(agents, 'notifyFromStart'),
    ...(await closeWindow(window, gens, parts)),
  };
  log(`service burst: ${figures.chats} chats started at once -> ${figures.assigned} assigned in ${figures.routedInMs} ms = ${figures.decisionsPerS} routing decisions/s (start -> notified p99 ${figures.notifyFromStartMs.p99} ms); server CPU ${figures.serverCpuPct.join('/')}%`);
  return figures;
}

async function queuePhase(servers, gens, sizes, options, log) {
  await beginPhase(gens, 'queue', 'hold', options, log);
  const window = await openWindow(servers, options);
  const started = await gens.all('startAll', { group: 'queue', waitFor: 'answered', timeoutMs: 20_000 }, 60_000);
  const closing = gens.all('closeHeld', { count: Math.ceil(sizes.queue / gens.list.length), rate: sizes.closeRate / gens.list.length }, 60_000);
  const [closes, waited] = await Promise.all([closing, gens.all('waitAssigned', { group: 'queue', timeoutMs: 20_000 }, 60_000)]);
  const rows = waited.flatMap((part) => part.rows);
  const closeStartedAt = Math.min(...closes.map((part) => part.startedAt));
  const startedAt = Math.min(...started.map((part) => part.startedAt));
  const queuedRows = rows.filter((row) => row.queuedAt !== null);
  const inQueue = new Histogram();
  for (const row of queuedRows) if (row.assignedAt !== null) inQueue.record(row.assignedAt - row.startAt);
  const positions = new Histogram();
  for (const row of queuedRows) positions.record(row.firstPosition);
  const lastAssigned = Math.max(...rows.map((row) => row.assignedAt ?? 0));
  const drained = rows.every((row) => row.assignedAt !== null);
  const figures = {
    visitors: rows.length,
    queued: queuedRows.length,
    maxQueueLength: queueTimeline(rows, startedAt, lastAssigned, 1)[0]?.max ?? 0,
    firstPosition: positions.summary(),
    positionUpdatesPerVisitor: queuedRows.length ? round(sum(queuedRows, (row) => row.positionUpdates) / queuedRows.length, 1) : null,
    lastPositionsBeforeAssignment: positions.count ? round(sum(queuedRows, (row) => row.lastPosition) / queuedRows.length, 1) : null,
    closed: sum(closes, (part) => part.closed),
    closeRatePerS: sizes.closeRate,
    drained,
    stillQueued: rows.filter((row) => row.assignedAt === null).length,
    drainMs: drained ? round(lastAssigned - closeStartedAt, 0) : null,
    timeInQueueMs: inQueue.summary(),
    queueLength: queueTimeline(rows, startedAt, lastAssigned || nowMs(), 12).map(({ atMs, length }) => ({ atMs, length })),
    failed: mergeCounts(rows.filter((row) => row.failed).map((row) => ({ [row.failed]: 1 }))),
    ...(await closeWindow(window, gens, started)),
  };
  log(
    `service queue: ${figures.queued}/${figures.visitors} visitors queued (longest queue ${figures.maxQueueLength}, first places p50 ${figures.firstPosition.p50} max ${figures.firstPosition.max}); agents closed ${figures.closed} chats at ${sizes.closeRate}/s -> ${drained ? `drained ${figures.drainMs} ms after the first close` : `${figures.stillQueued} still queued`}; time in queue p50 ${figures.timeInQueueMs.p50} p99 ${figures.timeInQueueMs.p99} ms`,
  );
  return figures;
}

/**
 * Queue length (started, not yet assigned) over [from, to] in `samples` steps; with one sample,
 * the maximum over every start and assignment instead.
 */
function queueTimeline(rows, from, to, samples) {
  const events = [];
  for (const row of rows) {
    if (row.queuedAt === null) continue;
    events.push([row.startAt, 1]);
    if (row.assignedAt !== null) events.push([row.assignedAt, -1]);
  }
  events.sort((a, b) => a[0] - b[0]);
  if (samples === 1) {
    let length = 0;
    let max = 0;
    for (const [, delta] of events) max = Math.max(max, (length += delta));
    return [{ max }];
  }
  const out = [];
  let length = 0;
  let next = 0;
  for (let i = 0; i < samples; i += 1) {
    const at = from + ((to - from) * i) / (samples - 1);
    while (next < events.length && events[next][0] <= at) length += events[next++][1];
    out.push({ atMs: round(at - from, 0), length });
  }
  return out;
}

async function beginPhase(gens, name, mode, options, log) {
  if (options.waitQuietS > 0) await waitQuiet(options.waitQuietS, OTHER_CPU_LIMIT, log);
  await gens.all('begin', { name, mode });
}

function merged(agentParts, key) {
  const histogram = new Histogram();
  for (const part of agentParts) histogram.merge(part[key]);
  return histogram.summary();
}

async function openWindow(servers, options) {
  const metrics = await Promise.all(servers.map((server) => server.metrics('?reset=1')));
  return { metrics, machine: machineCpu(), postgres: options.store === 'postgres' ? postgresCpuMs() : null, at: nowMs(), servers };
}

/** Server, database, generator and other CPU over the phase, as % of one core. */
async function closeWindow(window, gens, parts) {
  const metrics = await Promise.all(window.servers.map((server) => server.metrics('?reset=1')));
  const wall = nowMs() - window.at;
  const machine = machineCpu();
  const pct = (ms) => round((ms / wall) * 100, 0);
  const serverCpuPct = metrics.map((m1, i) => pct(cpuMs(window.metrics[i], m1)));
  const databaseCpuPct = window.postgres === null ? null : pct(postgresCpuMs() - window.postgres);
  const generatorCpuPct = parts.map((part) => pct(part.cpu.userMs + part.cpu.systemMs));
  const busy = window.machine && machine ? pct(machine.busyMs - window.machine.busyMs) : null;
  return {
    wallMs: round(wall, 0),
    serverCpuPct,
    serverRssMb: metrics.map((m) => mb(m.memory.rss)),
    eventLoopLagP99Ms: metrics.map((m) => m.eventLoopLagMs.p99),
    databaseCpuPct,
    generatorCpuPct,
    otherCpuPct: busy === null ? null : Math.max(0, busy - sum(serverCpuPct, (x) => x) - (databaseCpuPct ?? 0) - sum(generatorCpuPct, (x) => x)),
    generators: gens.list.length,
  };
}
