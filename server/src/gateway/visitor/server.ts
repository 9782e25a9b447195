import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { LIMITS } from '@switchboard/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.js';
import type { ServiceSystem } from '../../service/index.js';
import { VisitorConnection } from './connection.js';
import { createVisitorFrameHandler, perMinute, type VisitorLimits } from './handlers.js';
import { VisitorRegistry } from './registry.js';
import { closeSockets, refuseUpgrade } from '../wsLifecycle.js';

export interface VisitorGatewayOptions {
  log: Logger;
  /** SWITCHBOARD_PUBLIC_URL, which also counts as "self". */
  publicUrl: string | undefined;
  heartbeatMs: number;
  /** How often this node reports its connected visitors as present (well inside the visitor grace period). */
  presenceMs: number;
  limits: VisitorLimits;
}

export interface VisitorGateway {
  registry: VisitorRegistry;
  /** Register on the HTTP server's upgrade dispatcher for /visitor. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** The origins that are "self" for a request that came to `host`. */
  selfOrigins(host: string | undefined): string[];
  close(): Promise<void>;
}

/**
 * The visitor WebSocket at /visitor (the widget). An upgrade must pass the per-address rate limit
 * and carry an Origin; the Origin is checked against the site's allowed origins at v.hello (the
 * site is named there), and early at the upgrade when the URL names it (`/visitor?siteKey=…`).
 * Frames above LIMITS.maxFrameBytes close the socket (1009); sockets that stop answering pings are
 * dropped, which, like a closed page, starts the visitor's grace period.
 */
export function attachVisitorGateway(service: ServiceSystem, bus: Bus, options: VisitorGatewayOptions): VisitorGateway {
  const registry = new VisitorRegistry();
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  const selfOrigins = (host: string | undefined) => [...(publicOrigin ? [publicOrigin] : []), ...(host ? [`http://${host}`, `https://${host}`] : [])];
  const handleFrame = createVisitorFrameHandler(service, registry, selfOrigins, options.limits);
  const upgradeLimiter = perMinute(options.limits.connectsPerMinute);
  const onFault = (error: unknown) => options.log.error({ err: error }, 'visitor frame handler failed');
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  let closing = false;

  const stopDeliver = bus.subscribe('visitor.deliver', (event) => {
    const connections = registry.of(event.visitorId);
    if (!connections) return;
    const data = JSON.stringify(event.frame);
    for (const connection of connections) connection.sendRaw(data);
  });

  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ip = request.socket.remoteAddress ?? 'unknown';
    if (!upgradeLimiter.take(ip)) return refuseUpgrade(socket, 429, 'Too Many Requests');
    const origin = request.headers.origin;
    if (!origin) return refuseUpgrade(socket, 403, 'Forbidden');
    const siteKey = new URL(request.url ?? '/', 'http://localhost').searchParams.get('siteKey');
    const early = siteKey ? service.sites.byKey(siteKey) : Promise.resolve(undefined);
    void early.then(
      (site) => {
        if (closing) return refuseUpgrade(socket, 503, 'Service Unavailable');
        if (site && !service.sites.originAllowed(site, origin, selfOrigins(request.headers.host))) return refuseUpgrade(socket, 403, 'Forbidden');
        wss.handleUpgrade(request, socket, head, (ws) =>
          accept(ws, { ip, origin, host: request.headers.host, userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null }),
        );
      },
      (error: unknown) => {
        options.log.error({ err: error }, 'visitor upgrade failed');
        refuseUpgrade(socket, 503, 'Service Unavailable');
      },
    );
  }

  function accept(ws: WebSocket, meta: ConstructorParameters<typeof VisitorConnection>[2]): void {
    const connection = new VisitorConnection(randomUUID(), ws, meta, handleFrame, onFault);
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', (data, isBinary) => connection.receive(isBinary ? null : data.toString()));
    ws.on('error', (error) => options.log.debug({ err: error }, 'visitor websocket error'));
    ws.on('close', () => {
      connection.markClosed();
      // At shutdown the visitors are not leaving: they reconnect to the next node or process.
      if (connection.visitorId && registry.remove(connection) && !closing) {
        service.visitors.leaving(connection.visitorId).catch(onFault);
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
  }, options.heartbeatMs);
  heartbeat.unref();

  // Visitors with a live socket here are present; this also calls off a departure that a beacon
  // from one of several tabs announced.
  const presence = setInterval(() => {
    const ids = registry.visitorIds();
    for (let i = 0; i < ids.length; i += 500) service.visitors.presentMany(ids.slice(i, i + 500)).catch(onFault);
  }, options.presenceMs);
  presence.unref();

  return {
    registry,
    upgrade,
    selfOrigins,
    async close() {
      closing = true;
      clearInterval(heartbeat);
      clearInterval(presence);
      stopDeliver();
      // Refuse upgrades first (ws answers 503 once closed), so no socket opens behind the closing.
      wss.close();
      await closeSockets(wss.clients);
    },
  };
}

