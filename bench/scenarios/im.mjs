// The IM scenarios on one dataset and one set of connected employees:
//   offline    1,000 messages wait for an offline user; time until all arrived after it connects
//   im         offered load steps until p99 passes 100 ms
//   reconnect  the server restarts under load; time until everyone is back and caught up
// They share one seeded store and one connect phase, which is the slow part of a run.

import { seed } from '../lib/seed.mjs';
import { createStore, machineCpu, postgresCpuMs, startGenerators, startNodes, waitQuiet, writeFixture } from '../lib/harness.mjs';
import { Histogram, nowMs, round, sleep } from '../lib/stats.mjs';

const P99_LIMIT_MS = 100;
/** CPU (% of one core) used by other processes above which a run counts as disturbed. */
const OTHER_CPU_LIMIT = 25;
/** Shares of the reconnecting clients whose catch-up time the reconnect scenario reports. */
const CATCH_UP_SHARES = [0.5, 0.9, 0.99];

export async function runImScenarios(options, log) {
  const out = { dataset: null, connect: null, offline: null, im: null, reconnect: null };
  const want = (name) => options.scenarios.includes(name);
  const store = await createStore(options.store, 'im');
  const pairs = want('offline') ? options.offlineRepeats : 0;
  let t = nowMs();
  // The restart brings back more clients than the steps use: the extra employees (own DMs and
  // groups, same layout) connect just before it.
  const extraUsers = want('reconnect') ? Math.max(0, options.reconnectClients - options.users) : 0;
  const layout = { dmOffsets: [1, 3], groupSize: options.groupSize, groupsPerUser: 1 };
  const fixture = await seed(store.options, {
    groups: [{ name: 'im', count: options.users, ...layout }, ...(extraUsers > 0 ? [{ name: 'rc', count: extraUsers, ...layout }] : [])],
    pairs: pairs > 0 ? [{ name: 'off', count: pairs }] : [],
  });
  const imGroup = fixture.groups.im;
  out.dataset = {
    users: options.users,
    conversations: fixture.conversations.length,
    directChats: fixture.conversations.filter((c) => c.kind === 'direct').length,
    groups: fixture.conversations.filter((c) => c.kind === 'group').length,
    groupSize: options.groupSize,
    dmShare: options.dmShare,
    seedMs: Math.round(nowMs() - t),
  };
  log(`im: seeded ${options.users} users, ${out.dataset.conversations} conversations in ${out.dataset.seedMs} ms`);
  const fixtureFile = writeFixture(fixture, 'im');
  let server = await startNodes(store, { count: options.cluster, bus: options.bus, label: 'im' });

  const assignments = [];
  for (let i = 0; i < imGroup.count; i += 1) assignments.push({ user: imGroup.first + i, sockets: 1 });
  const extraGroup = fixture.groups.rc;
  for (let i = 0; i < (extraGroup?.count ?? 0); i += 1) assignments.push({ user: extraGroup.first + i, sockets: 1, lazy: true });
  (fixture.groups.off?.pairs ?? []).forEach((pair, i) => {
    // Both ends of a pair live in one generator; the sender uses 8 sockets (a frame budget each).
    assignments.push({ user: pair.receiver, sockets: 1, lazy: true, gen: i });
    assignments.push({ user: pair.sender, sockets: 8, lazy: true, gen: i });
  });
  const gens = await startGenerators(options.generators, { fixtureFile, servers: server.urls, assignments });
  try {
    // ---- connect every employee: upgrade with a bearer token, hello -> welcome
    t = nowMs();
    const m0 = await server.metrics('?reset=1');
    const connected = await gens.all('connect', { concurrency: 100, timeoutMs: options.connectTimeoutS * 1000 }, options.connectTimeoutS * 1000 + 30_000);
    const m1 = await server.metrics('?gc=1&reset=1');
    const handshake = new Histogram();
    for (const part of connected) handshake.merge(part.handshake);
    out.connect = {
      users: options.users,
      opened: sum(connected, (part) => part.opened),
      failed: sum(connected, (part) => part.failed),
      seconds: round((nowMs() - t) / 1000, 1),
      serverCpuS: round(cpuMs(m0, m1) / 1000, 1),
      handshakeMs: handshake.summary(),
      serverRssMb: mb(m1.memory.rss),
      generatorCpuS: connected.map((part) => round((part.cpu.userMs + part.cpu.systemMs) / 1000, 1)),
    };
    log(`im: ${out.connect.opened}/${options.users} connected in ${out.connect.seconds} s (server CPU ${out.connect.serverCpuS} s)`);
    if (out.connect.opened < options.users * 0.99) throw new Error(`only ${out.connect.opened} of ${options.users} users connected`);

    // ---- offline flush, on the quiet server with everyone else online
    if (want('offline')) {
      if (options.waitQuietS > 0) await waitQuiet(options.waitQuietS, OTHER_CPU_LIMIT, log);
      const runs = [];
      for (const [i, pair] of fixture.groups.off.pairs.entries()) {
        const result = await gens.list[i % gens.list.length].call('offline', { ...pair, count: options.offlineMessages }, 60_000);
        runs.push(result);
        log(`offline: run ${i + 1}: ${result.received ?? 0}/${options.offlineMessages} in ${round(result.fromConnectMs)} ms from connect (${round(result.fromOpenMs)} ms from open; welcome ${result.welcomeBytes} bytes)`);
      }
      const pick = medianBy(runs.filter((run) => run.complete), (run) => run.fromConnectMs);
      out.offline = {
        messages: options.offlineMessages,
        runs: runs.map((run) => ({ ...run, fromConnectMs: round(run.fromConnectMs), fromOpenMs: round(run.fromOpenMs), upgradeMs: round(run.upgradeMs), welcomeMs: round(run.welcomeMs) })),
        median: pick ? { fromConnectMs: round(pick.fromConnectMs), fromOpenMs: round(pick.fromOpenMs), welcomeBytes: pick.welcomeBytes } : null,
        complete: runs.every((run) => run.complete),
      };
    }

    // ---- offered-load steps
    if (want('im')) {
      out.im = { steps: [], stepSeconds: options.stepSeconds, warmupSeconds: options.warmupSeconds, repeats: options.repeats };
      const queue = [...options.steps];
      let lastOk = null;
      let bisected = false;
      while (queue.length > 0) {
        const rate = queue.shift();
        const runs = [];
        const retried = [];
        while (runs.length < options.repeats) {
          const quietBefore = options.waitQuietS > 0 ? await waitQuiet(options.waitQuietS, OTHER_CPU_LIMIT, log) : null;
          const run = await loadStep(server, gens, rate, options);
          run.quietBeforePct = quietBefore;
          // On a shared machine another process can take a core in the middle of a run; such a
          // run is repeated (a few times at most) rather than reported as the server's figure.
          if (run.otherCpuPct !== null && run.otherCpuPct > OTHER_CPU_LIMIT && retried.length < options.disturbedRetries) {
            retried.push({ p99: run.e2e.p99, otherCpuPct: run.otherCpuPct });
            log(`im: ${rate} msg/s run disturbed by other processes (${run.otherCpuPct}% CPU), repeating`);
            await settle(server, gens);
            continue;
          }
          // Still disturbed after the retries: kept, and marked so in the results.
          if (run.otherCpuPct !== null && run.otherCpuPct > OTHER_CPU_LIMIT) run.disturbed = true;
          runs.push(run);
        }
        const chosen = medianBy(runs, (run) => run.e2e.p99 ?? Infinity);
        const step = { offered: rate, ...chosen, repeats: runs.map((run) => ({ p99: run.e2e.p99, persistedPerS: run.persistedPerS, otherCpuPct: run.otherCpuPct, ok: run.ok })), retriedDisturbedRuns: retried };
        out.im.steps.push(step);
        log(
          `im: ${String(rate).padStart(6)} msg/s -> persisted ${step.persistedPerS}/s, delivered ${step.deliveredPerS}/s, p50 ${step.e2e.p50} p99 ${step.e2e.p99} max ${step.e2e.max} ms, server CPU ${step.server.cpuPct}%, generators ${step.generatorCpuPct.join('/')}%${step.ok ? '' : `  [${step.why}]`}`,
        );
        await settle(server, gens);
        if (step.ok) lastOk = rate;
        // Past the knee every step only takes longer; a quick run measures its few steps anyway.
        // Once, a step halfway between the last good rate and the first bad one (or half the
        // first step, when that one failed) narrows the knee.
        if (!step.ok && !options.quick) {
          const floor = lastOk ?? 0;
          const middle = Math.round((floor + rate) / 2 / 500) * 500;
          if (bisected || middle <= floor || middle >= rate) break;
          bisected = true;
          queue.length = 0;
          queue.push(middle);
        }
      }
      out.im.steps.sort((a, b) => a.offered - b.offered);
    }

    // ---- restart under load
    if (want('reconnect')) {
      if (extraGroup) {
        const users = Array.from({ length: extraGroup.count }, (_, i) => extraGroup.first + i);
        const t0 = nowMs();
        const parts = await gens.all('connect', { concurrency: 100, timeoutMs: options.connectTimeoutS * 1000, only: users, activate: true }, options.connectTimeoutS * 1000 + 30_000);
        log(`reconnect: ${sum(parts, (part) => part.opened)}/${extraGroup.count} more employees connected in ${round((nowMs() - t0) / 1000, 1)} s`);
      }
      const result = await reconnectUnderLoad(server, gens, options, log, () => server.restart());
      server = result.server;
      out.reconnect = result.figures;
    }
  } finally {
    await gens.stop();
    await server.stop();
    await store.drop();
  }
  return out;
}

