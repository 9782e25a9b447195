// `npm run bench [-- options]`: the Switchboard load harness. See bench/README.md.
//
// Starts the server in its own process and two or more load-generator processes, all on
// loopback; runs the scenarios one after the other, each bounded in time; prints a table and
// writes bench/results/<date>-<mode>.json with the headline figures at its top level.

import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BUS_URLS, cleanup, machine } from './lib/harness.mjs';
import { nowMs, round } from './lib/stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ALL_SCENARIOS = ['offline', 'im', 'reconnect', 'idle', 'service'];

const FULL = {
  users: 5000,
  groupSize: 8,
  dmShare: 0.8,
  steps: [2000, 5000, 7500, 10_000, 12_500, 15_000, 20_000, 25_000, 30_000],
  stepSeconds: 3,
  warmupSeconds: 1,
  repeats: 3,
  offlineMessages: 1000,
  offlineRepeats: 5,
  reconnectRate: 1000,
  reconnectClients: 10_000,
  restart: 'term',
  reconnectLeadS: 2,
  reconnectTimeoutS: 300,
  idleSockets: 19_000,
  idleUsers: 190,
  idleSettleS: 2,
  disturbedRetries: 3,
  generators: 2,
  connectTimeoutS: 120,
  serviceAgents: 200,
  serviceMaxChats: 10,
  serviceVisitors: 2000,
  serviceRate: 200,
  serviceQueue: 500,
  serviceCloseRate: 500,
};
const QUICK = {
  ...FULL,
  users: 300,
  steps: [500, 1000, 2000],
  stepSeconds: 1.2,
  warmupSeconds: 0.5,
  repeats: 1,
  offlineRepeats: 1,
  reconnectRate: 500,
  reconnectClients: 300,
  reconnectLeadS: 1,
  reconnectTimeoutS: 20,
  idleSockets: 2000,
  idleUsers: 20,
  idleSettleS: 0.5,
  disturbedRetries: 0,
  connectTimeoutS: 20,
  serviceMaxChats: 3,
  serviceVisitors: 200,
  serviceQueue: 100,
};

