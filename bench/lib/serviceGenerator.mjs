// A customer-service load-generator process: agents on /ws and visitors on /visitor. The service
// scenario forks two or more of these; each owns a slice of the agents and of the visitors,
// connects from its own loopback source addresses and answers commands over IPC:
//
//   init          fixture file, server URLs, which agents, source addresses, the site
//   connectAgents open every agent socket, hello -> welcome, duty.set available
//   openVisitors  widgets opened ahead of a phase: upgrade, v.hello -> v.welcome
//   begin         the agents' behaviour for the next phase (exchange or hold) and fresh figures
//   arrivals      open-loop visitor arrivals at a rate: open, v.hello, v.start with a first message,
//                 then (exchange) one reply each way and the agent closes the chat
//   startAll      every pre-opened visitor of a group sends v.start at once (burst, queue)
//   waitAssigned  until every visitor of a group has an agent (or a deadline)
//   closeHeld     agents close the chats they hold, at a rate (the queue drains)
//   collect       the agents' figures for the phase
//   close         close every socket
//
// Every time is CLOCK_MONOTONIC (system-wide), written into message bodies, so a visitor in one
// process and the agent it was routed to in another measure one latency.

import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setImmediate } from 'node:timers';
import WebSocket from 'ws';
import { Histogram, nowMs, sleep } from './stats.mjs';
import { serveCommands } from './commands.mjs';

const IM_PROTOCOL = 1;
const VISITOR_PROTOCOL = 1;
const HANDSHAKE_TIMEOUT_MS = 15_000;

let agentServers = [];
let visitorServers = [];
let sources = [];
let genId = 0;
let site = null;
const agents = [];
/** Visitors by group name ('arrivals', 'burst', 'queue'). */
const groups = new Map();
let visitorSlot = 0;
let phase = newPhase('idle');
/** Chats the agents hold (not closed by themselves), oldest first, across phases. */
const held = [];
const counters = { agentErrors: {}, visitorErrors: {}, upgradeRefused: {}, agentCloses: 0, visitorCloses: 0 };

function newPhase(name, mode = 'hold') {
  return {
    name,
    mode,
    notifyFromOpen: new Histogram(),
    notifyFromStart: new Histogram(),
    visitorToAgent: new Histogram(),
    assignedAt: [],
    startedAt: nowMs(),
    cpu: process.cpuUsage(),
  };
}

function count(map, key) {
  map[key] = (map[key] ?? 0) + 1;
}

const clientId = () => randomBytes(12).toString('base64url');

// ---------------------------------------------------------------------------------------------
// Agents: IM users with the agent role on /ws.


/**
 * A socket to the slot's server from the slot's source address; `done(ok)` settles the caller's
 * promise once (open, refused or closed, whichever comes first). Refused upgrades are counted.
 */
function openSocket(urls, slot, options, resolve) {
  const ws = new WebSocket(urls[slot % urls.length], { ...options, localAddress: sources[slot % sources.length], perMessageDeflate: false, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
  let settled = false;
  const done = (ok) => {
    if (settled) return;
    settled = true;
    resolve(ok);
  };
  ws.on('unexpected-response', (_request, response) => {
    count(counters.upgradeRefused, response.statusCode);
    ws.terminate();
  });
  ws.on('error', () => {});
  return { ws, done };
}

class Agent {
  constructor(user, slot) {
    this.userId = user.id;
    this.token = user.tokens[0];
    this.slot = slot;
    this.ws = null;
    this.ready = false;
    /** chat id -> the first visitor message of a chat whose assignment came before it. */
    this.awaitingOpen = new Map();
    this.known = new Set();
  }

  connect() {
    return new Promise((resolve) => {
      const { ws, done } = openSocket(agentServers, this.slot, { headers: { authorization: `Bearer ${this.token}` } }, resolve);
      this.ws = ws;
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', ref: 'hello', protocol: IM_PROTOCOL })));
      ws.on('close', () => {
        if (this.ready) counters.agentCloses += 1;
        this.ready = false;
        done(false);
      });
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.type === 'welcome') ws.send(JSON.stringify({ type: 'duty.set', ref: 'duty', status: 'available' }));
        else if (frame.type === 'ok' && frame.ref === 'duty') {
          this.ready = true;
          done(true);
        } else if (frame.type === 'error') {
          count(counters.agentErrors, frame.error.code);
          if (frame.ref === 'hello' || frame.ref === 'duty') done(false);
        } else this.receive(frame);
      });
    });
  }

  receive(frame) {
    if (frame.type === 'visitor.chat') this.onChat(frame.chat);
    else if (frame.type === 'visitor.message') this.onMessage(frame.message);
  }

  onChat(chat) {
    if (chat.status === 'closed') {
      this.known.delete(chat.id);
      return;
    }
    if (chat.status !== 'assigned' || chat.assigneeId !== this.userId || this.known.has(chat.id)) return;
    const at = nowMs();
    this.known.add(chat.id);
    phase.assignedAt.push(at);
    const first = chat.lastMessage?.author === 'visitor' ? opening(chat.lastMessage.body) : null;
    if (first) recordNotify(first, at);
    else this.awaitingOpen.set(chat.id, at);
    if (phase.mode === 'exchange') this.send('visitor.send', { chatId: chat.id, clientId: clientId(), body: `A ${nowMs().toFixed(3)}` });
    else held.push({ agent: this, chatId: chat.id });
  }

  onMessage(message) {
    if (message.author !== 'visitor') return;
    const notifiedAt = this.awaitingOpen.get(message.chatId);
    if (notifiedAt !== undefined) {
      const first = opening(message.body);
      if (first) {
        this.awaitingOpen.delete(message.chatId);
        recordNotify(first, notifiedAt);
      }
    }
    if (message.body.startsWith('V ')) {
      phase.visitorToAgent.record(nowMs() - parseFloat(message.body.slice(2)));
      if (phase.mode === 'exchange') this.send('visitor.close', { chatId: message.chatId });
    }
  }

  send(type, fields) {
    if (this.ready) this.ws.send(JSON.stringify({ type, ...fields }));
  }
}

