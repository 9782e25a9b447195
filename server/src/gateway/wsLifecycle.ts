import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_CODES, LIMITS } from '@switchboard/protocol';
import { WebSocket, WebSocketServer, type RawData, type Server as WsServer } from 'ws';
import { MAX_BUFFERED_BYTES } from './ws/socket.js';

/** How long a socket gets to finish its closing handshake at shutdown before it is cut. */
const CLOSE_GRACE_MS = 1000;

/**
 * A `ws` socket of one of our edges, with its heartbeat flag in a field (not a WeakMap entry). An
 * edge subclasses it to carry its connection, so that one set of listener functions, shared by
 * every socket, can find it as `this`: a closure per socket and event costs memory per idle socket.
 */
export class EdgeSocket extends WebSocket {
  /** Answered the last heartbeat ping (or is new). */
  alive = true;

  /**
   * Pings and pongs are handled here as ws reports them, not by listeners: a socket with more than
   * three listeners grows its listener table by ~100 bytes.
   */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'pong') {
      this.alive = true;
      return true;
    }
    if (event === 'ping') {
      this.answerPing(args[0] as Buffer);
      return true;
    }
    return super.emit(event, ...args);
  }

  /** What ws's automatic pong does (it keeps a closure per socket), bounded like any other output: a peer that pings but never reads is cut. */
  private answerPing(data: Buffer): void {
    if (this.readyState !== WebSocket.OPEN) return;
    if (this.bufferedAmount > MAX_BUFFERED_BYTES) this.terminate();
    else this.pong(data);
  }
}

export interface EdgeEvents<S extends EdgeSocket> {
  message(socket: S, data: RawData, isBinary: boolean): void;
  close(socket: S, code: number): void;
  error(socket: S, error: Error): void;
}

/**
 * The sockets of one WebSocket edge (/ws, /visitor): the upgrades it completes, the open sockets,
 * one heartbeat timer for all of them (a socket that missed a ping is cut), and the stop, which
 * refuses upgrades before it closes the sockets, so a client told to reconnect cannot land on
 * this node again and hold its stop.
 */
export class SocketEdge<T extends typeof EdgeSocket> {
  private readonly wss: WsServer<T>;
  private readonly open = new Set<InstanceType<T>>();
  private readonly heartbeat: NodeJS.Timeout;
  /** Adds the edge's listeners to a new socket: the same functions for every socket. */
  private readonly listen: (socket: WebSocket) => void;
  private stopping = false;

  constructor(socketClass: T, heartbeatMs: number, events: EdgeEvents<InstanceType<T>>) {
    // ws's own client tracking and automatic pongs would each keep a closure per socket.
    this.wss = new WebSocketServer<T>({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false, clientTracking: false, autoPong: false, WebSocket: socketClass });
    const open = this.open;
    function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
      events.message(this as InstanceType<T>, data, isBinary);
    }
    function onClose(this: WebSocket, code: number): void {
      open.delete(this as InstanceType<T>);
      events.close(this as InstanceType<T>, code);
    }
    function onError(this: WebSocket, error: Error): void {
      events.error(this as InstanceType<T>, error);
    }
    this.listen = (socket) => {
      socket.on('message', onMessage);
      socket.on('close', onClose);
      socket.on('error', onError);
    };
    this.heartbeat = setInterval(() => {
      for (const socket of open) {
        if (!socket.alive) {
          socket.terminate();
          continue;
        }
        socket.alive = false;
        socket.ping();
      }
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  /** False once stop() began: the node is going away. */
  get accepting(): boolean {
    return !this.stopping;
  }

  get size(): number {
    return this.open.size;
  }

  /** Completes an upgrade that passed the edge's checks (503 once stopping); `accepted` gets the socket before any frame. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, accepted: (socket: InstanceType<T>) => void): void {
    if (this.stopping) return refuseUpgrade(socket, 503, 'Service Unavailable');
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.open.add(ws);
      this.listen(ws);
      accepted(ws);
    });
  }

  /** Refuses upgrades from now on, then closes every socket with 1012 "service restart". */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    this.wss.close();
    await closeSockets(this.open);
  }
}

/**
 * Closes every socket with 1012 "service restart" (clients reconnect with backoff); those that have
 * not finished the closing handshake within the grace period are cut.
 */
export async function closeSockets(sockets: Iterable<WebSocket>): Promise<void> {
  const waiting = new Set([...sockets].filter((socket) => socket.readyState !== WebSocket.CLOSED));
  if (waiting.size === 0) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      for (const socket of waiting) socket.terminate();
      resolve();
    }, CLOSE_GRACE_MS);
    for (const socket of waiting) {
      socket.once('close', () => {
        waiting.delete(socket);
        if (waiting.size > 0) return;
        clearTimeout(timer);
        resolve();
      });
      socket.close(CLOSE_CODES.restart, 'server restarting');
    }
  });
}

/** Answers a refused upgrade with a bare HTTP status and closes the connection once it is written. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