const USAGE = `npm run bench -- [options]

  --quick                 small and short (< 30 s): 300 users, 3 steps, 2,000 idle sockets
  --store sqlite|postgres store of the server (default sqlite; postgres uses
                          ${process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'} with a fresh schema, dropped after)
  --scenarios a,b         any of ${ALL_SCENARIOS.join(', ')} (default all)
  --cluster N             N server nodes on PostgreSQL behind a bus; implies --store postgres;
                          cluster_speedup compares with one node's im steps, measured first in
                          the same run (or with --baseline)
  --bus redis|nats        the cluster's bus: redis (default, ${BUS_URLS.redis})
                          or nats (${BUS_URLS.nats})
  --baseline FILE         single-node results to compare a cluster run with, instead of measuring
                          one node in the same run (results of another run may come from a
                          machine in another state)
  --generators N          load-generator processes (default 2, at least 2)
  --users N               connected employees in the IM scenarios (default 5000)
  --steps a,b,...         offered msg/s steps (default 2000,5000,7500,10000,...; a failed step is
                          bisected once against the last good one)
  --step-seconds S        length of one step run (default 3, first second is warm-up)
  --repeats R             runs per step; the median run is reported (default 3)
  --idle-sockets N        idle sockets (default 19000)   --idle-users N (default 190)
  --reconnect-rate N      msg/s while the server restarts (default 1000)
  --reconnect-clients N   clients connected when it restarts (default 10000; the employees of
                          the im scenario and as many more)
  --restart term|kill     graceful restart (SIGTERM, default) or a crash (SIGKILL)
  --client-backoff bench|sdk  the reconnecting clients' backoff: full jitter 200 ms to 2 s
                          (bench, default) or the web app's (sdk: 250 ms to 30 s, reset by a
                          welcome only; bench/lib/generator.mjs)
  --service-agents N      agents on duty in the service scenario (default 200)
  --service-visitors N    visitor chats arriving open loop (default 2000)
  --service-rate N        their arrival rate, visitors/s (default 200)
  --wait-quiet S          before each measured run wait up to S s until other processes use
                          < 25% of a core (for shared machines; default 0 = do not wait)
  --out FILE              results file (default bench/results/<date>-<mode>.json)
  --no-write              print only
`;

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      store: { type: 'string' },
      scenarios: { type: 'string' },
      cluster: { type: 'string', default: '1' },
      bus: { type: 'string', default: 'redis' },
      baseline: { type: 'string' },
      'reconnect-clients': { type: 'string' },
      generators: { type: 'string' },
      users: { type: 'string' },
      steps: { type: 'string' },
      'step-seconds': { type: 'string' },
      repeats: { type: 'string' },
      'idle-sockets': { type: 'string' },
      'idle-users': { type: 'string' },
      'reconnect-rate': { type: 'string' },
      restart: { type: 'string' },
      'client-backoff': { type: 'string', default: 'bench' },
      'service-agents': { type: 'string' },
      'service-visitors': { type: 'string' },
      'service-rate': { type: 'string' },
      'wait-quiet': { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const base = values.quick ? QUICK : FULL;
  const int = (value, fallback, min = 1) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) fail(`expected an integer >= ${min}, got "${value}"`);
    return parsed;
  };
  const options = {
    ...base,
    quick: values.quick,
    store: values.store ?? (int(values.cluster, 1) > 1 ? 'postgres' : 'sqlite'),
    cluster: int(values.cluster, 1),
    bus: values.bus,
    generators: int(values.generators, base.generators, 2),
    users: int(values.users, base.users, 2),
    steps: values.steps ? values.steps.split(',').map((step) => int(step.trim(), 0)) : base.steps,
    stepSeconds: values['step-seconds'] ? Number(values['step-seconds']) : base.stepSeconds,
    repeats: int(values.repeats, base.repeats),
    idleSockets: int(values['idle-sockets'], base.idleSockets),
    idleUsers: int(values['idle-users'], base.idleUsers),
    reconnectRate: int(values['reconnect-rate'], base.reconnectRate),
    reconnectClients: int(values['reconnect-clients'], base.reconnectClients),
    baseline: values.baseline,
    restart: values.restart ?? base.restart,
    clientBackoff: values['client-backoff'],
    serviceAgents: int(values['service-agents'], base.serviceAgents),
    serviceVisitors: int(values['service-visitors'], base.serviceVisitors),
    serviceRate: int(values['service-rate'], base.serviceRate),
    waitQuietS: int(values['wait-quiet'], 0, 0),
    out: values.out,
    scenarios: values.scenarios ? values.scenarios.split(',').map((name) => name.trim()) : ALL_SCENARIOS,
    write: !values['no-write'],
  };
  if (!['bench', 'sdk'].includes(options.clientBackoff)) fail(`--client-backoff must be bench or sdk, not "${options.clientBackoff}"`);
  if (!['term', 'kill'].includes(options.restart)) fail(`--restart must be term or kill, not "${options.restart}"`);
  if (!['sqlite', 'postgres'].includes(options.store)) fail(`--store must be sqlite or postgres, not "${options.store}"`);
  for (const name of options.scenarios) if (!ALL_SCENARIOS.includes(name)) fail(`unknown scenario "${name}" (known: ${ALL_SCENARIOS.join(', ')})`);
  if (!Object.hasOwn(BUS_URLS, options.bus)) fail(`--bus must be ${Object.keys(BUS_URLS).join(' or ')}, not "${options.bus}"`);
  if (options.cluster > 1 && options.store !== 'postgres') fail('--cluster needs --store postgres: the nodes share one database (SQLite is one node\'s file)');
  if (options.stepSeconds <= options.warmupSeconds) fail('--step-seconds must be longer than the warm-up');
  const cluster = options.cluster > 1 ? `-cluster${options.cluster}${options.bus === 'redis' ? '' : `-${options.bus}`}` : '';
  options.mode = `${options.store}${cluster}${options.quick ? '-quick' : ''}`;
  return options;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------

