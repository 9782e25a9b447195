import { PROTOCOL_VERSION, newClientId, type Message, type ServerFrame } from '@switchboard/protocol';
import WebSocket from 'ws';

/*
 * A protocol client that behaves like a real one under faults: every send carries a client id
 * and stays in an outbox until its ack; after a reconnect (jittered exponential backoff) it says
 * hello, asks `sync` from the last sequence it holds per conversation and resends everything not
 * acked, with the same client ids. It dedupes by sequence and keeps, per conversation, which
 * sequences it has and which message id each carried, so a test can check what it was given.
 *
 * It also watches the server's promises as it goes and writes down every breach as an anomaly:
 * two different acks for one client id, one sequence with two different message ids, live
 * messages out of order on one connection, or a gap in the live stream after catch-up finished.
 */

export interface LoadClientOptions {
  name: string;
  url: string;
  token: string;
  userId: string;
  /** A loopback source address (127.x.y.z) so thousands of clients are not one address to the rate limits. */
  localAddress?: string;
  /**
   * Users whose presence this client keeps (an observer): subscribed after every welcome, besides
   * the contacts the server sends anyway. Other clients skip presence frames unparsed.
   */
  watchPresence?: readonly string[];
  /** Most sends awaiting their ack at once. */
  window?: number;
  /** Frames per second this client allows itself (the server allows 100/s after a burst of 200). */
  framesPerSecond?: number;
  /** A send not answered within this time is sent again (same client id). */
  ackTimeoutMs?: number;
  /** Reconnect delay: uniformly random up to min(capMs, baseMs * 2^attempt) ("full jitter"). */
  backoff?: { baseMs: number; capMs: number };
  /** Application-level ping every pingMs; no pong within pingTimeoutMs drops the socket. 0 = off. */
  pingMs?: number;
  pingTimeoutMs?: number;
  /**
   * Count, rather than flag, a live message that arrives after newer ones and the gap before it:
   * after a double fault the server may deliver one late, and clients hold overtaking messages
   * until the gap fills (protocol D3). A message delivered twice is still flagged.
   */
  tolerateLate?: boolean;
  random?: () => number;
}

export interface OutboxEntry {
  order: number;
  clientId: string;
  conversationId: string;
  body: string;
  state: 'queued' | 'inflight' | 'acked' | 'failed';
  sentAt: number;
  attempts: number;
  ack?: { messageId: string; seq: number; at: number };
}

interface ConversationView {
  /** seq → message id, for every sequence this client holds. */
  received: Map<number, string>;
  /** Every seq up to here is held. */
  contiguous: number;
  /** Highest seq seen live on the current connection (live frames must rise). */
  lastLive: number;
  /** The highest lastSeq any welcome reported. */
  serverLastSeq: number;
  /** The contiguous mark at which a live gap was last reported (one report per gap). */
  gapReportedAt: number;
}

export interface ClientReport {
  name: string;
  userId: string;
  connects: number;
  welcomes: number;
  acked: number;
  pending: number;
  failed: number;
  resends: number;
  ackTimeouts: number;
  duplicateDeliveries: number;
  errors: Record<string, number>;
  anomalies: string[];
  /** conversationId → sorted seqs held. */
  received: Record<string, number[]>;
  contiguous: Record<string, number>;
  ready: boolean;
  synced: boolean;
}

let orderCounter = 0;

export class LoadClient {
  readonly entries = new Map<string, OutboxEntry>();
  readonly conversations = new Map<string, ConversationView>();
  readonly presence = new Map<string, string>();
  readonly anomalies: string[] = [];
  readonly errors: Record<string, number> = {};
  /** Times (ms) at which an ack arrived, with its client id. */
  readonly ackLog: { at: number; clientId: string }[] = [];
  connects = 0;
  welcomes = 0;
  resends = 0;
  ackTimeouts = 0;
  duplicateDeliveries = 0;
  /** Live messages that came after newer ones, and live gaps (only counted with tolerateLate). */
  lateDeliveries = 0;
  liveGaps = 0;
  ready = false;
  /** Catch-up on the current connection has finished. */
  synced = false;
  private ws: WebSocket | undefined;
  private queue: OutboxEntry[] = [];
  private inflight = 0;
  private stopped = false;
  private attempt = 0;
  private tokens: number;
  private lastRefill = Date.now();
  private pumpTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private ackTimer: NodeJS.Timeout | undefined;
  private lastPong = Date.now();
  private outstandingSyncs = 0;
  private holdUntil = 0;
  private readonly opts: Required<Omit<LoadClientOptions, 'localAddress'>> & { localAddress: string | undefined };