/** One run of one offered rate: open-loop sends for stepSeconds, figures over the measured part. */
async function loadStep(server, gens, rate, options) {
  const startAt = nowMs() + 300;
  const durationMs = options.stepSeconds * 1000;
  const measureFrom = startAt + options.warmupSeconds * 1000;
  const measureTo = startAt + durationMs;
  const [parts, window] = await Promise.all([
    gens.all('load', { rate: rate / gens.list.length, startAt, durationMs, warmupMs: options.warmupSeconds * 1000, drainMs: 5000, dmShare: options.dmShare }),
    serverWindow(server, measureFrom, measureTo, options.store === 'postgres'),
  ]);
  const windowS = (measureTo - measureFrom) / 1000;
  const e2e = new Histogram();
  const ack = new Histogram();
  for (const part of parts) {
    e2e.merge(part.e2e);
    ack.merge(part.ack);
  }
  const expected = sum(parts, (part) => part.expectedDeliveries);
  const delivered = sum(parts, (part) => part.deliveriesMeasured);
  const unacked = sum(parts, (part) => part.unacked);
  const errors = mergeCounts(parts.map((part) => part.counters.errors));
  const step = {
    sentPerS: round(sum(parts, (part) => part.sentMeasured) / windowS, 0),
    // The server's own count over the window it was actually asked about.
    persistedPerS: round(window.stored / (window.wallMs / 1000), 0),
    deliveredPerS: round(delivered / windowS, 0),
    deliveryRatio: expected ? round(delivered / expected, 4) : null,
    unacked,
    e2e: e2e.summary(),
    ack: ack.summary(),
    server: window.figures,
    generatorCpuPct: parts.map((part) => round(((part.cpu.userMs + part.cpu.systemMs) / part.wallMs) * 100, 0)),
    errors,
  };
  // CPU used on the machine by anything but the server and the generators (other work on a
  // shared machine makes the figures pessimistic; the table shows it).
  step.databaseCpuPct = window.databaseCpuPct;
  step.otherCpuPct =
    window.machineBusyPct === null ? null : Math.max(0, round(window.machineBusyPct - window.figures.cpuPct - (window.databaseCpuPct ?? 0) - step.generatorCpuPct.reduce((a, b) => a + b, 0), 0));
  const why = [];
  if (!(step.e2e.p99 < P99_LIMIT_MS)) why.push(`p99 ${step.e2e.p99} ms >= ${P99_LIMIT_MS}`);
  if (step.deliveryRatio !== null && step.deliveryRatio < 0.999) why.push(`delivered ${step.deliveryRatio * 100}%`);
  if (unacked > 0) why.push(`${unacked} unacknowledged`);
  if (step.persistedPerS < rate * 0.95) why.push(`persisted ${step.persistedPerS}/s < 95% of offered`);
  if (Object.keys(errors).length > 0) why.push(`errors ${JSON.stringify(errors)}`);
  step.ok = why.length === 0;
  if (!step.ok) step.why = why.join('; ');
  if (step.generatorCpuPct.some((pct) => pct > 90)) step.warning = 'a generator was near saturation; figures understate the server';
  return step;
}

