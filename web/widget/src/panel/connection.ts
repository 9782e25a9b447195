import { CLOSE, type ClientFrameOf, type VisitorClientFrame, type VisitorServerFrame } from '../shared/protocol.js';
import { backoffDelay } from './backoff.js';
import { parseServerFrame } from './frames.js';

export type ConnectionState =
  /** First connect in progress. */
  | 'connecting'
  /** v.welcome received: frames may be sent. */
  | 'ready'
  /** Lost; a reconnect is scheduled or in progress. */
  | 'reconnecting'
  /** Given up for good (unsupported version, site not allowed). */
  | 'failed';

export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export interface ConnectionOptions {
  url: string;
  /** Built at each (re)connect, so it carries the latest token and page. */
  hello: () => ClientFrameOf<'v.hello'>;
  onFrame: (frame: VisitorServerFrame) => void;
  onState: (state: ConnectionState) => void;
  /** A reconnect was scheduled after `attempt` failures in a row. */
  onRetry?: (attempt: number) => void;
  /** The server refused the token (close 4001): forget it before reconnecting. */
  onUnauthorized?: () => void;
  /** Replace for tests. */
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
}

const OPEN = 1;
export const HELLO_REF = 'hello';

/**
 * The visitor's WebSocket: hello on every open, reconnect with exponential backoff and full
 * jitter, a ping to notice dead connections. Frames are only sent once v.welcome arrived; the
 * controller resends what is pending after each welcome.
 */
export class VisitorConnection {
  state: ConnectionState = 'connecting';
  /** Bumped on each welcome, so callers can tell whether something was sent on this socket. */
  generation = 0;
  private socket: SocketLike | null = null;
  /** Failed attempts in a row (0 once welcomed). */
  attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly createSocket: (url: string) => SocketLike;

  constructor(private readonly options: ConnectionOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
  }

  connect(): void {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.options.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.rawSend({ ...this.options.hello(), ref: HELLO_REF });
      this.startPing();
    };
    socket.onmessage = (event) => {
      this.heardFromServer();
      const frame = parseServerFrame(event.data);
      if (!frame) return;
      if (frame.type === 'v.welcome') {
        this.attempt = 0;
        this.generation += 1;
        this.setState('ready');
      }
      // Fatal for this page: another protocol version, a page the site does not allow, an unknown site.
      if (frame.type === 'v.error' && (frame.error.code === 'unsupported_version' || frame.error.code === 'origin_forbidden' || (frame.ref === HELLO_REF && frame.error.code === 'not_found'))) {
        this.stop('failed');
      }
      this.options.onFrame(frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPing();
      if (this.stopped) return;
      if (event.code === CLOSE.unsupportedVersion) {
        this.stop('failed');
        return;
      }
      if (event.code === CLOSE.unauthorized) this.options.onUnauthorized?.();
      this.scheduleRetry();
    };
    socket.onerror = () => {
      /* onclose follows */
    };
  }

  /** Sends a frame if the socket is welcomed; false means "not now" (it will be resent after the next welcome). */
  send(frame: VisitorClientFrame): boolean {
    if (this.state !== 'ready') return false;
    return this.rawSend(frame);
  }

  private rawSend(frame: VisitorClientFrame): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  /** Reconnect now if waiting (the browser came back online, the tab became visible). */
  nudge(): void {
    if (this.stopped || this.socket || this.retryTimer === undefined) return;
    this.connect();
  }

  /** Drop the current socket and connect again (e.g. the token was refused). */
  restart(): void {
    const socket = this.socket;
    this.socket = null;
    this.stopPing();
    socket?.close(1000);
    if (!this.stopped) this.scheduleRetry();
  }

  /** Closes for good. */
  stop(state: ConnectionState = 'failed'): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stopPing();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.setState(state);
  }

  private scheduleRetry(): void {
    // Until the first welcome ever, we are still "connecting"; after that, "reconnecting".
    this.setState(this.generation === 0 ? 'connecting' : 'reconnecting');
    const delay = backoffDelay(this.attempt, this.options.random);
    this.attempt += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
    this.options.onRetry?.(this.attempt);
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState(state);
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      this.rawSend({ type: 'v.ping' });
      if (this.pongTimer === undefined) {
        // No frame at all before the timeout: the connection is dead even if the socket does not know yet.
        this.pongTimer = setTimeout(() => this.restart(), this.options.pongTimeoutMs ?? 10_000);
      }
    }, this.options.pingIntervalMs ?? 25_000);
  }

  private heardFromServer(): void {
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  private stopPing(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = undefined;
    this.pongTimer = undefined;
  }
}
