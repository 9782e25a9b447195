import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CLOSE_CODES } from '@switchboard/protocol';
import type { Logger } from 'pino';
import type { ImServer } from '../../im/index.js';
import { readToken } from '../http/session.js';
import type { OriginPolicy } from '../origins.js';
import { RateLimiter } from '../rateLimiter.js';
import { Connection, type ConnectionHooks } from './connection.js';
import { serviceUnavailableGateway, type AgentGateway } from './agentHandlers.js';
import { createFrameHandler } from './handlers.js';
import { ConcurrencyGate } from '../../store/concurrencyGate.js';
import { ConnectionRegistry } from './registry.js';
import { SharedUsers } from './sharedUsers.js';
import { EdgeSocket, refuseUpgrade, SocketEdge } from '../wsLifecycle.js';

/**
 * Store reads of upgrades, hellos and syncs running at once; the rest wait in order. A welcome
 * runs up to four queries in parallel: six of them keep most of the PostgreSQL pool's 10
 * connections busy without a queue long enough to starve the message sender's commit.
 */
const STORE_READS_AT_ONCE = 6;
/** Default interval between heartbeat pings (SWITCHBOARD_HEARTBEAT_MS). */
const HEARTBEAT_MS = 30_000;
/** Upgrades one address may attempt: a burst, then per second. */
const upgradeLimiter = new RateLimiter(50, 20);

/** An IM socket and its connection. */
class ImSocket extends EdgeSocket {
  connection: Connection | undefined = undefined;
}

/** Connection ids only need to be unique on this node (presence keys); a counter is short. */
let connectionsMade = 0;
const nextConnectionId = () => (++connectionsMade).toString(36);

export interface WebSocketGateway {
  registry: ConnectionRegistry;
  /**
   * Refuses upgrades on every path from now on (503), then closes every socket with 1012 (service
   * restart) so clients reconnect elsewhere or later.
   */
  close(): Promise<void>;
}

/**
 * The IM WebSocket at /ws. An upgrade must pass, in order: the per-address rate limit, the Origin
 * check (a browser page from another site is refused even with a valid cookie), and
 * authentication. Frames larger than LIMITS.maxFrameBytes close the socket with 1009.
 */
export function attachWebSocketGateway(
  server: Server,
  im: ImServer,
  origins: OriginPolicy,
  log: Logger,
  extraUpgrades: Map<string, (request: IncomingMessage, socket: Duplex, head: Buffer) => void>,
  heartbeatMs = HEARTBEAT_MS,
  /** Agent frames and lifecycle hooks (customer service); refused when not given. */
  agent: AgentGateway = serviceUnavailableGateway(),
  /** WebSockets (on every path: /ws, /visitor) one address may hold open at once; 0 = no cap. */
  maxConnectionsPerIp = 200,
): WebSocketGateway {
  const registry = new ConnectionRegistry();
  const storeReads = new ConcurrencyGate(STORE_READS_AT_ONCE);
  const users = new SharedUsers();
  const hooks: ConnectionHooks = {
    handle: createFrameHandler(im, registry, agent, storeReads),
    onFault: (error) => log.error({ err: error }, 'frame handler failed'),
  };
  const edge = new SocketEdge(ImSocket, heartbeatMs, {
    message: (socket, data, isBinary) => socket.connection?.receive(isBinary ? null : data.toString()),
    error: (_socket, error) => log.debug({ err: error }, 'websocket error'),
    close: (socket, code) => {
      const connection = socket.connection;
      if (!connection) return;
      connection.markClosed();
      users.release(connection.userId);
      if (!connection.ready) return;
      // While the node stops, every socket closes: telling the others here who went offline is
      // work for nobody (other nodes hear the node is gone), and 10,000 of them took a third of a second.
      if (edge.accepting) {
        registry.remove(connection);
        im.presence.disconnect(connection.userId, connection.id);
      }
      agent.onClosed(connection, code === CLOSE_CODES.sessionEnded);
    },
  });
  const openByIp = new Map<string, number>();

  /** Counts the socket against its address until it closes; false when the address is at its cap. */
  function admit(ip: string, socket: Duplex): boolean {
    if (maxConnectionsPerIp <= 0) return true;
    const open = openByIp.get(ip) ?? 0;
    if (open >= maxConnectionsPerIp) return false;
    openByIp.set(ip, open + 1);
    socket.on('close', releaseAddress);
    return true;
  }

  /** One listener for every socket: a net.Socket still knows its peer's address once it has closed. */
  function releaseAddress(this: Socket): void {
    const ip = this.remoteAddress ?? 'unknown';
    const left = (openByIp.get(ip) ?? 1) - 1;
    if (left > 0) openByIp.set(ip, left);
    else openByIp.delete(ip);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The node is stopping: clients it told to reconnect must go elsewhere, on every path.
    if (!edge.accepting) return refuseUpgrade(socket, 503, 'Service Unavailable');
    const ip = request.socket.remoteAddress ?? 'unknown';
    if (!admit(ip, socket)) return refuseUpgrade(socket, 429, 'Too Many Requests');
    const path = (request.url ?? '').split('?')[0] ?? '';
    const other = extraUpgrades.get(path);
    if (other) {
      other(request, socket, head);
      return;
    }
    if (path !== '/ws') return refuseUpgrade(socket, 404, 'Not Found');
    if (!upgradeLimiter.take(ip)) return refuseUpgrade(socket, 429, 'Too Many Requests');
    void authorize(request).then(
      (auth) => {
        if (!auth) return refuseUpgrade(socket, 401, 'Unauthorized');
        if (auth === 'origin') return refuseUpgrade(socket, 403, 'Forbidden');
        edge.upgrade(request, socket, head, (ws) => {
          ws.connection = new Connection(nextConnectionId(), ws, users.share(auth), hooks);
        });
      },
      (error: unknown) => {
        log.error({ err: error }, 'websocket upgrade failed');
        refuseUpgrade(socket, 503, 'Service Unavailable');
      },
    );
  });

  async function authorize(request: IncomingMessage) {
    const cookies = parseCookies(request.headers.cookie);
    const { token, viaCookie } = readToken({ headers: request.headers, cookies });
    const origin = request.headers.origin;
    // A browser always sends Origin; a cookie-authenticated upgrade without an allowed one is
    // cross-site WebSocket hijacking. Bearer tokens come from non-browser clients.
    if (origin !== undefined || (viaCookie && token)) {
      if (!origins.isAllowed(origin, request.headers.host)) return 'origin' as const;
    }
    return storeReads.run(() => im.auth.authenticate(token));
  }

  return {
    registry,
    close: () => edge.stop(),
  };
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    try {
      cookies[name] = decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      // A malformed cookie is ignored like a missing one.
    }
  }
  return cookies;
}