const TARGETS = {
  sqlite: { im_max_msgs_per_s_p99_under_100ms: ['>=', 10_000], im_p99_ms_at_2k: ['<=', 15] },
  postgres: { im_max_msgs_per_s_p99_under_100ms: ['>=', 5_000] },
  cluster: { cluster_speedup: ['>=', 1.6] },
  any: {
    offline_flush_ms_1000: ['<=', 100],
    idle_kb_per_session: ['<=', 10],
    reconnect_catch_up_s: ['<=', 10],
    reconnect_lost: ['<=', 0],
    reconnect_duplicated: ['<=', 0],
    service_decisions_per_s: ['>=', 2000],
    service_notify_p99_ms: ['<=', 50],
  },
};

function headlines(options, scenarios) {
  const steps = scenarios.im?.steps ?? [];
  const passing = steps.filter((step) => step.ok);
  const at2k = steps.find((step) => step.offered === 2000);
  return {
    im_max_msgs_per_s_p99_under_100ms: passing.length ? Math.max(...passing.map((step) => step.persistedPerS)) : null,
    im_p99_ms_at_2k: at2k?.e2e.p99 ?? null,
    offline_flush_ms_1000: scenarios.offline?.messages === 1000 ? (scenarios.offline.median?.fromConnectMs ?? null) : null,
    idle_kb_per_session: scenarios.idle?.kbPerSession ?? null,
    reconnect_catch_up_s: scenarios.reconnect?.catchUpS ?? null,
    reconnect_lost: scenarios.reconnect?.lost ?? null,
    reconnect_duplicated: scenarios.reconnect?.duplicated ?? null,
    service_decisions_per_s: scenarios.service?.decisionsPerS ?? null,
    service_notify_p99_ms: scenarios.service?.notifyP99Ms ?? null,
    cluster_speedup: null,
  };
}

/**
 * A cluster run's max msgs/s over a single node's: one node's im steps measured in this run
 * (`singleNode`, the same store, steps and load), or the --baseline file given.
 */
function clusterComparison(options, figures, singleNode) {
  if (options.cluster <= 1) return null;
  if (!options.baseline && !singleNode) return { baseline: null, why: 'the im scenario did not run' };
  const baseline = options.baseline ? path.relative(path.join(here, '..'), options.baseline) : 'this run: one node first, the same store and steps';
  const single = options.baseline ? JSON.parse(fs.readFileSync(options.baseline, 'utf8')).im_max_msgs_per_s_p99_under_100ms : headlines(options, { im: singleNode }).im_max_msgs_per_s_p99_under_100ms;
  const clustered = figures.im_max_msgs_per_s_p99_under_100ms;
  // No passing step at all is a speedup below the lowest step over the single node's: shown as 0 (missed), not hidden.
  const speedup = !single ? null : clustered ? round(clustered / single, 2) : 0;
  const why = !single ? 'no step passed on one node' : clustered ? undefined : 'no step passed';
  return { baseline, singleNodeMsgsPerS: single, clusterMsgsPerS: clustered, speedup, ...(why ? { why } : {}), ...(singleNode ? { singleNodeSteps: singleNode.steps } : {}) };
}

function verdicts(options, figures) {
  const targets = { ...TARGETS.any, ...TARGETS[options.store], ...(options.cluster > 1 ? TARGETS.cluster : {}) };
  const out = {};
  for (const [key, [op, limit]] of Object.entries(targets)) {
    const value = figures[key];
    out[key] = { target: `${op} ${limit}`, value, met: value === null ? null : op === '>=' ? value >= limit : value <= limit };
  }
  return out;
}