/** The first message of a chat: "O <widget opened at> <v.start sent at> <name>". */
function opening(body) {
  if (!body.startsWith('O ')) return null;
  const [openAt, startAt] = body.slice(2).split(' ').map(Number);
  return { openAt, startAt };
}

function recordNotify({ openAt, startAt }, at) {
  if (openAt > 0) phase.notifyFromOpen.record(at - openAt);
  phase.notifyFromStart.record(at - startAt);
}

// ---------------------------------------------------------------------------------------------
// Visitors: the widget on /visitor.

class Visitor {
  constructor(group, index) {
    this.name = `bench g${genId} ${group} ${index}`;
    this.slot = visitorSlot++;
    this.ws = null;
    this.ready = false;
    this.mode = 'hold';
    this.openAt = 0;
    this.startAt = null;
    this.queuedAt = null;
    this.firstPosition = null;
    this.positionUpdates = 0;
    this.assignedAt = null;
    this.closedAt = null;
    this.failed = null;
    this.onEvent = null;
  }

  /** Opens the widget and says hello; resolves true at v.welcome. */
  open(openAt = 0) {
    this.openAt = openAt;
    return new Promise((resolve) => {
      const { ws, done } = openSocket(visitorServers, this.slot, { origin: site.origin }, resolve);
      this.ws = ws;
      ws.on('open', () => {
        this.upgradedAt = nowMs();
        ws.send(JSON.stringify({ type: 'v.hello', ref: 'hello', protocol: VISITOR_PROTOCOL, siteKey: site.siteKey, page: site.page }));
      });
      ws.on('close', () => {
        if (this.ready) counters.visitorCloses += 1;
        this.ready = false;
        if (this.startAt !== null && this.closedAt === null && this.failed === null) this.fail('socket closed');
        done(false);
      });
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.type === 'v.welcome') {
          this.welcomedAt = nowMs();
          this.ready = true;
          done(true);
        } else if (frame.type === 'v.error') {
          count(counters.visitorErrors, frame.error.code);
          if (frame.ref === 'hello') done(false);
          else if (frame.ref === 'start') this.fail(frame.error.code);
        } else this.receive(frame);
      });
    });
  }

  start(mode) {
    this.mode = mode;
    this.startAt = nowMs();
    const body = `O ${this.openAt.toFixed(3)} ${this.startAt.toFixed(3)} ${this.name}`;
    this.ws.send(JSON.stringify({ type: 'v.start', ref: 'start', name: this.name, message: body, clientId: clientId() }));
  }

  receive(frame) {
    if (frame.type === 'v.chat') this.onChat(frame.chat);
    else if (frame.type === 'v.message' && frame.message.author === 'agent' && frame.message.body.startsWith('A ')) {
      this.agentToVisitor = nowMs() - parseFloat(frame.message.body.slice(2));
      if (this.mode === 'exchange') this.ws.send(JSON.stringify({ type: 'v.send', clientId: clientId(), body: `V ${nowMs().toFixed(3)}` }));
      this.onEvent?.();
    }
  }

  onChat(chat) {
    const at = nowMs();
    if (chat.status === 'queued') {
      if (this.queuedAt === null) {
        this.queuedAt = at;
        this.firstPosition = chat.queuePosition;
      } else this.positionUpdates += 1;
      this.lastPosition = chat.queuePosition;
    } else if (chat.status === 'assigned') this.assignedAt ??= at;
    else if (chat.status === 'closed') this.closedAt ??= at;
    this.onEvent?.();
  }

  fail(reason) {
    this.failed = reason;
    this.onEvent?.();
  }
}

