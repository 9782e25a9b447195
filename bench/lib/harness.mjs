// Processes of a benchmark run: the server node(s), the load generators, the stores they use.
// Everything started here is tracked and stopped by `cleanup()`, also on Ctrl-C or a failure.

import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { nowMs, sleep } from './stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const children = new Set();
const cleanups = [];

export const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The bus servers a cluster can run on (`--bus`). */
export const BUS_URLS = {
  redis: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  nats: process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222',
};

/** A fresh, empty store for one scenario: a temporary SQLite folder or a new PostgreSQL schema. */
export async function createStore(kind, label) {
  if (kind === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `switchboard-bench-${label}-`));
    const drop = async () => fs.rmSync(dataDir, { recursive: true, force: true });
    cleanups.push(drop);
    return { kind, env: { SWITCHBOARD_DATA: dataDir }, options: { dataDir }, drop };
  }
  const schema = `sb_bench_${process.pid}_${label}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const drop = async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await client.end();
    }
  };
  await drop();
  cleanups.push(drop);
  return {
    kind,
    env: { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema, SWITCHBOARD_DATA: os.tmpdir() },
    options: { databaseUrl: PG_URL, databaseSchema: schema, dataDir: os.tmpdir() },
    drop,
  };
}

/** Starts one server node in its own process; resolves with its URL once it listens. */
export async function startServer(store, { port, nodeId = 'bench-1', env = {} } = {}) {
  const child = fork(path.join(here, 'server.mjs'), [], {
    execArgv: ['--expose-gc', ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)],
    env: {
      ...process.env,
      ...store.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SWITCHBOARD_METRICS: '1',
      SWITCHBOARD_NODE_ID: nodeId,
      SWITCHBOARD_ADMIN_PASSWORD: 'bench-admin-password',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  track(child);
  const log = [];
  const keep = (chunk) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
    if (process.env.BENCH_SERVER_LOG) fs.appendFileSync(process.env.BENCH_SERVER_LOG, chunk);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 30 s:\n${log.join('')}`)), 30_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${log.join('')}`));
    });
  });
  const server = {
    url: ready.url,
    pid: child.pid,
    child,
    log,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    /** Graceful stop (SIGTERM): sockets closed with 1012, queued sends committed. */
    async stop(timeoutMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await server.exited;
      clearTimeout(timer);
    },
    /** The process's own figures (GET /metrics, loopback only, SWITCHBOARD_METRICS=1). */
    async metrics(query = '') {
      const response = await fetch(`${ready.url}/metrics${query}`);
      if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
      return response.json();
    },
  };
  return server;
}

/**
 * `count` nodes on one store, on the given ports (fresh ones by default). Two or more share a
 * bus (`bus`: redis or nats) under a prefix of their own (this run and label), as
 * `docs/operations.md` runs a cluster. Resolves with the group: the nodes, their URLs, summed metrics, stop and restart.
 */
export async function startNodes(store, { count = 1, bus = 'redis', ports, label = 'nodes' } = {}) {
  const chosen = ports ?? [];
  while (chosen.length < count) chosen.push(await freePort());
  const env = count > 1 ? { SWITCHBOARD_BUS: BUS_URLS[bus], SWITCHBOARD_BUS_PREFIX: `sb_bench_${process.pid}_${label}` } : {};
  const nodes = await Promise.all(chosen.map((port, i) => startServer(store, { port, nodeId: `bench-${i + 1}`, env })));
  return {
    nodes,
    urls: nodes.map((node) => node.url),
    /** Every node's /metrics, summed (CPU, memory, counters); event-loop lag is the worst node's. */
    async metrics(query = '') {
      return mergeMetrics(await Promise.all(nodes.map((node) => node.metrics(query))));
    },
    /** SIGKILL (a crash) of every node, or SIGTERM (graceful, the default); resolves when all are gone. */
    async stop(signal = 'SIGTERM') {
      if (signal === 'SIGKILL') for (const node of nodes) node.child.kill('SIGKILL');
      await Promise.all(nodes.map((node) => node.stop()));
      return (await Promise.all(nodes.map((node) => node.exited)))[0];
    },
    /** The same nodes again: new processes on the same ports and store. */
    restart: () => startNodes(store, { count, bus, ports: chosen, label }),
  };
}

function mergeMetrics(parts) {
  if (parts.length === 1) return parts[0];
  const total = (pick) => parts.reduce((sum, part) => sum + (pick(part) ?? 0), 0);
  const worst = (pick) => Math.max(...parts.map(pick));
  return {
    nodes: parts.length,
    cpu: { user: total((m) => m.cpu.user), system: total((m) => m.cpu.system) },
    memory: Object.fromEntries(Object.keys(parts[0].memory).map((key) => [key, total((m) => m.memory[key])])),
    eventLoopLagMs: { sinceMs: worst((m) => m.eventLoopLagMs.sinceMs), p50: worst((m) => m.eventLoopLagMs.p50), p99: worst((m) => m.eventLoopLagMs.p99), max: worst((m) => m.eventLoopLagMs.max) },
    connections: total((m) => m.connections),
    sender: Object.fromEntries(Object.keys(parts[0].sender).map((key) => [key, key === 'largestBatch' ? worst((m) => m.sender[key]) : total((m) => m.sender[key])])),
    perNode: parts,
  };
}

/**
 * Forks `count` generator processes and splits `assignments` (users and sockets) between them.
 * Generator g connects from 127.0.<g+1>.1-250, so per-address upgrade limits and the 28k
 * ephemeral ports per source address are never what the benchmark measures.
 */
export async function startGenerators(count, { fixtureFile, servers, assignments }) {
  const generators = Array.from({ length: count }, (_, g) => forkGenerator(path.join(here, 'generator.mjs'), g, 'generator'));
  const mine = (g) => assignments.filter((entry, i) => (entry.gen ?? i) % count === g);
  let slot = 0;
  await Promise.all(
    generators.map((generator) => {
      const users = mine(generator.index);
      const slotOffset = slot;
      slot += users.reduce((sum, entry) => sum + entry.sockets, 0);
      return generator.call('init', {
        fixtureFile,
        servers,
        users,
        slotOffset,
        genId: generator.index,
        sources: Array.from({ length: 250 }, (_, i) => `127.0.${generator.index + 1}.${i + 1}`),
      });
    }),
  );
  return generatorGroup(generators);
}

/** Generators driven together: `all` runs one command on each (args may depend on the generator). */
export function generatorGroup(generators) {
  return {
    list: generators,
    /** Runs the same command on every generator and returns their answers in order. */
    all: (cmd, args = {}, timeoutMs) => Promise.all(generators.map((generator) => generator.call(cmd, typeof args === 'function' ? args(generator) : args, timeoutMs))),
    async stop() {
      await Promise.allSettled(generators.map((generator) => generator.call('close', {}, 10_000)));
      for (const generator of generators) generator.child.disconnect?.();
      await Promise.all(generators.map((generator) => waitExit(generator.child, 5000)));
    },
  };
}

/**
 * One load-generator process (a module answering `{ id, cmd, args }` over IPC with
 * `{ id, result | error }`): `call(cmd, args, timeoutMs)` sends a command and resolves with its
 * answer. Tracked, so `cleanup()` stops it with everything else.
 */
export function forkGenerator(modulePath, index, label) {
  const child = fork(modulePath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=2048', ...(process.env.BENCH_GENERATOR_NODE_ARGS ?? '').split(' ').filter(Boolean)] });
  track(child);
  let nextId = 0;
  const waiting = new Map();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', (message) => {
    const entry = waiting.get(message.id);
    if (!entry) return;
    waiting.delete(message.id);
    if (message.error) entry.reject(new Error(`${label} ${index}: ${message.error}`));
    else entry.resolve(message.result);
  });
  child.once('exit', (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`${label} ${index} exited with ${code}`));
    waiting.clear();
  });
  const call = (cmd, args = {}, timeoutMs = 180_000) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`${label} ${index}: ${cmd} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      child.send({ id, cmd, args });
    });
  return { index, pid: child.pid, child, call, exited };
}

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

