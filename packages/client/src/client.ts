import { LIMITS, type ClientFrame, type Message, type ServerFrame, type ServerFrameOf, type User } from '@switchboard/protocol';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { Connection, type ConnectionState, type InvalidFrameEvent, type StateEvent } from './connection.js';
import { Cursors } from './cursors.js';
import { Emitter, type Handler, type Unsubscribe } from './emitter.js';
import { ClientError } from './errors.js';
import { Outbox, type PendingMessage } from './outbox.js';
import { Requests, type AnswerFrame, type AnswerType } from './requests.js';
import type { WithoutRef } from './types.js';
import { defaultSocketFactory, type SocketFactory } from './socket.js';
import { SyncEngine, type SyncedEvent } from './sync.js';
import type { AckFrame, WelcomeFrame } from './types.js';

/** One event per server frame type, carrying the frame. */
export type ServerEvents = { [K in ServerFrame['type']]: ServerFrameOf<K> };

/**
 * Everything `on()` can listen to.
 *
 * - Each server frame type, with the frame. Two differ from the raw stream: `message` fires once per
 *   message, in seq order per conversation, whether it came live or from catch-up (duplicates are
 *   dropped); `error` fires only for errors that no pending call of this client was waiting for
 *   (those reject that call's promise instead).
 * - `state`: every connection state change, and every scheduled reconnect.
 * - `synced`: the catch-up after a (re)connect is over.
 * - `invalid`: a server frame failed validation and was ignored.
 * - `outbox`: the list of unacknowledged messages changed.
 */
export interface ClientEvents extends ServerEvents {
  state: StateEvent;
  synced: SyncedEvent;
  invalid: InvalidFrameEvent;
  outbox: readonly PendingMessage[];
}

export interface ClientOptions {
  /** WebSocket URL, e.g. `socketUrl(location.origin)` → `wss://host/ws`. */
  url: string;
  /** Opens a socket; defaults to the global WebSocket (browsers send the session cookie themselves). */
  createSocket?: SocketFactory;
  /** Reconnect backoff: full jitter, 250 ms base, 30 s cap by default; 2 s for 10 attempts after a server restart (1012). */
  reconnect?: Partial<BackoffOptions>;
  /** Deadline of requests (edit, read, ping, …) and of an ack before the send is tried again. Default 10 s. */
  requestTimeoutMs?: number;
  /** From opening a socket to its welcome. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** Liveness check of a quiet socket; 0 disables. Default 25 s. */
  heartbeatIntervalMs?: number;
  /**
   * Asked when a socket fails before opening: the server refuses an upgrade without a valid session
   * with HTTP 401, which a browser cannot tell from a network failure. Resolve false when the
   * session is gone to stop reconnecting (the client closes as on 4001). Typically `api.hasSession`.
   */
  checkSession?: () => Promise<boolean>;
  /** `typing(…, 'start')` is sent at most once per this many ms per conversation. Default 3 s. */
  typingThrottleMs?: number;
  /** How long a gap in the live stream may last before a sync fills it. Default 1 s. */
  gapFillDelayMs?: number;
  /** `limit` of sync frames; default: the server's choice. */
  syncPageSize?: number;
  /** Source of randomness for the backoff jitter; for tests. */
  random?: () => number;
  /** Clock, epoch ms; for tests. */
  now?: () => number;
}

export interface SendOptions {
  /**
   * Reuse a clientId, e.g. of a message persisted across a page reload: the server answers a repeat
   * with the original ack instead of storing a second message.
   */
  clientId?: string;
}

/** A client frame without its ref, for `request()`; the client adds the ref. */
export type RequestFrame = WithoutRef<Exclude<ClientFrame, { type: 'hello' | 'sync' | 'send' }>>;

export interface PingResult {
  serverTime: number;
  roundTripMs: number;
}