/** Server figures between two instants: CPU, persisted messages, RSS, event-loop lag. */
async function serverWindow(server, fromAt, toAt, withPostgres = false) {
  await sleep(Math.max(0, fromAt - nowMs()));
  const m0 = await server.metrics('?reset=1');
  const c0 = machineCpu();
  const p0 = withPostgres ? postgresCpuMs() : null;
  const t0 = nowMs();
  await sleep(Math.max(0, toAt - nowMs()));
  const m1 = await server.metrics('?reset=1');
  const c1 = machineCpu();
  const p1 = withPostgres ? postgresCpuMs() : null;
  const wall = nowMs() - t0;
  return {
    databaseCpuPct: withPostgres ? round(((p1 - p0) / wall) * 100, 0) : null,
    machineBusyPct: c0 && c1 ? round(((c1.busyMs - c0.busyMs) / (c1.at - c0.at)) * 100, 0) : null,
    wallMs: wall,
    stored: m1.sender.stored - m0.sender.stored,
    figures: {
      cpuPct: round((cpuMs(m0, m1) / wall) * 100, 0),
      rssMb: mb(m1.memory.rss),
      eventLoopLagP99Ms: m1.eventLoopLagMs.p99,
      eventLoopLagMaxMs: m1.eventLoopLagMs.max,
      batches: m1.sender.batches - m0.sender.batches,
      avgBatch: round((m1.sender.stored - m0.sender.stored) / Math.max(1, m1.sender.batches - m0.sender.batches), 1),
      commitMsPerS: round(((m1.sender.commitMs - m0.sender.commitMs) / wall) * 1000, 0),
    },
  };
}

