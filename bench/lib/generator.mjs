// A load-generator process. The harness forks two or more of these; each owns a slice of the
// benchmark users, opens one WebSocket per user session through the real upgrade path (Bearer
// token) from its own loopback source addresses, and answers commands over IPC:
//
//   init     fixture file, server URLs, which users (and how many sockets each), source addresses
//   connect  open every socket, hello -> welcome; reports timings
//   load     open-loop sends at a fixed rate for a fixed time; reports latencies and counts
//   offline  the offline-flush measurement (one receiver connects to 1,000 waiting messages)
//   verify   gaps, duplicates and unacknowledged sends (reconnect scenario)
//   close    close every socket
//
// Latency is end to end: the sender writes its send time (monotonic, system-wide clock) into the
// message body and the recipient, in whichever generator, subtracts it on arrival. The sender
// never waits for its acks before sending more (open loop), so a slow server shows up as latency
// instead of as a lower send rate.

import { readFileSync } from 'node:fs';
import { newClientId } from '@switchboard/protocol';
import { Buffer } from 'node:buffer';
import { setInterval, clearInterval } from 'node:timers';
import WebSocket from 'ws';
import { Histogram, nowMs, sleep } from './stats.mjs';
import { serveCommands } from './commands.mjs';

const PROTOCOL_VERSION = 1;
const PAD = ' the quick brown fox jumps over the lazy dog, then files the quarterly report';
const HANDSHAKE_TIMEOUT_MS = 15_000;

let fixture;
let servers = [];
let sources = [];
let genId = 0;
const clients = [];
const byUser = new Map();
let conversationsOf = [];
let directOf = [];
let groupsOf = [];
let phase = null; // the running measurement, if any
let reconnecting = false;
/**
 * How a client backs off between reconnect attempts (full jitter, doubling from `baseMs` up to
 * `capMs`; after a 1012 close, at most `restartCapMs` for `restartAttempts` attempts). `bench`,
 * the default, comes back within 2 s of the server listening; `sdk` is what the web app does
 * (@switchboard/client: packages/client/src/backoff.ts and connection.ts, whose attempt count and
 * restart pace only a welcome resets).
 */
const BACKOFFS = {
  bench: { baseMs: 200, capMs: 2000, resetOnWelcome: false },
  sdk: { baseMs: 250, capMs: 30_000, restartCapMs: 2000, restartAttempts: 10, resetOnWelcome: true },
};
let backoff = BACKOFFS.bench;
let stopLoad = null;
const counters = newCounters();

function newCounters() {
  return { errors: {}, closes: 0, redelivered: 0, storedDuplicates: 0, connectFailures: 0, upgradeRefused: {} };
}

function countError(code) {
  counters.errors[code] = (counters.errors[code] ?? 0) + 1;
}

/** Client ids this generator's users sent -> message id they were stored under (duplicate check). */
const storedAs = new Map();

class Client {
  constructor(userIndex, token, slot) {
    this.userIndex = userIndex;
    this.userId = fixture.users[userIndex].id;
    this.token = token;
    this.slot = slot;
    this.ws = null;
    this.ready = false;
    this.everReady = false;
    /** conversation id -> highest seq received without a gap; seqs above it that already came. */
    this.cursor = new Map();
    this.ahead = new Map();
    /** client id -> { conversationId, body, firstSentAt } until acknowledged. */
    this.outbox = new Map();
    this.syncing = 0;
    this.target = new Map();
    this.caughtUpAt = null;
    this.disconnectedAt = null;
    this.attempts = 0;
    this.restarting = false;
    this.onReady = null;
  }

