/**
 * The little of a WebSocket the gateway needs. The `ws` socket satisfies it; tests can pass a
 * fake. Domain code never sees sockets at all.
 */
export interface SocketLike {
  send(data: string): void;
  close(code: number, reason: string): void;
  readonly bufferedAmount: number;
}

/** A socket whose peer reads slower than this much queued output is dropped; it catches up on reconnect. */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