function addGroup(name, size) {
  const list = groups.get(name) ?? [];
  for (let i = list.length; i < size; i += 1) list.push(new Visitor(name, i));
  groups.set(name, list);
  return list;
}

/** Resolves when `done(visitor)` holds for every visitor, or at the deadline. */
async function until(visitors, done, deadline) {
  while (nowMs() < deadline && !visitors.every(done)) await sleep(10);
}

async function inParallel(items, concurrency, work) {
  let next = 0;
  const one = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, one));
}

function cpuSince(start) {
  const used = process.cpuUsage(start);
  return { userMs: used.user / 1000, systemMs: used.system / 1000 };
}

/** What the visitors of a phase saw: one row per visitor, for the harness to merge. */
function visitorRows(visitors) {
  return visitors.map((v) => ({
    openAt: v.openAt,
    upgradedAt: v.upgradedAt ?? null,
    welcomedAt: v.welcomedAt ?? null,
    startAt: v.startAt,
    queuedAt: v.queuedAt,
    firstPosition: v.firstPosition,
    lastPosition: v.lastPosition ?? null,
    positionUpdates: v.positionUpdates,
    assignedAt: v.assignedAt,
    closedAt: v.closedAt,
    agentToVisitor: v.agentToVisitor ?? null,
    failed: v.failed,
  }));
}

// ---------------------------------------------------------------------------------------------
// Commands