  constructor(options: LoadClientOptions) {
    this.opts = {
      watchPresence: [],
      window: 32,
      framesPerSecond: 80,
      ackTimeoutMs: 8000,
      backoff: { baseMs: 100, capMs: 2000 },
      pingMs: 0,
      pingTimeoutMs: 0,
      tolerateLate: false,
      random: Math.random,
      localAddress: undefined,
      ...options,
    };
    this.tokens = this.opts.framesPerSecond;
  }

  get name(): string {
    return this.opts.name;
  }

  get userId(): string {
    return this.opts.userId;
  }

  /** Connects now; afterwards the client keeps itself connected until stop(). */
  start(delayMs = 0): void {
    this.stopped = false;
    this.scheduleConnect(delayMs);
    this.ackTimer = setInterval(() => this.checkAckTimeouts(), 500);
    this.ackTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.pumpTimer);
    clearInterval(this.pingTimer);
    clearInterval(this.ackTimer);
    this.ws?.terminate();
    this.ws = undefined;
    this.ready = false;
  }

  /** Queues a message; it is sent when connected and resent until acked. */
  send(conversationId: string, body: string): OutboxEntry {
    orderCounter += 1;
    const entry: OutboxEntry = { order: orderCounter, clientId: newClientId(), conversationId, body, state: 'queued', sentAt: 0, attempts: 0 };
    this.entries.set(entry.clientId, entry);
    this.queue.push(entry);
    this.pump();
    return entry;
  }

  /** Entries not yet acked (queued or in flight). */
  get pending(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.state === 'queued' || entry.state === 'inflight') count += 1;
    return count;
  }

  get acked(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.state === 'acked') count += 1;
    return count;
  }

  /** Highest contiguous sequence held for a conversation. */
  contiguous(conversationId: string): number {
    return this.conversations.get(conversationId)?.contiguous ?? 0;
  }

  /** Closes the socket abruptly (as a network drop would); the client reconnects by itself. */
  drop(): void {
    this.ws?.terminate();
  }

  /** Asks for catch-up again on the live connection (e.g. after the test knows more was stored). */
  resync(): void {
    if (this.ready) this.requestSync([...this.conversations.keys()]);
  }

  report(): ClientReport {
    const received: Record<string, number[]> = {};
    const contiguous: Record<string, number> = {};
    for (const [id, view] of this.conversations) {
      received[id] = [...view.received.keys()].sort((a, b) => a - b);
      contiguous[id] = view.contiguous;
    }
    let failed = 0;
    for (const entry of this.entries.values()) if (entry.state === 'failed') failed += 1;
    return {
      name: this.name,
      userId: this.userId,
      connects: this.connects,
      welcomes: this.welcomes,
      acked: this.acked,
      pending: this.pending,
      failed,
      resends: this.resends,
      ackTimeouts: this.ackTimeouts,
      duplicateDeliveries: this.duplicateDeliveries,
      errors: { ...this.errors },
      anomalies: [...this.anomalies],
      received,
      contiguous,
      ready: this.ready,
      synced: this.synced,
    };
  }

  private scheduleConnect(delayMs: number): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
  }

  private connect(): void {
    if (this.stopped) return;
    this.connects += 1;
    const ws = new WebSocket(this.opts.url, {
      headers: { authorization: `Bearer ${this.opts.token}` },
      perMessageDeflate: false,
      handshakeTimeout: 10_000,
      ...(this.opts.localAddress ? { localAddress: this.opts.localAddress } : {}),
    });
    this.ws = ws;
    ws.on('open', () => {
      this.lastPong = Date.now();
      this.frame({ type: 'hello', ref: `hello-${this.connects}`, protocol: PROTOCOL_VERSION }, true);
      if (this.opts.pingMs > 0) {
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.ping(ws), this.opts.pingMs);
      }
    });
    ws.on('message', (data) => this.receive(data.toString()));
    ws.on('error', () => {
      // A close always follows; the reconnect is scheduled there.
    });
    ws.on('close', () => this.closed(ws));
  }

  private ping(ws: WebSocket): void {
    if (this.ws !== ws) return;
    if (Date.now() - this.lastPong > this.opts.pingTimeoutMs) {
      ws.terminate();
      return;
    }
    this.frame({ type: 'ping', ref: `ping-${Date.now()}` }, true);
  }

  private closed(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.ws = undefined;
    this.ready = false;
    this.synced = false;
    this.outstandingSyncs = 0;
    clearInterval(this.pingTimer);
    // Whatever was in flight may or may not have been stored: resend all of it, same client ids.
    const back: OutboxEntry[] = [];
    for (const entry of this.entries.values()) {
      if (entry.state === 'inflight') {
        entry.state = 'queued';
        back.push(entry);
      }
    }
    this.inflight = 0;
    this.requeue(back);
    for (const view of this.conversations.values()) view.lastLive = 0;
    if (this.stopped) return;
    const ceiling = Math.min(this.opts.backoff.capMs, this.opts.backoff.baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 16);
    this.scheduleConnect(Math.floor(this.opts.random() * ceiling));
  }

  private receive(data: string): void {
    if (this.opts.watchPresence.length === 0 && data.startsWith('{"type":"presence"')) return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      this.anomalies.push(`${this.name}: unparsable frame ${data.slice(0, 80)}`);
      return;
    }
    switch (frame.type) {
      case 'welcome':
        this.welcomed(frame);
        break;
      case 'ack':
        this.acknowledged(frame.clientId, frame.conversationId, frame.messageId, frame.seq);
        break;
      case 'message':
        this.apply(frame.message, 'live');
        break;
      case 'sync.batch':
        for (const message of frame.messages) this.apply(message, 'sync');
        if (frame.hasMore) {
          const last = frame.messages.at(-1)?.seq ?? this.contiguous(frame.conversationId);
          this.outstandingSyncs += 1;
          this.frame({ type: 'sync', ref: 'sync-more', cursors: [{ conversationId: frame.conversationId, afterSeq: last }] }, true);
        }
        break;
      case 'sync.done':
        this.outstandingSyncs -= 1;
        if (this.outstandingSyncs <= 0 && this.ready) {
          this.outstandingSyncs = 0;
          this.synced = true;
        }
        break;
      case 'pong':
        this.lastPong = Date.now();
        break;
      case 'presence':
        this.presence.set(frame.presence.userId, frame.presence.status);
        break;
      case 'presence.snapshot':
        for (const presence of frame.presence) this.presence.set(presence.userId, presence.status);
        break;
      case 'error':
        this.failed(frame.ref, frame.error.code, frame.error.retryable);
        break;
      case 'conversation':
        this.view(frame.conversation.id).serverLastSeq = Math.max(this.view(frame.conversation.id).serverLastSeq, frame.conversation.lastSeq);
        break;
      default:
        break;
    }
  }

  private welcomed(frame: Extract<ServerFrame, { type: 'welcome' }>): void {
    this.ready = true;
    this.welcomes += 1;
    this.attempt = 0;
    this.lastPong = Date.now();
    for (const conversation of frame.conversations) {
      const view = this.view(conversation.id);
      view.serverLastSeq = Math.max(view.serverLastSeq, conversation.lastSeq);
    }
    if (this.opts.watchPresence.length > 0) {
      for (const presence of frame.presence) this.presence.set(presence.userId, presence.status);
      this.frame({ type: 'presence.subscribe', ref: 'watch', userIds: [...this.opts.watchPresence] }, true);
    }
    // The live subscription is active from hello on; catch up from what we hold.
    this.requestSync(frame.conversations.map((conversation) => conversation.id));
    this.pump();
  }

  private requestSync(conversationIds: string[]): void {
    if (conversationIds.length === 0) {
      this.synced = true;
      return;
    }
    for (let i = 0; i < conversationIds.length; i += 1000) {
      this.outstandingSyncs += 1;
      const cursors = conversationIds.slice(i, i + 1000).map((conversationId) => ({ conversationId, afterSeq: this.contiguous(conversationId) }));
      this.frame({ type: 'sync', ref: 'sync', cursors }, true);
    }
  }

  private view(conversationId: string): ConversationView {
    let view = this.conversations.get(conversationId);
    if (!view) {
      view = { received: new Map(), contiguous: 0, lastLive: 0, serverLastSeq: 0, gapReportedAt: -1 };
      this.conversations.set(conversationId, view);
    }
    return view;
  }

  private apply(message: Message, source: 'live' | 'sync'): void {
    const view = this.view(message.conversationId);
    if (source === 'live') {
      if (message.seq <= view.lastLive) {
        const again = view.received.has(message.seq);
        if (!again && this.opts.tolerateLate) this.lateDeliveries += 1;
        else this.anomalies.push(`${this.name}: live seq ${message.seq} after ${view.lastLive} (${again ? 'again' : 'late'}, synced ${this.synced}, holding ${view.contiguous}) in ${message.conversationId}`);
      } else if (this.synced && message.seq > view.contiguous + 1 && view.gapReportedAt !== view.contiguous) {
        view.gapReportedAt = view.contiguous;
        if (this.opts.tolerateLate) this.liveGaps += 1;
        else this.anomalies.push(`${this.name}: live gap, got seq ${message.seq} holding ${view.contiguous} in ${message.conversationId} after catch-up`);
      }
      view.lastLive = Math.max(view.lastLive, message.seq);
    }
    const known = view.received.get(message.seq);
    if (known !== undefined) {
      this.duplicateDeliveries += 1;
      if (known !== message.id) this.anomalies.push(`${this.name}: seq ${message.seq} in ${message.conversationId} was ${known}, now ${message.id}`);
      return;
    }
    view.received.set(message.seq, message.id);
    while (view.received.has(view.contiguous + 1)) view.contiguous += 1;
  }

  private acknowledged(clientId: string, conversationId: string, messageId: string, seq: number): void {
    const entry = this.entries.get(clientId);
    if (!entry) {
      this.anomalies.push(`${this.name}: ack for unknown client id ${clientId}`);
      return;
    }
    if (entry.conversationId !== conversationId) this.anomalies.push(`${this.name}: ack for ${clientId} names conversation ${conversationId}`);
    if (entry.ack) {
      if (entry.ack.messageId !== messageId || entry.ack.seq !== seq) {
        this.anomalies.push(`${this.name}: ${clientId} acked as ${entry.ack.messageId}/${entry.ack.seq}, then as ${messageId}/${seq}`);
      }
      return;
    }
    if (entry.state === 'inflight') this.inflight -= 1;
    entry.state = 'acked';
    entry.ack = { messageId, seq, at: Date.now() };
    this.ackLog.push({ at: entry.ack.at, clientId });
    this.pump();
  }

  private failed(ref: string | undefined, code: string, retryable: boolean): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
    if (ref?.startsWith('hello')) {
      // No welcome on this socket (e.g. the database went away mid-hello): start over.
      this.ws?.terminate();
      return;
    }
    if (ref?.startsWith('sync')) {
      this.outstandingSyncs -= 1;
      setTimeout(() => this.resync(), 200 + Math.floor(this.opts.random() * 300)).unref();
      return;
    }
    const entry = ref ? this.entries.get(ref) : undefined;
    if (!entry || entry.state !== 'inflight') return;
    this.inflight -= 1;
    if (!retryable) {
      entry.state = 'failed';
      this.anomalies.push(`${this.name}: send ${entry.clientId} failed for good: ${code}`);
      return;
    }
    entry.state = 'queued';
    this.requeue([entry]);
    this.holdUntil = Math.max(this.holdUntil, Date.now() + 100 + Math.floor(this.opts.random() * 200));
    this.pump();
  }

  private requeue(entries: OutboxEntry[]): void {
    if (entries.length === 0) return;
    this.queue.push(...entries);
    this.queue.sort((a, b) => a.order - b.order);
  }

  private checkAckTimeouts(): void {
    if (!this.ready) return;
    const now = Date.now();
    const late: OutboxEntry[] = [];
    for (const entry of this.entries.values()) {
      if (entry.state === 'inflight' && now - entry.sentAt > this.opts.ackTimeoutMs) {
        entry.state = 'queued';
        late.push(entry);
      }
    }
    if (late.length === 0) return;
    this.ackTimeouts += late.length;
    this.inflight -= late.length;
    this.requeue(late);
    this.pump();
  }

  /** Sends queued entries while connected, within the window and the frame budget. */
  private pump(): void {
    if (!this.ready || this.stopped) return;
    const now = Date.now();
    if (now < this.holdUntil) return this.pumpLater(this.holdUntil - now);
    while (this.queue.length > 0 && this.inflight < this.opts.window) {
      const entry = this.queue[0];
      if (!entry) break;
      if (entry.state !== 'queued') {
        this.queue.shift();
        continue;
      }
      if (!this.take()) return this.pumpLater(Math.ceil(1000 / this.opts.framesPerSecond));
      this.queue.shift();
      entry.state = 'inflight';
      entry.sentAt = Date.now();
      entry.attempts += 1;
      if (entry.attempts > 1) this.resends += 1;
      this.inflight += 1;
      this.ws?.send(JSON.stringify({ type: 'send', ref: entry.clientId, conversationId: entry.conversationId, clientId: entry.clientId, body: entry.body }));
    }
  }

  private pumpLater(ms: number): void {
    if (this.pumpTimer) return;
    this.pumpTimer = setTimeout(() => {
      this.pumpTimer = undefined;
      this.pump();
    }, ms);
  }

  /** Control frames go out regardless of the budget (force) but still spend from it. */
  private frame(frame: Record<string, unknown>, force: boolean): void {
    if (!this.take() && !force) return;
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.opts.framesPerSecond, this.tokens + ((now - this.lastRefill) / 1000) * this.opts.framesPerSecond);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
