import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { CLOSE_CODES, LIMITS } from '@switchboard/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { ImServer } from '../../im/index.js';
import { readToken } from '../http/session.js';
import type { OriginPolicy } from '../origins.js';
import { RateLimiter } from '../rateLimiter.js';
import { Connection } from './connection.js';
import { serviceUnavailableGateway, type AgentGateway } from './agentHandlers.js';
import { createFrameHandler } from './handlers.js';
import { ConnectionRegistry } from './registry.js';
import { closeAllSockets, refuseUpgrade } from '../wsLifecycle.js';

/** Default interval between heartbeat pings (SWITCHBOARD_HEARTBEAT_MS). */
const HEARTBEAT_MS = 30_000;
/** Upgrades one address may attempt: a burst, then per second. */
const upgradeLimiter = new RateLimiter(50, 20);

export interface WebSocketGateway {
  registry: ConnectionRegistry;
  /** Closes every socket with 1012 (service restart) so clients reconnect elsewhere or later. */
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
  const handleFrame = createFrameHandler(im, registry, agent);
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  const openByIp = new Map<string, number>();

  /** Counts the socket against its address until it closes; false when the address is at its cap. */
  function admit(ip: string, socket: Duplex): boolean {
    if (maxConnectionsPerIp <= 0) return true;
    const open = openByIp.get(ip) ?? 0;
    if (open >= maxConnectionsPerIp) return false;
    openByIp.set(ip, open + 1);
    socket.once('close', () => {
      const left = (openByIp.get(ip) ?? 1) - 1;
      if (left > 0) openByIp.set(ip, left);
      else openByIp.delete(ip);
    });
    return true;
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
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
        wss.handleUpgrade(request, socket, head, (ws) => accept(ws, auth));
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
    return im.auth.authenticate(token);
  }

  function accept(ws: WebSocket, auth: NonNullable<Awaited<ReturnType<typeof im.auth.authenticate>>>) {
    const connection = new Connection(randomUUID(), ws, auth, handleFrame, (error) => log.error({ err: error }, 'frame handler failed'));
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', (data, isBinary) => connection.receive(isBinary ? null : data.toString()));
    ws.on('error', (error) => log.debug({ err: error }, 'websocket error'));
    ws.on('close', (code) => {
      connection.markClosed();
      if (connection.ready) {
        registry.remove(connection);
        im.presence.disconnect(connection.userId, connection.id);
        agent.onClosed(connection, code === CLOSE_CODES.sessionEnded);
      }
    });
  }

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  return {
    registry,
    async close() {
      clearInterval(heartbeat);
      await closeAllSockets(wss);
    },
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