const commands = {
  init(args) {
    const fixture = JSON.parse(readFileSync(args.fixtureFile, 'utf8'));
    agentServers = args.servers.map((url) => `${url.replace(/^http/, 'ws')}/ws`);
    // Visitors start one node further along the list than agents, so with several nodes a
    // visitor is usually routed to an agent connected to another node.
    visitorServers = args.servers.map((_, i) => `${args.servers[(i + 1) % args.servers.length].replace(/^http/, 'ws')}/visitor`);
    sources = args.sources;
    genId = args.genId;
    site = fixture.site;
    args.agents.forEach((userIndex, i) => agents.push(new Agent(fixture.users[userIndex], args.slotOffset + i)));
    return { agents: agents.length };
  },

  async connectAgents({ concurrency = 50, timeoutMs = 60_000 }) {
    const started = nowMs();
    const deadline = started + timeoutMs;
    const times = new Histogram();
    await inParallel(agents, concurrency, async (agent) => {
      for (let attempt = 0; attempt < 5 && !agent.ready && nowMs() < deadline; attempt += 1) {
        if (attempt > 0) await sleep(100 * attempt);
        const t0 = nowMs();
        if (await agent.connect()) times.record(nowMs() - t0);
      }
    });
    return { ready: agents.filter((agent) => agent.ready).length, ms: nowMs() - started, handshake: times.toJSON() };
  },

  async openVisitors({ group, count: size, concurrency = 50, timeoutMs = 60_000 }) {
    const started = nowMs();
    const cpu = process.cpuUsage();
    const deadline = started + timeoutMs;
    const visitors = addGroup(group, size).filter((visitor) => !visitor.ready);
    const times = new Histogram();
    await inParallel(visitors, concurrency, async (visitor) => {
      for (let attempt = 0; attempt < 5 && !visitor.ready && nowMs() < deadline; attempt += 1) {
        if (attempt > 0) await sleep(100 * attempt);
        const t0 = nowMs();
        if (await visitor.open()) times.record(nowMs() - t0);
      }
    });
    return { ready: visitors.filter((visitor) => visitor.ready).length, ms: nowMs() - started, hello: times.toJSON(), cpu: cpuSince(cpu) };
  },

  begin({ name, mode }) {
    phase = newPhase(name, mode);
    return { ok: true };
  },

  /**
   * Open-loop arrivals: `count` visitors, evenly spread over `count / rate` seconds from
   * `startAt`; each opens the widget, says hello and starts a chat with a first message. A slow
   * server shows as latency, not as a lower arrival rate.
   */
  async arrivals({ count: size, rate, startAt, timeoutMs = 20_000 }) {
    const visitors = addGroup('arrivals', size);
    await sleep(Math.max(0, startAt - nowMs()));
    const cpu = process.cpuUsage();
    let launched = 0;
    await new Promise((resolve) => {
      const tick = () => {
        const due = Math.min(size, Math.floor(((nowMs() - startAt) * rate) / 1000) + 1);
        for (; launched < due; launched += 1) {
          const visitor = visitors[launched];
          visitor.open(nowMs()).then((ok) => (ok ? visitor.start('exchange') : visitor.fail('hello failed')));
        }
        if (launched >= size) resolve();
        else setTimeout(tick, 2);
      };
      tick();
    });
    const launchedMs = nowMs() - startAt;
    await until(visitors, (v) => v.closedAt !== null || v.failed !== null, nowMs() + timeoutMs);
    return { launched, launchedMs, rows: visitorRows(visitors), cpu: cpuSince(cpu) };
  },

  /** Every ready visitor of `group` (at most `count`) sends v.start, as fast as this process can. */
  async startAll({ group, count: limit = Infinity, mode = 'hold', settleMs = 0, timeoutMs = 20_000, waitFor = 'assigned' }) {
    const visitors = (groups.get(group) ?? []).filter((visitor) => visitor.ready && visitor.startAt === null).slice(0, limit);
    const cpu = process.cpuUsage();
    const startedAt = nowMs();
    for (let i = 0; i < visitors.length; i += 1) {
      visitors[i].start(mode);
      // Let the socket writes go out in between, as a browser on another machine would.
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    const sentMs = nowMs() - startedAt;
    const answered = waitFor === 'assigned' ? (v) => v.assignedAt !== null || v.failed !== null : (v) => v.queuedAt !== null || v.assignedAt !== null || v.failed !== null;
    await until(visitors, answered, nowMs() + timeoutMs);
    if (settleMs > 0) await sleep(settleMs);
    return { started: visitors.length, startedAt, sentMs, rows: visitorRows(visitors), cpu: cpuSince(cpu) };
  },

  async waitAssigned({ group, timeoutMs = 20_000 }) {
    const visitors = (groups.get(group) ?? []).filter((visitor) => visitor.startAt !== null);
    await until(visitors, (v) => v.assignedAt !== null || v.failed !== null, nowMs() + timeoutMs);
    return { rows: visitorRows(visitors) };
  },

  /** Agents close `count` of the chats they hold, spread evenly at `rate` per second. */
  async closeHeld({ count: size, rate }) {
    const startedAt = nowMs();
    const closing = held.splice(0, size);
    let closed = 0;
    await new Promise((resolve) => {
      const tick = () => {
        const due = Math.min(closing.length, Math.floor(((nowMs() - startedAt) * rate) / 1000) + 1);
        for (; closed < due; closed += 1) closing[closed].agent.send('visitor.close', { chatId: closing[closed].chatId });
        if (closed >= closing.length) resolve();
        else setTimeout(tick, 2);
      };
      tick();
    });
    return { closed, startedAt, ms: nowMs() - startedAt };
  },

  collect() {
    return {
      phase: phase.name,
      notifyFromOpen: phase.notifyFromOpen.toJSON(),
      notifyFromStart: phase.notifyFromStart.toJSON(),
      visitorToAgent: phase.visitorToAgent.toJSON(),
      assignedAt: phase.assignedAt,
      held: held.length,
      waitingForFirstMessage: agents.reduce((sum, agent) => sum + agent.awaitingOpen.size, 0),
      cpu: cpuSince(phase.cpu),
      wallMs: nowMs() - phase.startedAt,
      counters: JSON.parse(JSON.stringify(counters)),
    };
  },

  async close() {
    const sockets = [...agents.map((agent) => agent.ws), ...[...groups.values()].flat().map((visitor) => visitor.ws)].filter(Boolean);
    for (const ws of sockets) ws.close(1000, 'bench done');
    const deadline = nowMs() + 3000;
    while (nowMs() < deadline && sockets.some((ws) => ws.readyState !== WebSocket.CLOSED)) await sleep(20);
    for (const ws of sockets) ws.terminate();
    return { ok: true };
  },

  usage() {
    return { cpu: process.cpuUsage(), rss: process.memoryUsage().rss };
  },
};

serveCommands(commands, () => {
  for (const agent of agents) agent.ws?.terminate();
  for (const visitor of [...groups.values()].flat()) visitor.ws?.terminate();
});