/** Waits until the server's commit queue and every outbox are empty (bounded), between steps. */
async function settle(server, gens, timeoutMs = 30_000) {
  const until = nowMs() + timeoutMs;
  while (nowMs() < until) {
    const metrics = await server.metrics();
    const progress = await gens.all('progress', { since: Infinity });
    if (metrics.sender.queued === 0 && sum(progress, (part) => part.outbox) === 0) return;
    await sleep(100);
  }
}

/**
 * Load at a moderate rate, then a graceful restart (SIGTERM: sockets closed with 1012, queued sends
 * committed) and a new process on the same port and store. Clients reconnect with jittered
 * backoff, hello, sync every conversation from their last seq, and resend what was not acked.
 */
async function reconnectUnderLoad(server, gens, options, log, restart) {
  const clients = sum(await gens.all('progress', { since: Infinity }), (part) => part.clients);
  if (options.waitQuietS > 0) await waitQuiet(options.waitQuietS, OTHER_CPU_LIMIT, log);
  await gens.all('reconnect', { enabled: true, policy: options.clientBackoff });
  const startAt = nowMs() + 300;
  const loading = gens.all('load', { rate: options.reconnectRate / gens.list.length, startAt, durationMs: 3_600_000, warmupMs: 0, drainMs: 30_000, dmShare: options.dmShare, keepTracking: true }, 3_700_000);
  await sleep(startAt + options.reconnectLeadS * 1000 - nowMs());
  const killAt = nowMs();
  const gensBefore = await gens.all('usage');
  const stopExit = await server.stop(options.restart === 'kill' ? 'SIGKILL' : 'SIGTERM');
  const downMs = nowMs() - killAt;
  const next = await restart();
  const upMs = nowMs() - killAt;
  log(`reconnect: server ${options.restart === 'kill' ? 'killed' : 'stopped'} in ${Math.round(downMs)} ms (exit ${stopExit.code ?? stopExit.signal}), new process listening ${Math.round(upMs)} ms after the stop began`);
  const until = killAt + options.reconnectTimeoutS * 1000;
  let progress;
  while (nowMs() < until) {
    progress = await gens.all('progress', { since: killAt });
    if (sum(progress, (part) => part.caughtUp) >= clients) break;
    await sleep(100);
  }
  // When half, 90 % and 99 % of the clients were caught up: a slow tail and a slow whole look
  // alike in the headline, which waits for the last client.
  const caughtUpAts = (await gens.all('progress', { since: killAt, times: true })).flatMap((part) => part.caughtUpAts).sort((a, b) => a - b);
  const shareAtS = Object.fromEntries(
    CATCH_UP_SHARES.map((share) => [`p${share * 100}`, caughtUpAts.length >= share * clients ? round((caughtUpAts[Math.ceil(share * clients) - 1] - killAt) / 1000, 2) : null]),
  );
  const caughtUp = sum(progress, (part) => part.caughtUp);
  const lastAt = Math.max(...progress.map((part) => part.lastCaughtUpAt ?? 0));
  // Whose CPU the catch-up took: the new server's since it started, each generator's since the stop.
  const [newServer, gensAfter] = await Promise.all([next.metrics(), gens.all('usage')]);
  const sinceStopS = (nowMs() - killAt) / 1000;
  const generatorCpuPct = gensAfter.map((after, i) => round(((after.cpu.user + after.cpu.system - gensBefore[i].cpu.user - gensBefore[i].cpu.system) / 1e4 / sinceStopS), 0));
  const newServerCpuS = round((newServer.cpu.user + newServer.cpu.system) / 1e6, 1);
  const catchUpS = caughtUp >= clients ? round((lastAt - killAt) / 1000, 2) : null;
  const afterRestartS = caughtUp >= clients ? round((lastAt - killAt - upMs) / 1000, 2) : null;
  log(`reconnect: ${caughtUp}/${clients} clients back and caught up${catchUpS !== null ? ` ${catchUpS} s after the stop` : ` (timed out after ${options.reconnectTimeoutS} s)`}; half by ${shareAtS.p50 ?? '-'} s, 90 % by ${shareAtS.p90 ?? '-'} s, 99 % by ${shareAtS.p99 ?? '-'} s`);
  await sleep(1000);
  await gens.all('stop');
  const parts = await loading;
  await gens.all('reconnect', { enabled: false });
  await sleep(500);
  const lastSeqs = {};
  for (const seen of await gens.all('lastSeqs')) for (const [id, seq] of Object.entries(seen)) lastSeqs[id] = Math.max(lastSeqs[id] ?? 0, seq);
  const checks = await gens.all('verify', { lastSeqs }, 60_000);
  const missing = new Set(checks.flatMap((part) => part.missing));
  const unacked = sum(checks, (part) => part.unacked);
  const duplicated = sum(parts, (part) => part.counters.storedDuplicates) + sum(checks, (part) => part.counters.storedDuplicates);
  const figures = {
    clients,
    rate: options.reconnectRate,
    restart: options.restart,
    clientBackoff: options.clientBackoff,
    stopMs: Math.round(downMs),
    stopExit: stopExit.code ?? stopExit.signal,
    restartMs: Math.round(upMs),
    caughtUp,
    catchUpS,
    catchUpAfterRestartS: afterRestartS,
    /** Seconds after the stop began when that share of the clients was caught up. */
    caughtUpShareS: shareAtS,
    newServerCpuS,
    generatorCpuPct,
    sent: sum(parts, (part) => part.sent),
    acked: sum(parts, (part) => part.acked),
    // A message is lost if its sender never got an ack (after resends) or a member never got it.
    lost: missing.size + unacked,
    missingDeliveries: missing.size,
    unacked,
    clientsWithGaps: sum(checks, (part) => part.clientsWithGaps),
    duplicated,
    redeliveredIgnored: sum(parts, (part) => part.counters.redelivered) + sum(checks, (part) => part.counters.redelivered),
    notReady: sum(checks, (part) => part.notReady),
    errors: mergeCounts([...parts, ...checks].map((part) => part.counters.errors)),
  };
  log(`reconnect: sent ${figures.sent}, acked ${figures.acked}, lost ${figures.lost}, duplicated ${figures.duplicated}`);
  return { server: next, figures };
}

export function medianBy(runs, key) {
  if (runs.length === 0) return null;
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export function cpuMs(m0, m1) {
  return (m1.cpu.user + m1.cpu.system - m0.cpu.user - m0.cpu.system) / 1000;
}

export function mb(bytes) {
  return round(bytes / 1024 / 1024, 1);
}

export function sum(items, pick) {
  return items.reduce((total, item) => total + (pick(item) ?? 0), 0);
}

export function mergeCounts(list) {
  const merged = {};
  for (const counts of list) for (const [key, value] of Object.entries(counts ?? {})) merged[key] = (merged[key] ?? 0) + value;
  return merged;
}