/**
 * The Switchboard WebSocket client: one logical connection with reconnect, an outbox of idempotent
 * sends, per-conversation cursors with ordered catch-up, and promise-returning requests.
 *
 * @example
 * const client = new SwitchboardClient({ url: socketUrl(location.origin) });
 * client.on('message', ({ message }) => store.add(message));
 * await client.connect();
 * await client.send(conversationId, 'hello');
 */
export class SwitchboardClient {
  readonly #emitter = new Emitter<ClientEvents>();
  readonly #connection: Connection;
  readonly #cursors = new Cursors();
  readonly #outbox: Outbox;
  readonly #requests: Requests;
  readonly #sync: SyncEngine;
  readonly #now: () => number;
  readonly #typingThrottleMs: number;
  readonly #typingSentAt = new Map<string, number>();
  /** Users whose presence was asked for with watchPresence (subscribed again after each welcome). */
  #watchedPresence: string[] = [];
  #refCount = 0;
  /** Set when closed for good, until the next connect(): calls fail at once instead of waiting. */
  #closedBy: ClientError | undefined;

  constructor(options: ClientOptions) {
    const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.reconnect };
    const random = options.random ?? Math.random;
    const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#typingThrottleMs = options.typingThrottleMs ?? 3_000;
    const nextRef = (): string => `r${++this.#refCount}`;
    const transmit = this.#transmit.bind(this);

