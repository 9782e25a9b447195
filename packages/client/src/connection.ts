import { CLOSE_CODES, PROTOCOL_VERSION, ServerFrame, type ClientFrame } from '@switchboard/protocol';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { ClientError } from './errors.js';
import { messageText, type SocketFactory, type WebSocketLike } from './socket.js';
import type { Timer, WelcomeFrame } from './types.js';

/**
 * - `connecting`: a socket is being opened, is waiting for `welcome`, or a reconnect is scheduled;
 * - `open`: `welcome` received, requests flow;
 * - `closed`: not connected and not trying (before `connect()`, after `close()`, or closed for good by the server).
 */
export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface StateEvent {
  state: ConnectionState;
  /** Close code of the socket whose end caused this event (1006 when the client gave up on it). */
  code?: number;
  reason?: string;
  /** When a reconnect is scheduled: the delay before the next attempt, in ms. */
  retryInMs?: number;
}

/** A server frame that was not valid JSON text or did not match `ServerFrame`; it was ignored. */
export interface InvalidFrameEvent {
  reason: 'not_text' | 'json' | 'schema';
  message: string;
  /** The start of the raw text, for logs. */
  raw: string;
}

/** Close codes after which reconnecting cannot help: the user must sign in again or upgrade. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.unsupportedVersion,
  CLOSE_CODES.unauthorized,
  CLOSE_CODES.sessionEnded,
]);

/** Reported as the close code when the client abandons a socket that stopped answering. */
export const ABNORMAL_CLOSURE = 1006;

/** Heartbeat pings carry refs with this prefix; their pongs are consumed here. */
const HEARTBEAT_REF_PREFIX = 'hb:';
const RAW_PREVIEW_CHARS = 500;

/** What the connection tells its owner. All are called synchronously from socket callbacks or timers. */
export interface ConnectionHooks {
  /** `welcome` arrived on a fresh socket; the state is already `open` and `transmit` works. */
  ready(welcome: WelcomeFrame): void;
  /** Every valid frame other than the `welcome` that opened the socket. */
  frame(frame: ServerFrame): void;
  /** The socket went away or was abandoned: anything sent on it and not yet answered is in doubt. */
  lost(): void;
  /** Closed for good (close(), a terminal close code, no socket could be made). Follows `lost` if a socket existed. */
  terminated(error: ClientError): void;
  state(event: StateEvent): void;
  invalid(event: InvalidFrameEvent): void;
}

export interface ConnectionOptions {
  url: string;
  createSocket: SocketFactory;
  backoff: BackoffOptions;
  /** From creating the socket to `welcome`; past it the attempt counts as failed. */
  handshakeTimeoutMs: number;
  /**
   * When nothing was heard for one interval, send a ping; when still nothing by the next one, the
   * socket is considered dead and replaced. Catches half-open TCP connections that never fire
   * `close`. 0 disables.
   */
  heartbeatIntervalMs: number;
  /**
   * Asked after a socket fails before it even opened. That is how a refused upgrade (HTTP 401, an
   * expired session) looks to a browser, indistinguishable from a network failure. Resolving false
   * closes for good, as a 4001 would; a rejection (offline) is ignored and reconnecting goes on.
   */
  checkSession?: (() => Promise<boolean>) | undefined;
  random: () => number;
}

/**
 * One logical connection to `/ws` over a succession of sockets: opens, says hello, waits for
 * welcome, validates frames, and reconnects with backoff unless the server closed it for good.
 */
export class Connection {
  readonly #options: ConnectionOptions;
  readonly #hooks: ConnectionHooks;
  #state: ConnectionState = 'closed';
  #socket: WebSocketLike | undefined;
  /** The current socket fired `open`. */
  #socketOpened = false;
  /** The current socket received its welcome. */
  #welcomed = false;
  /** A session check is running. */
  #checking = false;
  /** Bumped whenever the connection is closed for good; a late session check from before is ignored. */
  #generation = 0;
  #welcome: WelcomeFrame | undefined;
  /** Failed attempts since the last welcome; drives the backoff. */
  #attempt = 0;
  /** The server closed with 1012 (restart) and no welcome came since: retry at the restart pace. */
  #restarting = false;
  #reconnectTimer: Timer | undefined;
  #handshakeTimer: Timer | undefined;
  #heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  #heardSinceTick = false;
  #awaitingPong = false;
  #heartbeatCount = 0;
  #waiters: Array<{ resolve: (welcome: WelcomeFrame) => void; reject: (error: ClientError) => void }> = [];