function printTables(options, result) {
  const lines = [];
  const steps = result.scenarios.im?.steps ?? [];
  if (steps.length > 0) {
    const withDb = steps.some((step) => step.databaseCpuPct !== null && step.databaseCpuPct !== undefined);
    const header = ['offered/s', 'persisted/s', 'delivered/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'ack p99', 'srv CPU%', ...(withDb ? ['PG CPU%'] : []), 'RSS MB', 'lag p99', 'gen CPU%', 'other%', 'ok'];
    const rows = steps.map((step) => [
      step.offered,
      step.persistedPerS,
      step.deliveredPerS,
      step.e2e.p50,
      step.e2e.p95,
      step.e2e.p99,
      step.e2e.max,
      step.ack.p99,
      step.server.cpuPct,
      ...(withDb ? [step.databaseCpuPct] : []),
      step.server.rssMb,
      step.server.eventLoopLagP99Ms,
      step.generatorCpuPct.join('/'),
      step.otherCpuPct,
      `${step.ok ? 'yes' : `no: ${step.why}`}${step.disturbed ? ' (disturbed by other processes)' : ''}`,
    ]);
    lines.push(`IM, ${result.scenarios.im.repeats} run(s) per step, median run (by p99) shown; latency is send -> recipient receives`, ...table(header, rows), '');
  }
  const c = result.scenarios.connect;
  if (c) lines.push(`connect: ${c.opened}/${c.users} employees in ${c.seconds} s (server CPU ${c.serverCpuS} s, handshake p50 ${c.handshakeMs.p50} ms, p99 ${c.handshakeMs.p99} ms)`);
  const o = result.scenarios.offline;
  if (o) lines.push(`offline flush: ${o.messages} messages, median ${o.median?.fromConnectMs ?? '-'} ms from connect (${o.median?.fromOpenMs ?? '-'} ms from socket open), welcome ${o.median?.welcomeBytes ?? '-'} bytes`);
  const r = result.scenarios.reconnect;
  if (r) {
    lines.push(
      `reconnect (${r.restart}, ${r.clientBackoff ?? 'bench'} backoff): ${r.caughtUp}/${r.clients} clients back and caught up ${r.catchUpS ?? 'timeout'} s after the stop began (old process gone in ${r.stopMs} ms, exit ${r.stopExit}; ${r.catchUpAfterRestartS ?? '-'} s after the new one listened; new server CPU ${r.newServerCpuS ?? '-'} s, generators ${r.generatorCpuPct?.join('/') ?? '-'}%) at ${r.rate} msg/s; sent ${r.sent}, lost ${r.lost}, duplicated ${r.duplicated}`,
    );
  }
  const k = result.cluster;
  if (k) lines.push(k.baseline ? `cluster: ${result.options.cluster} nodes ${k.clusterMsgsPerS ?? '-'} msg/s vs one node ${k.singleNodeMsgsPerS ?? '-'} msg/s (${k.baseline}) = ${k.speedup ?? '-'}x` : `cluster: no speedup figure (${k.why})`);
  const i = result.scenarios.idle;
  if (i) lines.push(`idle: ${i.opened}/${i.sockets} sockets (${i.users} users) in ${i.connectS} s, RSS ${i.rssBeforeMb} -> ${i.rssAfterMb} MB = ${i.kbPerSession} KB per session`);
  const s = result.scenarios.service;
  if (s?.skipped) lines.push(`service: not measured (${s.reason})`);
  else if (s) lines.push(...serviceLines(s));
  lines.push('');
  const heads = Object.entries(result.targets).map(([key, verdict]) => [key, verdict.value ?? '-', verdict.target, verdict.met === null ? '-' : verdict.met ? 'met' : 'MISSED']);
  lines.push(`Headline figures (${result.mode}; ${result.machine.cpus} x ${result.machine.model}, node ${result.machine.node})`, ...table(['figure', 'value', 'target', ''], heads));
  lines.push('', `total ${result.durationS} s`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

function serviceLines(s) {
  const a = s.arrivals;
  const b = s.burst;
  const q = s.queue;
  const ms = (h) => `${h.p50 ?? '-'} / ${h.p99 ?? '-'}`;
  const cpu = (phase) => `${phase.serverCpuPct.join('/')}`;
  const rows = [
    [`arrivals ${a.visitors} at ${a.arrivedPerS}/s`, a.assigned, `open->notified ${ms(a.notifyFromOpenMs)}`, `v->a ${ms(a.visitorToAgentMs)}, a->v ${ms(a.agentToVisitorMs)}`, cpu(a), a.databaseCpuPct ?? '-', a.generatorCpuPct.join('/'), a.otherCpuPct ?? '-'],
    [`burst ${b.chats} at once`, b.assigned, `start->notified ${ms(b.notifyFromStartMs)}`, `${b.decisionsPerS ?? '-'} decisions/s`, cpu(b), b.databaseCpuPct ?? '-', b.generatorCpuPct.join('/'), b.otherCpuPct ?? '-'],
    [`queue ${q.visitors}, longest ${q.maxQueueLength}`, q.visitors - q.stillQueued, `in queue ${ms(q.timeInQueueMs)}`, q.drained ? `drained ${q.drainMs} ms after closes began (${q.closeRatePerS}/s)` : `${q.stillQueued} still queued`, cpu(q), q.databaseCpuPct ?? '-', q.generatorCpuPct.join('/'), q.otherCpuPct ?? '-'],
  ];
  return [
    `service: ${s.sizes.agents} agents x ${s.sizes.maxChats} seats on ${s.sizes.nodes} node(s); latencies p50 / p99 ms`,
    ...table(['phase', 'assigned', 'notify', 'relay / throughput', 'srv CPU%', 'PG CPU%', 'gen CPU%', 'other%'], rows),
    '',
  ];
}

function table(header, rows) {
  const widths = header.map((title, column) => Math.max(String(title).length, ...rows.map((row) => String(row[column] ?? '').length)));
  const format = (row) => row.map((cell, column) => String(cell ?? '').padStart(widths[column])).join('  ');
  return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(format)];
}

function gitRevision() {
  try {
    const commit = execSync('git rev-parse --short HEAD', { cwd: here, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain -- server/src', { cwd: path.join(here, '..'), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return `${commit}${dirty ? ' (server/src modified)' : ''}`;
  } catch {
    return null;
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(path.join(here, '../server/dist/app.js'))) fail('server/dist is missing: run `npm run build:node` (npm run bench does).');
  const started = nowMs();
  const log = (line) => process.stdout.write(`[${round((nowMs() - started) / 1000, 1).toFixed(1).padStart(6)} s] ${line}\n`);
  log(`mode ${options.mode}: scenarios ${options.scenarios.join(', ')}; ${options.generators} generator processes`);
  const scenarios = {};
  const want = (name) => options.scenarios.includes(name);
  const { runImScenarios } = await import('./scenarios/im.mjs');
  let singleNode = null;
  if (options.cluster > 1 && !options.baseline && want('im')) {
    log(`cluster: one node first, the same steps, for cluster_speedup`);
    singleNode = (await runImScenarios({ ...options, cluster: 1, scenarios: ['im'] }, log)).im;
  }
  if (want('im') || want('offline') || want('reconnect')) {
    const im = await runImScenarios(options, log);
    Object.assign(scenarios, Object.fromEntries(Object.entries(im).filter(([, value]) => value !== null)));
  }
  if (want('idle')) {
    const { runIdle } = await import('./scenarios/idle.mjs');
    scenarios.idle = await runIdle(options, log);
  }
  if (want('service')) {
    const { runService } = await import('./scenarios/service.mjs');
    scenarios.service = await runService(options, log);
  }
  const figures = headlines(options, scenarios);
  const cluster = clusterComparison(options, figures, singleNode);
  if (cluster) figures.cluster_speedup = cluster.speedup ?? null;
  const result = {
    ...figures,
    mode: options.mode,
    store: options.store,
    date: new Date().toISOString(),
    machine: machine(),
    // BENCH_REVISION names the build when BENCH_SERVER_DIST points at one made from a commit.
    revision: process.env.BENCH_REVISION ?? gitRevision(),
    serverDist: process.env.BENCH_SERVER_DIST ?? 'server/dist',
    durationS: round((nowMs() - started) / 1000, 1),
    targets: verdicts(options, figures),
    ...(cluster ? { cluster } : {}),
    options: Object.fromEntries(Object.entries(options).filter(([key]) => key !== 'write')),
    scenarios,
  };
  printTables(options, result);
  if (options.write) {
    const file = options.out ?? path.join(here, 'results', `${result.date.slice(0, 10)}-${options.mode}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`results: ${path.relative(process.cwd(), file)}\n`);
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\nbench: ${signal}, stopping everything it started\n`);
    cleanup().finally(() => process.exit(130));
  });
}

main()
  .catch((error) => {
    process.stderr.write(`bench failed: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
