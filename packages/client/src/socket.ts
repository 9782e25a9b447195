/**
 * The few members of a WebSocket the client uses. The browser's `WebSocket` and the `ws` package's
 * `WebSocket` both fit, as does an in-memory fake in tests.
 */

/**
 * A callback property checked bivariantly (the method-signature trick), so that a socket whose
 * handlers take a richer event (the DOM's `MessageEvent`, ws's `MessageEvent`) still fits.
 */
type EventHandler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

export interface SocketMessageEvent {
  data: unknown;
}

export interface SocketCloseEvent {
  code: number;
  reason: string;
}

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: EventHandler<unknown> | null;
  onmessage: EventHandler<SocketMessageEvent> | null;
  onclose: EventHandler<SocketCloseEvent> | null;
  onerror: EventHandler<unknown> | null;
}

/**
 * Opens a socket to `url`. In Node, pass one that adds the bearer token, e.g. with `ws`:
 * `(url) => new WebSocket(url, { headers: { authorization: \`Bearer ${token}\` } })`.
 */
export type SocketFactory = (url: string) => WebSocketLike;

/** `readyState` values shared by every WebSocket implementation. */
export const READY_STATE = { connecting: 0, open: 1, closing: 2, closed: 3 } as const;

/** Uses the platform's `WebSocket` (browsers, Node ≥ 22); the browser sends the session cookie itself. */
export const defaultSocketFactory: SocketFactory = (url) => {
  const Constructor = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (!Constructor) throw new Error('No global WebSocket here: pass createSocket (e.g. with the ws package)');
  return new Constructor(url);
};

/** The WebSocket URL for a server origin: `https://host` becomes `wss://host/ws`. */
export function socketUrl(origin: string): string {
  const url = new URL('/ws', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : url.protocol === 'http:' ? 'ws:' : url.protocol;
  return url.toString();
}

const decoder = new TextDecoder();

/** The text of a message event, or undefined when it is not text we can read (the protocol is JSON text). */
export function messageText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return decoder.decode(data);
  if (ArrayBuffer.isView(data)) return decoder.decode(data);
  return undefined;
}
