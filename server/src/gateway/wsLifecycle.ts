import type { Duplex } from 'node:stream';
import { CLOSE_CODES } from '@switchboard/protocol';
import type { WebSocketServer } from 'ws';

/** How long a socket gets to finish its closing handshake at shutdown before it is cut. */
const CLOSE_GRACE_MS = 2000;

/** Closes every socket with 1012 "service restart" (clients reconnect with backoff), then the server. */
export async function closeAllSockets(wss: WebSocketServer): Promise<void> {
  const closing = [...wss.clients].map(
    (ws) =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(CLOSE_CODES.restart, 'server restarting');
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, CLOSE_GRACE_MS).unref();
      }),
  );
  await Promise.all(closing);
  wss.close();
}

/** Answers a refused upgrade with a bare HTTP status and closes the connection. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