  constructor(options: ConnectionOptions, hooks: ConnectionHooks) {
    this.#options = options;
    this.#hooks = hooks;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The last welcome received, if any (it stays after a disconnect). */
  get welcome(): WelcomeFrame | undefined {
    return this.#welcome;
  }

  /**
   * Starts connecting (or skips the wait of a scheduled reconnect). Resolves at the next welcome —
   * at once if already open — and keeps retrying through network failures; rejects only when the
   * connection is closed for good first.
   */
  connect(): Promise<WelcomeFrame> {
    if (this.#state === 'open' && this.#welcome) return Promise.resolve(this.#welcome);
    const promise = new Promise<WelcomeFrame>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#socket) this.#open();
    return promise;
  }

  /** Closes for good: no reconnect; owners reject what is pending. Idempotent. */
  close(): void {
    const socket = this.#socket;
    if (!socket && this.#state === 'closed') return;
    this.#socket = undefined;
    this.#welcomed = false;
    this.#clearTimers();
    if (socket) {
      detach(socket);
      safeClose(socket, 1000, 'client closed');
      this.#hooks.lost();
    }
    this.#terminate(new ClientError('closed', 'the client was closed'), 1000, 'client closed');
  }

  /** Sends a frame on the open socket. False when not open: the caller keeps it for later. */
  transmit(frame: ClientFrame): boolean {
    if (!this.#socket || !this.#welcomed) return false;
    return this.#write(this.#socket, frame);
  }

  #write(socket: WebSocketLike, frame: ClientFrame): boolean {
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      // Closing or closed under us; the close event that follows resets everything.
      return false;
    }
  }

  #open(): void {
    this.#clearTimers();
    let socket: WebSocketLike;
    try {
      socket = this.#options.createSocket(this.#options.url);
    } catch (error) {
      // A factory that throws (no WebSocket here, malformed URL) will throw again: do not loop.
      const message = error instanceof Error ? error.message : String(error);
      this.#terminate(new ClientError('closed', `cannot open a socket: ${message}`));
      return;
    }
    this.#socket = socket;
    this.#socketOpened = false;
    this.#welcomed = false;
    if (this.#state !== 'connecting') {
      this.#state = 'connecting';
      this.#hooks.state({ state: 'connecting' });
    }
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      this.#socketOpened = true;
      this.#write(socket, { type: 'hello', protocol: PROTOCOL_VERSION });
    };
    socket.onmessage = (event) => {
      if (this.#socket === socket) this.#receive(event.data);
    };
    socket.onclose = (event) => {
      if (this.#socket === socket) this.#dropped(event.code, event.reason);
    };
    socket.onerror = () => {
      // Always followed by a close event, which carries the code we act on.
    };
    this.#handshakeTimer = setTimeout(() => this.#abandon('handshake timed out'), this.#options.handshakeTimeoutMs);
  }

  #receive(data: unknown): void {
    this.#heardSinceTick = true;
    this.#awaitingPong = false;
    const text = messageText(data);
    if (text === undefined) {
      this.#hooks.invalid({ reason: 'not_text', message: 'binary or unreadable frame', raw: '' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      this.#hooks.invalid({ reason: 'json', message: error instanceof Error ? error.message : 'invalid JSON', raw: text.slice(0, RAW_PREVIEW_CHARS) });
      return;
    }
    const parsed = ServerFrame.safeParse(json);
    if (!parsed.success) {
      const message = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(frame)'}: ${issue.message}`).join('; ');
      this.#hooks.invalid({ reason: 'schema', message, raw: text.slice(0, RAW_PREVIEW_CHARS) });
      return;
    }
    const frame = parsed.data;
    if (frame.type === 'welcome' && !this.#welcomed) {
      this.#opened(frame);
      return;
    }
    if (frame.type === 'pong' && frame.ref?.startsWith(HEARTBEAT_REF_PREFIX)) return;
    this.#hooks.frame(frame);
  }

  #opened(welcome: WelcomeFrame): void {
    clearTimeout(this.#handshakeTimer);
    this.#handshakeTimer = undefined;
    this.#welcomed = true;
    this.#welcome = welcome;
    this.#attempt = 0;
    this.#restarting = false;
    this.#state = 'open';
    this.#startHeartbeat();
    this.#hooks.state({ state: 'open' });
    this.#hooks.ready(welcome);
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(welcome);
  }

  #dropped(code: number, reason: string): void {
    const neverOpened = !this.#socketOpened;
    this.#socket = undefined;
    this.#welcomed = false;
    this.#clearTimers();
    this.#hooks.lost();
    if (TERMINAL_CLOSE_CODES.has(code)) {
      this.#terminate(new ClientError('closed', reason || `closed by the server (${code})`, code), code, reason);
      return;
    }
    if (code === CLOSE_CODES.restart) this.#restarting = true;
    const delay = backoffDelay(this.#attempt, this.#options.backoff, this.#options.random, this.#restarting);
    this.#attempt += 1;
    this.#state = 'connecting';
    this.#hooks.state({ state: 'connecting', code, reason, retryInMs: delay });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#open();
    }, delay);
    if (neverOpened) this.#checkSession();
  }

  /** Runs `checkSession` (one at a time) and closes for good if the session is gone. */
  #checkSession(): void {
    const check = this.#options.checkSession;
    if (!check || this.#checking) return;
    this.#checking = true;
    const generation = this.#generation;
    const settle = (valid: boolean): void => {
      this.#checking = false;
      if (valid || generation !== this.#generation || this.#state !== 'connecting') return;
      const socket = this.#socket;
      this.#socket = undefined;
      if (socket) {
        detach(socket);
        safeClose(socket, 1000, 'session ended');
        this.#hooks.lost();
      }
      const code = CLOSE_CODES.unauthorized;
      this.#terminate(new ClientError('closed', 'the session is no longer valid; sign in again', code), code, 'unauthorized');
    };
    // Through a promise, so a check that throws synchronously counts as failed (offline), not valid.
    Promise.resolve()
      .then(check)
      .then(settle, () => settle(true));
  }

  /** Gives up on a socket that stopped answering, without waiting for a close event that may never come. */
  #abandon(reason: string): void {
    const socket = this.#socket;
    if (!socket) return;
    detach(socket);
    safeClose(socket, 1000, reason);
    this.#dropped(ABNORMAL_CLOSURE, reason);
  }

  #terminate(error: ClientError, code?: number, reason?: string): void {
    this.#generation += 1;
    this.#clearTimers();
    this.#state = 'closed';
    this.#hooks.terminated(error);
    const event: StateEvent = { state: 'closed' };
    if (code !== undefined) event.code = code;
    event.reason = reason ?? error.message;
    this.#hooks.state(event);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }

  #startHeartbeat(): void {
    const interval = this.#options.heartbeatIntervalMs;
    if (interval <= 0) return;
    this.#heardSinceTick = false;
    this.#awaitingPong = false;
    this.#heartbeatTimer = setInterval(() => {
      const socket = this.#socket;
      if (!socket) return;
      if (!this.#heardSinceTick) {
        if (this.#awaitingPong) {
          this.#abandon('heartbeat timed out');
          return;
        }
        this.#heartbeatCount += 1;
        this.#awaitingPong = this.#write(socket, { type: 'ping', ref: `${HEARTBEAT_REF_PREFIX}${this.#heartbeatCount}` });
      }
      this.#heardSinceTick = false;
    }, interval);
  }

  #clearTimers(): void {
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#handshakeTimer);
    clearInterval(this.#heartbeatTimer);
    this.#reconnectTimer = undefined;
    this.#handshakeTimer = undefined;
    this.#heartbeatTimer = undefined;
  }
}

/**
 * Silences a socket we no longer want. No-op handlers rather than null: `ws` emits an `error` when
 * a connecting socket is closed, and an EventEmitter `error` with no listener would throw.
 */
function detach(socket: WebSocketLike): void {
  socket.onopen = () => {};
  socket.onmessage = () => {};
  socket.onclose = () => {};
  socket.onerror = () => {};
}

function safeClose(socket: WebSocketLike, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closed or never opened; nothing to do.
  }
}