    this.#connection = new Connection(
      {
        url: options.url,
        createSocket: options.createSocket ?? defaultSocketFactory,
        backoff,
        handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? 25_000,
        checkSession: options.checkSession,
        random,
      },
      {
        ready: (welcome) => this.#ready(welcome),
        frame: (frame) => this.#frame(frame),
        lost: () => this.#lost(),
        terminated: (error) => this.#terminated(error),
        state: (event) => this.#emitter.emit('state', event),
        invalid: (event) => this.#emitter.emit('invalid', event),
      },
    );
    this.#outbox = new Outbox({
      transmit,
      nextRef,
      ackTimeoutMs: requestTimeoutMs,
      backoff,
      random,
      now: this.#now,
      changed: (pending) => this.#emitter.emit('outbox', pending),
    });
    this.#requests = new Requests({ transmit, nextRef, timeoutMs: requestTimeoutMs });
    this.#sync = new SyncEngine({
      transmit,
      nextRef,
      cursors: this.#cursors,
      deliver: (messages) => this.#deliver(messages),
      synced: (event) => this.#emitter.emit('synced', event),
      pageSize: options.syncPageSize,
      gapFillDelayMs: options.gapFillDelayMs ?? 1_000,
      backoff,
      random,
    });
  }

  get state(): ConnectionState {
    return this.#connection.state;
  }

  /** The latest welcome (kept across disconnects). */
  get welcome(): WelcomeFrame | undefined {
    return this.#connection.welcome;
  }

  /** The signed-in user, from the latest welcome. */
  get user(): User | undefined {
    return this.#connection.welcome?.user;
  }

  on<K extends keyof ClientEvents>(type: K, handler: Handler<ClientEvents[K]>): Unsubscribe {
    return this.#emitter.on(type, handler);
  }

  /**
   * Connects and keeps the connection up: after a drop it reconnects with backoff, re-sends the
   * outbox and catches up. Resolves at the next welcome; rejects only if closed for good first
   * (4000 unsupported version, 4001 unauthorized, 4002 session ended, or `close()`). Called while
   * waiting to reconnect, it tries at once.
   */
  connect(): Promise<WelcomeFrame> {
    this.#closedBy = undefined;
    return this.#connection.connect();
  }

  /** Disconnects for good; pending sends and requests reject with a `closed` ClientError. */
  close(): void {
    this.#connection.close();
    // Never connected: the connection had nothing to close, but what was queued must still fail.
    if (!this.#closedBy) this.#terminated(new ClientError('closed', 'the client was closed'));
  }

  /**
   * Sends a message. Resolves with the ack once the server committed it (D1) — exactly once, however
   * many times it had to be re-sent. Queued while disconnected. Rejects with a RequestError on a
   * non-retryable refusal (forbidden, bad_request, …) or a ClientError when the client is closed.
   */
  send(conversationId: string, body: string, options: SendOptions = {}): Promise<AckFrame> {
    if (this.#closedBy) return Promise.reject(this.#closedBy);
    return this.#outbox.send(conversationId, body, options.clientId);
  }

  /** Messages sent and not yet acknowledged, oldest first. */
  pending(): PendingMessage[] {
    return this.#outbox.pending();
  }

  /**
   * Records that the caller has every message of the conversation up to `seq`, typically after
   * loading the newest history page over HTTP. Catch-up after a reconnect then starts there.
   * Messages received past a gap that this fills are emitted now.
   */
  markSeen(conversationId: string, seq: number): void {
    this.#deliver(this.#cursors.markSeen(conversationId, seq));
  }

  /** Highest seq delivered or marked seen without a gap; undefined when nothing was seen. */
  cursor(conversationId: string): number | undefined {
    return this.#cursors.cursor(conversationId);
  }

  async edit(conversationId: string, messageId: string, body: string): Promise<void> {
    await this.#request((ref) => ({ type: 'edit', ref, conversationId, messageId, body }), ['ok']);
  }

  /** Deletes a message (the `delete` frame; `delete` is a reserved word). */
  async remove(conversationId: string, messageId: string): Promise<void> {
    await this.#request((ref) => ({ type: 'delete', ref, conversationId, messageId }), ['ok']);
  }

  /**
   * Typing indicator. `start` goes out at most once per throttle interval per conversation (call it
   * on every keystroke); `stop` always goes out and lets the next `start` through at once. Typing is
   * ephemeral, so nothing is sent while disconnected. Resolves true when sent and accepted, false
   * when skipped.
   */
  async typing(conversationId: string, state: 'start' | 'stop'): Promise<boolean> {
    if (this.#closedBy) throw this.#closedBy;
    if (state === 'start') {
      const last = this.#typingSentAt.get(conversationId);
      if (last !== undefined && this.#now() - last < this.#typingThrottleMs) return false;
    } else {
      this.#typingSentAt.delete(conversationId);
    }
    if (this.state !== 'open') return false;
    const sentAt = this.#now();
    if (state === 'start') this.#typingSentAt.set(conversationId, sentAt);
    try {
      await this.#request((ref) => ({ type: 'typing', ref, conversationId, state }), ['ok']);
    } catch (error) {
      // Let the next keystroke try again rather than stay silent for the whole interval.
      if (state === 'start' && this.#typingSentAt.get(conversationId) === sentAt) this.#typingSentAt.delete(conversationId);
      throw error;
    }
    return true;
  }

  /** Read receipt: the user has read the conversation up to `seq`. */
  async markRead(conversationId: string, seq: number): Promise<void> {
    await this.#request((ref) => ({ type: 'read', ref, conversationId, seq }), ['ok']);
  }

  async setPresence(status: 'online' | 'away'): Promise<void> {
    await this.#request((ref) => ({ type: 'presence.set', ref, status }), ['ok']);
  }

  /**
   * Live presence of these users besides the contacts the server sends anyway (directory rows on
   * screen). Replaces the previous list, at most LIMITS.maxPresenceSubscriptions users; kept across
   * reconnects. Each time it takes effect a `presence.snapshot` event carries their presence.
   */
  watchPresence(userIds: readonly string[]): void {
    this.#watchedPresence = [...new Set(userIds)].slice(0, LIMITS.maxPresenceSubscriptions);
    if (this.state === 'open') this.#subscribePresence();
  }

  #subscribePresence(): void {
    this.#transmit({ type: 'presence.subscribe', userIds: this.#watchedPresence });
  }

  async ping(): Promise<PingResult> {
    const started = this.#now();
    const pong = await this.#request((ref) => ({ type: 'ping', ref }), ['pong']);
    return { serverTime: pong.serverTime, roundTripMs: this.#now() - started };
  }

  /**
   * Sends any other client frame (the agent frames: `duty.set`, `visitor.*`) with a fresh ref and
   * resolves with the answer that echoes it (`ok`, or `visitor.ack` for `visitor.send`/`note`);
   * rejects with a RequestError on an error frame, a ClientError on timeout or a lost connection.
   * Waits for the connection like the helpers. Not resent after a drop: a `visitor.send` that
   * rejected with `connection_lost` may be sent again with the same clientId.
   */
  request(frame: RequestFrame): Promise<AnswerFrame> {
    return this.#request((ref) => ({ ...frame, ref }) as ClientFrame, ['ok', 'pong', 'ack', 'visitor.ack']);
  }

  #request<T extends AnswerType>(build: (ref: string) => ClientFrame, expect: readonly T[]): Promise<Extract<AnswerFrame, { type: T }>> {
    if (this.#closedBy) return Promise.reject(this.#closedBy);
    return this.#requests.request(build, expect);
  }

  #transmit(frame: ClientFrame): boolean {
    return this.#connection.transmit(frame);
  }

  #ready(welcome: WelcomeFrame): void {
    const lastSeqs = new Map(welcome.conversations.map((conversation) => [conversation.id, conversation.lastSeq]));
    this.#cursors.retain(new Set(lastSeqs.keys()));
    for (const [conversationId, lastSeq] of lastSeqs) this.#cursors.setFloor(conversationId, lastSeq);
    // Unacknowledged sends first, in order (D5), then requests that waited; then listeners; then
    // catch-up, which may report `synced` at once when there is nothing to catch up.
    this.#outbox.opened();
    this.#requests.opened();
    if (this.#watchedPresence.length > 0) this.#subscribePresence();
    this.#emitter.emit('welcome', welcome);
    this.#sync.opened(lastSeqs);
  }

  #frame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'message': {
        const { conversationId } = frame.message;
        this.#deliver(this.#cursors.accept(frame.message));
        if (this.#cursors.hasGap(conversationId)) this.#sync.scheduleGapFill(conversationId);
        return;
      }
      case 'ack':
        if (!this.#outbox.acknowledged(frame)) this.#requests.answer(frame);
        break;
      case 'ok':
      case 'pong':
      case 'visitor.ack':
        this.#requests.answer(frame);
        break;
      case 'error':
        if (frame.ref !== undefined) {
          const ref = frame.ref;
          if (this.#outbox.failed(ref, frame.error) || this.#requests.fail(ref, frame.error) || this.#sync.failed(ref, frame.error)) return;
        } else if (frame.error.code === 'rate_limited') {
          // The server's frame limiter refuses before reading the frame, so this error names no ref.
          this.#outbox.throttle();
        }
        break;
      case 'sync.batch':
        this.#sync.batch(frame);
        break;
      case 'sync.done':
        this.#sync.done(frame);
        break;
      case 'conversation':
        this.#cursors.setFloorIfUnknown(frame.conversation.id, frame.conversation.lastSeq);
        break;
      case 'conversation.removed':
        this.#cursors.forget(frame.conversationId);
        this.#sync.forget(frame.conversationId);
        this.#typingSentAt.delete(frame.conversationId);
        break;
      default:
        break;
    }
    this.#emitter.emit(frame.type, frame);
  }

  #deliver(messages: readonly Message[]): void {
    for (const message of messages) this.#emitter.emit('message', { type: 'message', message });
  }

  #lost(): void {
    this.#outbox.lost();
    this.#requests.lost();
    this.#sync.lost();
    this.#typingSentAt.clear();
  }

  #terminated(error: ClientError): void {
    this.#closedBy = error;
    this.#outbox.terminate(error);
    this.#requests.terminate(error);
    this.#sync.lost();
  }
}