async function waitExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
}

/** Stops every process this run started and removes its stores. Safe to call twice. */
export async function cleanup() {
  for (const child of children) {
    if (child.connected) child.disconnect();
    child.kill('SIGTERM');
  }
  const until = nowMs() + 5000;
  while (children.size > 0 && nowMs() < until) await sleep(50);
  for (const child of children) child.kill('SIGKILL');
  for (const drop of cleanups.splice(0)) await drop().catch(() => {});
}

/** CPU time of a process in ms from /proc (Linux), for processes that cannot report themselves. */
export function procCpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return null;
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

export function writeFixture(fixture, label) {
  const file = path.join(os.tmpdir(), `switchboard-bench-${process.pid}-${label}.json`);
  fs.writeFileSync(file, JSON.stringify(fixture));
  cleanups.push(async () => fs.rmSync(file, { force: true }));
  return file;
}

/** A TCP port free on 127.0.0.1 right now (the server keeps it across restarts). */
export async function freePort() {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Jiffies of the whole machine from /proc/stat: busy and total, to see load from other processes. */
export function machineCpu() {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = fields[3] + fields[4];
    return { busyMs: ((total - idle) * 1000) / 100, totalMs: (total * 1000) / 100, at: nowMs() };
  } catch {
    return null;
  }
}

/**
 * Waits (at most `maxS` seconds) until the machine is quiet: CPU used by everything, measured
 * over one second while the benchmark itself is idle, below `limitPct` of one core. Returns the
 * last measurement. On a shared machine this keeps other people's builds out of the figures.
 */
export async function waitQuiet(maxS, limitPct = 25, log = () => {}) {
  const until = nowMs() + maxS * 1000;
  let busy;
  let said = false;
  for (;;) {
    const c0 = machineCpu();
    await sleep(1000);
    const c1 = machineCpu();
    if (!c0 || !c1) return null;
    busy = ((c1.busyMs - c0.busyMs) / (c1.at - c0.at)) * 100;
    if (busy < limitPct || nowMs() >= until) break;
    if (!said) log(`machine busy (${Math.round(busy)}% of a core used by other processes); waiting up to ${maxS} s for a quiet moment`);
    said = true;
    await sleep(2000);
  }
  return Math.round(busy);
}

/**
 * CPU time (ms) of every PostgreSQL process on the machine. With --store postgres the database
 * is part of the system under test, so its CPU is reported beside the server's instead of being
 * counted as other load. (On a PostgreSQL shared with other work this includes theirs.)
 */
export function postgresCpuMs() {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.split(') ')[1].split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}