  open() {
    const url = servers[this.slot % servers.length];
    const localAddress = sources[this.slot % sources.length];
    this.ready = false;
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${this.token}` },
      localAddress,
      perMessageDeflate: false,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      skipUTF8Validation: true,
    });
    this.ws = ws;
    ws.on('open', () => {
      if (!backoff.resetOnWelcome) this.attempts = 0;
      ws.send(JSON.stringify({ type: 'hello', ref: 'hello', protocol: PROTOCOL_VERSION }));
    });
    ws.on('message', (data) => this.receive(data));
    ws.on('unexpected-response', (_request, response) => {
      counters.upgradeRefused[response.statusCode] = (counters.upgradeRefused[response.statusCode] ?? 0) + 1;
      ws.terminate();
    });
    ws.on('error', () => {});
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      if (code === 1012) this.restarting = true;
      const wasReady = this.ready;
      this.ready = false;
      this.ws = null;
      if (wasReady) {
        counters.closes += 1;
        // The first disconnect starts the clock; catching up counts from the last reconnect.
        this.disconnectedAt ??= nowMs();
        this.caughtUpAt = null;
      } else {
        counters.connectFailures += 1;
      }
      if (this.onReady && !wasReady && !reconnecting) this.onReady(false);
      if (reconnecting) this.scheduleReconnect();
    });
  }

  scheduleReconnect() {
    // Full jitter: thousands of clients do not return in one burst.
    const quickRetry = this.restarting && backoff.restartCapMs !== undefined && this.attempts < backoff.restartAttempts;
    const ceiling = Math.min(quickRetry ? backoff.restartCapMs : backoff.capMs, backoff.baseMs * 2 ** this.attempts);
    this.attempts += 1;
    setTimeout(() => {
      if (reconnecting && !this.ws) this.open();
    }, Math.random() * ceiling);
  }

  receive(data) {
    // Presence changes are sent to everyone; skip them without parsing ({"type":"presence"...).
    if (data[9] === 0x70 && data[10] === 0x72) return;
    const frame = data[9] === 0x77 ? parseWelcome(data) : JSON.parse(data.toString());
    switch (frame.type) {
      case 'message':
        this.onMessage(frame.message, false);
        break;
      case 'ack':
        this.onAck(frame);
        break;
      case 'welcome':
        this.onWelcome(frame);
        break;
      case 'sync.batch':
        for (const message of frame.messages) this.onMessage(message, true);
        if (frame.hasMore) this.target.set(frame.conversationId, Math.max(this.target.get(frame.conversationId) ?? 0, (this.cursor.get(frame.conversationId) ?? 0) + 1));
        break;
      case 'sync.done':
        this.onSyncDone();
        break;
      case 'error':
        countError(frame.error.code);
        this.onError(frame);
        break;
      default:
        break;
    }
  }

  onWelcome(frame) {
    this.ready = true;
    this.attempts = 0;
    this.restarting = false;
    this.everReady = true;
    const behind = [];
    for (const conversation of frame.conversations) {
      const have = this.cursor.get(conversation.id);
      if (have === undefined) {
        // First connect: start from now; history is not what this benchmark measures.
        this.cursor.set(conversation.id, conversation.lastSeq);
        this.drainAhead(conversation.id);
      } else if (conversation.lastSeq > have) {
        this.target.set(conversation.id, conversation.lastSeq);
        behind.push({ conversationId: conversation.id, afterSeq: have });
      }
    }
    // Resend whatever was not acknowledged, with the same client ids (idempotent).
    for (const [clientId, pending] of this.outbox) this.ws.send(sendFrame(pending.conversationId, clientId, pending.body));
    if (behind.length > 0) this.sync(behind);
    else this.markCaughtUp();
    if (this.onReady) this.onReady(true);
  }

  sync(cursors) {
    this.syncing += 1;
    this.ws.send(JSON.stringify({ type: 'sync', ref: 'sync', cursors }));
  }

  /**
   * What a real client does with an error: a failed hello (the server could not read the state)
   * means reconnecting; a failed sync is asked again; a retryable error to a send is resent later
   * with the same client id. Anything else is only counted.
   */
  onError(frame) {
    const ws = this.ws;
    if (!ws) return;
    const retryable = frame.error.retryable === true;
    if (frame.ref === 'hello') {
      ws.close(1000, 'hello failed');
      return;
    }
    if (frame.ref === 'sync') {
      this.syncing -= 1;
      setTimeout(() => {
        if (this.ws !== ws || !this.ready) return;
        const behind = [...this.target].map(([conversationId]) => ({ conversationId, afterSeq: this.cursor.get(conversationId) ?? 0 }));
        if (behind.length > 0) this.sync(behind);
        else if (this.syncing === 0) this.markCaughtUp();
      }, 200 + Math.random() * 800);
      return;
    }
    const pending = frame.ref ? this.outbox.get(frame.ref) : undefined;
    if (pending && retryable) {
      setTimeout(() => {
        if (this.ws === ws && this.ready && this.outbox.has(frame.ref)) ws.send(sendFrame(pending.conversationId, frame.ref, pending.body));
      }, 200 + Math.random() * 800);
    }
  }

  onSyncDone() {
    this.syncing -= 1;
    const behind = [];
    for (const [conversationId, target] of this.target) {
      const have = this.cursor.get(conversationId) ?? 0;
      if (have >= target) this.target.delete(conversationId);
      else behind.push({ conversationId, afterSeq: have });
    }
    if (behind.length > 0 && this.ws) this.sync(behind);
    else if (this.syncing === 0) this.markCaughtUp();
  }

  markCaughtUp() {
    if (this.disconnectedAt !== null && this.caughtUpAt === null) this.caughtUpAt = nowMs();
  }

  onAck(frame) {
    const pending = this.outbox.get(frame.clientId);
    const previous = storedAs.get(frame.clientId);
    if (previous !== undefined && previous !== frame.messageId) counters.storedDuplicates += 1;
    storedAs.set(frame.clientId, frame.messageId);
    if (!pending) return;
    this.outbox.delete(frame.clientId);
    if (phase?.onAck) phase.onAck(pending, nowMs());
  }

  onMessage(message, fromSync) {
    const conversationId = message.conversationId;
    const have = this.cursor.get(conversationId);
    const ahead = this.ahead.get(conversationId);
    if ((have !== undefined && message.seq <= have) || ahead?.has(message.seq)) {
      counters.redelivered += 1;
      return;
    }
    if (have !== undefined && message.seq === have + 1) {
      this.cursor.set(conversationId, message.seq);
      this.drainAhead(conversationId);
    } else if (ahead) ahead.add(message.seq);
    else this.ahead.set(conversationId, new Set([message.seq]));
    if (message.senderId === this.userId) {
      const previous = storedAs.get(message.clientId);
      if (previous !== undefined && previous !== message.id) counters.storedDuplicates += 1;
      storedAs.set(message.clientId, message.id);
      return;
    }
    if (phase?.onDelivery) phase.onDelivery(message, fromSync, nowMs());
  }

  drainAhead(conversationId) {
    const ahead = this.ahead.get(conversationId);
    if (!ahead) return;
    let have = this.cursor.get(conversationId) ?? 0;
    for (const seq of [...ahead].sort((a, b) => a - b)) {
      if (seq <= have) ahead.delete(seq);
      else if (seq === have + 1) {
        have = seq;
        ahead.delete(seq);
      } else break;
    }
    this.cursor.set(conversationId, have);
    if (ahead.size === 0) this.ahead.delete(conversationId);
  }

  send(conversationId, body) {
    const clientId = newClientId(); // time-ordered, as the SDK makes them
    this.outbox.set(clientId, { conversationId, body, firstSentAt: nowMs() });
    if (this.ready) this.ws.send(sendFrame(conversationId, clientId, body));
    return clientId;
  }
}

const PRESENCE_KEY = Buffer.from(',"presence":[');

/**
 * The welcome carries every user's presence (hundreds of KB in a large company); the generator
 * needs only the conversations before it, so it parses the part up to "presence" when it can.
 */
function parseWelcome(data) {
  const cut = data.indexOf(PRESENCE_KEY);
  if (cut > 0) {
    try {
      return JSON.parse(`${data.subarray(0, cut).toString()}}`);
    } catch {
      // fall through to the whole frame
    }
  }
  return JSON.parse(data.toString());
}

function sendFrame(conversationId, clientId, body) {
  // The ref is the client id, so an error names the send it answers.
  return `{"type":"send","ref":"${clientId}","conversationId":"${conversationId}","clientId":"${clientId}","body":${JSON.stringify(body)}}`;
}

// ---------------------------------------------------------------------------------------------
// Commands

const commands = {
  init(args) {
    fixture = JSON.parse(readFileSync(args.fixtureFile, 'utf8'));
    servers = args.servers.map((url) => `${url.replace(/^http/, 'ws')}/ws`);
    sources = args.sources;
    genId = args.genId;
    conversationsOf = fixture.users.map(() => []);
    directOf = fixture.users.map(() => []);
    groupsOf = fixture.users.map(() => []);
    fixture.conversations.forEach((conversation, index) => {
      for (const member of conversation.members) {
        conversationsOf[member].push(index);
        (conversation.kind === 'direct' ? directOf : groupsOf)[member].push(index);
      }
    });
    for (const { user, sockets, lazy = false, token = 0 } of args.users) {
      for (let s = 0; s < sockets; s += 1) {
        const tokens = fixture.users[user].tokens;
        const client = new Client(user, tokens[(token + s) % tokens.length], clients.length + args.slotOffset);
        client.lazy = lazy;
        clients.push(client);
        if (!byUser.has(user)) byUser.set(user, []);
        byUser.get(user).push(client);
      }
    }
    return { clients: clients.length };
  },

  /**
   * Opens every socket not yet open (at most `concurrency` handshakes at a time), hello -> welcome:
   * the eager clients, or those of the `only` users (`activate` makes them eager from then on).
   */
  async connect({ concurrency = 200, timeoutMs = 120_000, only, activate = false }) {
    const started = nowMs();
    const cpu = process.cpuUsage();
    const onlyUsers = only ? new Set(only) : null;
    const wanted = clients.filter((client) => !client.ready && (onlyUsers ? onlyUsers.has(client.userIndex) : !client.lazy));
    const times = new Histogram();
    let failed = 0;
    let next = 0;
    const deadline = started + timeoutMs;
    const one = async () => {
      while (next < wanted.length && nowMs() < deadline) {
        const client = wanted[next++];
        let ok = false;
        for (let attempt = 0; !ok && attempt < 20 && nowMs() < deadline; attempt += 1) {
          if (attempt > 0) await sleep(100 + Math.random() * 200 * attempt);
          const t0 = nowMs();
          ok = await new Promise((resolve) => {
            client.onReady = resolve;
            client.open();
          });
          client.onReady = null;
          if (ok) times.record(nowMs() - t0);
        }
        if (!ok) failed += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, wanted.length) }, one));
    // Lazy clients connected for good: from now on they send, count and are verified like the rest.
    if (activate) for (const client of wanted) if (client.ready) client.lazy = false;
    return { opened: wanted.filter((client) => client.ready).length, failed, ms: nowMs() - started, handshake: times.toJSON(), cpu: cpuSince(cpu), counters: takeCounters() };
  },

  /**
   * Open-loop load: `rate` sends per second spread over this generator's ready clients, from
   * `startAt` for `durationMs`. Latencies count for messages sent in [startAt + warmupMs, end).
   * Afterwards waits (at most `drainMs`) for every ack and delivery of the measured messages.
   */
  async load({ rate, startAt, durationMs, warmupMs, drainMs = 5000, dmShare = 0.8, recordFrom, recordTo, keepTracking = false }) {
    if (!keepTracking) storedAs.clear();
    const measureFrom = recordFrom ?? startAt + warmupMs;
    let endAt = startAt + durationMs;
    const measureTo = recordTo ?? endAt;
    stopLoad = () => (endAt = Math.min(endAt, nowMs()));
    const e2e = new Histogram();
    const ack = new Histogram();
    const result = { sent: 0, sentMeasured: 0, acked: 0, ackedMeasured: 0, expectedDeliveries: 0, deliveries: 0, deliveriesMeasured: 0, lateDeliveries: 0 };
    phase = {
      onAck(pending, at) {
        result.acked += 1;
        if (pending.firstSentAt >= measureFrom && pending.firstSentAt < measureTo) {
          result.ackedMeasured += 1;
          ack.record(at - pending.firstSentAt);
        }
      },
      onDelivery(message, _fromSync, at) {
        result.deliveries += 1;
        const sentAt = parseFloat(message.body);
        if (sentAt >= measureFrom && sentAt < measureTo) {
          result.deliveriesMeasured += 1;
          e2e.record(at - sentAt);
        }
      },
    };
    await sleep(Math.max(0, startAt - nowMs()));
    const cpu = process.cpuUsage();
    const wallStart = nowMs();
    const senders = clients.filter((client) => client.everReady && !client.lazy);
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        const now = nowMs();
        const due = Math.floor(((Math.min(now, endAt) - startAt) * rate) / 1000) - result.sent;
        for (let i = 0; i < due && senders.length > 0; i += 1) {
          const client = senders[Math.floor(Math.random() * senders.length)];
          if (conversationsOf[client.userIndex].length === 0) continue;
          const conversation = pickConversation(client.userIndex, dmShare);
          const sentAt = nowMs();
          client.send(fixture.conversations[conversation].id, `${sentAt.toFixed(3)} g${genId}${PAD}`);
          result.sent += 1;
          if (sentAt >= measureFrom && sentAt < measureTo) {
            result.sentMeasured += 1;
            result.expectedDeliveries += fixture.conversations[conversation].members.length - 1;
          }
        }
        if (now >= endAt) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    const sendCpu = cpuSince(cpu);
    const sendWall = nowMs() - wallStart;
    // Drain: wait until every measured send is acknowledged (deliveries are checked by the
    // harness across generators), bounded in time.
    const drainUntil = nowMs() + drainMs;
    while (nowMs() < drainUntil && clients.some((client) => client.outbox.size > 0 && client.ready)) await sleep(20);
    await sleep(Math.min(300, Math.max(0, drainUntil - nowMs())));
    phase = null;
    stopLoad = null;
    const unacked = clients.reduce((sum, client) => sum + client.outbox.size, 0);
    return { ...result, unacked, e2e: e2e.toJSON(), ack: ack.toJSON(), cpu: sendCpu, wallMs: sendWall, counters: takeCounters() };
  },

  /**
   * Offline flush: `senderSockets` clients of the sender push `count` messages into the DM while
   * the receiver is offline; once all are acknowledged, the receiver connects, says hello, syncs
   * from its last seq and we time until the last message arrived.
   */
  async offline({ receiver, sender, conversation, count }) {
    const conversationId = fixture.conversations[conversation].id;
    const senders = byUser.get(sender);
    const target = byUser.get(receiver)[0];
    // The receiver was here before (its cursor is the conversation's current end), then went away.
    await commands.connect({ only: [sender, receiver] });
    const baseline = target.cursor.get(conversationId) ?? 0;
    target.ws?.close(1000, 'going offline');
    await sleep(100);
    let acked = 0;
    phase = { onAck: () => (acked += 1) };
    for (let i = 0; i < count; i += 1) senders[i % senders.length].send(conversationId, `${nowMs().toFixed(3)} offline ${i}${PAD}`);
    const until = nowMs() + 20_000;
    while (acked < count && nowMs() < until) await sleep(10);
    phase = null;
    for (const client of senders) client.ws?.close(1000, 'done');
    await sleep(200);
    if (acked < count) return { error: `only ${acked} of ${count} sends acknowledged` };

    const received = [];
    let welcomeBytes = 0;
    const t0 = nowMs();
    let openedAt = null;
    let welcomeAt = null;
    const done = new Promise((resolve) => {
      const timeout = setTimeout(() => resolve(false), 10_000);
      phase = {
        onDelivery(message, _fromSync, at) {
          if (message.conversationId !== conversationId) return;
          received.push(at);
          if (received.length >= count) {
            clearTimeout(timeout);
            resolve(true);
          }
        },
      };
    });
    // Same socket logic as every client: hello, then sync from the last seq it saw.
    target.cursor.set(conversationId, baseline);
    target.disconnectedAt = t0;
    target.caughtUpAt = null;
    target.open();
    target.ws.once('open', () => (openedAt = nowMs()));
    target.ws.on('message', (data) => {
      if (welcomeAt === null && data.includes('"type":"welcome"')) {
        welcomeAt = nowMs();
        welcomeBytes = data.length;
      }
    });
    const complete = await done;
    phase = null;
    const last = received.length ? Math.max(...received) : null;
    return {
      complete,
      received: received.length,
      fromOpenMs: last !== null && openedAt !== null ? last - openedAt : null,
      fromConnectMs: last !== null ? last - t0 : null,
      upgradeMs: openedAt !== null ? openedAt - t0 : null,
      welcomeMs: welcomeAt !== null && openedAt !== null ? welcomeAt - openedAt : null,
      welcomeBytes,
    };
  },

  /** Ends a running `load` now (it still drains and reports). */
  stop() {
    stopLoad?.();
    return { ok: true };
  },

  /** Turns automatic reconnection (backoff, hello, sync from the last seq, resend) on or off; `policy` names a BACKOFFS entry. */
  reconnect({ enabled, policy = 'bench' }) {
    if (!Object.hasOwn(BACKOFFS, policy)) throw new Error(`unknown backoff policy "${policy}"`);
    reconnecting = enabled;
    backoff = BACKOFFS[policy];
    return { ok: true };
  },

  /** Reconnect progress: how many clients are ready and caught up, and when the last one was (with `times`, when each was). */
  progress({ since, times = false }) {
    const active = clients.filter((client) => !client.lazy);
    const affected = active.filter((client) => client.disconnectedAt !== null && client.disconnectedAt >= since);
    const caughtUp = affected.filter((client) => client.caughtUpAt !== null && client.ready);
    return {
      clients: active.length,
      ready: active.filter((client) => client.ready).length,
      affected: affected.length,
      caughtUp: caughtUp.length,
      lastCaughtUpAt: caughtUp.length ? Math.max(...caughtUp.map((client) => client.caughtUpAt)) : null,
      ...(times ? { caughtUpAts: caughtUp.map((client) => client.caughtUpAt) } : {}),
      outbox: clients.reduce((sum, client) => sum + client.outbox.size, 0),
    };
  },

  /** Every conversation's highest seq this generator has seen (the harness takes the max). */
  lastSeqs() {
    const seen = {};
    for (const client of clients) {
      for (const [conversationId, have] of client.cursor) seen[conversationId] = Math.max(seen[conversationId] ?? 0, have, ...(client.ahead.get(conversationId) ?? []));
    }
    return seen;
  },

  /**
   * After the load stopped: every ready client must hold every seq up to `lastSeqs` (no gaps)
   * and have no unacknowledged send. Returns missing messages as "conversation:seq" and counts.
   */
  verify({ lastSeqs }) {
    const missing = new Set();
    let clientsWithGaps = 0;
    const active = clients.filter((client) => !client.lazy);
    for (const client of active) {
      let gap = false;
      for (const index of conversationsOf[client.userIndex]) {
        const conversationId = fixture.conversations[index].id;
        const have = client.cursor.get(conversationId) ?? 0;
        const last = lastSeqs[conversationId] ?? 0;
        for (let seq = have + 1; seq <= last; seq += 1) {
          if (!client.ahead.get(conversationId)?.has(seq)) {
            gap = true;
            if (missing.size < 10_000) missing.add(`${conversationId}:${seq}`);
          }
        }
      }
      if (gap) clientsWithGaps += 1;
    }
    const unacked = active.reduce((sum, client) => sum + client.outbox.size, 0);
    return { missing: [...missing], clientsWithGaps, unacked, notReady: active.filter((client) => !client.ready).length, counters: takeCounters() };
  },

  async close() {
    reconnecting = false;
    for (const client of clients) client.ws?.close(1000, 'bench done');
    const until = nowMs() + 3000;
    while (nowMs() < until && clients.some((client) => client.ws)) await sleep(20);
    for (const client of clients) client.ws?.terminate();
    return { ok: true };
  },

  usage() {
    return { cpu: process.cpuUsage(), rss: process.memoryUsage().rss };
  },
};

function pickConversation(user, dmShare) {
  const direct = directOf[user];
  const groups = groupsOf[user];
  const pool = groups.length === 0 || (direct.length > 0 && Math.random() < dmShare) ? direct : groups;
  return pool[Math.floor(Math.random() * pool.length)];
}

function cpuSince(start) {
  const used = process.cpuUsage(start);
  return { userMs: used.user / 1000, systemMs: used.system / 1000 };
}

function takeCounters() {
  const snapshot = JSON.parse(JSON.stringify(counters));
  Object.assign(counters, newCounters());
  return snapshot;
}

serveCommands(commands, () => {
  for (const client of clients) client.ws?.terminate();
});
