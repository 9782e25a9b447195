import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { CLOSE_CODES } from '@switchboard/protocol';
import type { Bus } from './bus/bus.js';
import { createInProcessBus } from './bus/inProcessBus.js';
import { createNetworkBus } from './bus/networkBus.js';
import type { Config } from './config/env.js';
import { createHttpApp } from './gateway/http/app.js';
import { healthRoutes } from './gateway/http/routes/health.js';
import type { Guards } from './gateway/http/session.js';
import { registerWebApps } from './gateway/http/static.js';
import { OriginPolicy } from './gateway/origins.js';
import { serviceAdminRoutes } from './gateway/http/routes/serviceAdmin.js';
import { serviceRoutes } from './gateway/http/routes/service.js';
import { visitorRoutes } from './gateway/http/routes/visitor.js';
import { attachVisitorGateway, type VisitorGateway } from './gateway/visitor/server.js';
import { serviceAgentGateway } from './gateway/ws/agentHandlers.js';
import { startDispatcher } from './gateway/ws/dispatcher.js';
import { attachWebSocketGateway, type WebSocketGateway } from './gateway/ws/server.js';
import { createImServer, type ImServer } from './im/index.js';
import { ServiceBridge } from './im/serviceBridge.js';
import { createServiceSystem, visitorLeaseMs, visitorPresenceMs, type ServiceSystem } from './service/index.js';
import { createLogger } from './logger.js';
import { createImRepositories, openStore, type Store } from './store/index.js';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Everything one node runs, wired together; what tests and main() start and stop. */
export interface Switchboard {
  config: Config;
  log: Logger;
  store: Store;
  bus: Bus;
  im: ImServer;
  http: FastifyInstance;
  guards: Guards;
  ws: WebSocketGateway;
  /** The customer-service system and the two edges it has: the IM bridge (agents) and /visitor. */
  service: ServiceSystem;
  serviceBridge: ServiceBridge;
  visitorWs: VisitorGateway;
  /** Base URL once listening, e.g. http://127.0.0.1:8080. */
  url: string;
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** How long HTTP requests in flight at a stop get to finish before their connections are cut. */
const HTTP_CLOSE_GRACE_MS = 2000;
/**
 * Connections the kernel may hold for the server to accept (it caps this at net.core.somaxconn).
 * Node's default of 511 overflowed when 10,000 clients came back after a restart: each dropped
 * SYN costs its client a retransmission a second or more later (docs/performance.md, section 18).
 */
const LISTEN_BACKLOG = 4096;

export async function startSwitchboard(config: Config, overrides: { log?: Logger } = {}): Promise<Switchboard> {
  const log = overrides.log ?? createLogger(config.logLevel, config.nodeId);
  const onFault = (error: unknown) => log.error({ err: error }, 'unexpected failure');
  const store = await openStore({ databaseUrl: config.databaseUrl, databaseSchema: config.databaseSchema, dataDir: config.dataDir });
  // Set once the WebSocket edge exists: what to do when a cluster bus recovers from an outage.
  let resyncClients = () => {};
  const bus = await openBus(config, log, () => resyncClients());
  const im = createImServer(createImRepositories(store), bus, { sessionTtlMs: config.sessionTtlMs, nodeId: config.nodeId, onError: onFault });
  if (config.busUrl) im.presence.startClusterSync();

  const origins = new OriginPolicy(config.publicUrl, config.extraOrigins);
  const { app: http, guards } = await createHttpApp(im, origins, { log, secureCookies: config.secureCookies, trustProxy: false, limits: config.limits });
  const upgrades = new Map<string, UpgradeHandler>();

  // The CS system beside the IM server; they talk only over the bus (docs/architecture.md).
  const service = createServiceSystem(store, bus, {
    agentLeaseMs: config.service.agentLeaseMs,
    visitorGraceMs: config.service.visitorGraceMs,
    visitorLeaseMs: visitorLeaseMs(config.service.visitorGraceMs),
    chatAbandonMs: config.service.chatAbandonMs,
    sweepMs: config.service.sweepMs,
    onError: onFault,
  });
  await service.ensureDefaults();
  const serviceBridge = new ServiceBridge(bus, im.presence, {
    nodeId: config.nodeId,
    agentGraceMs: config.service.agentGraceMs,
    leaseRefreshMs: Math.max(50, Math.floor(config.service.agentLeaseMs / 4)),
  });
  serviceBridge.start();
  const visitorWs = attachVisitorGateway(service, bus, {
    log,
    publicUrl: config.publicUrl,
    heartbeatMs: config.service.visitorHeartbeatMs,
    presenceMs: visitorPresenceMs(config.service.visitorGraceMs),
    limits: config.service.visitorLimits,
  });
  upgrades.set('/visitor', visitorWs.upgrade);

  const ws = attachWebSocketGateway(http.server, im, origins, log, upgrades, config.heartbeatMs, serviceAgentGateway(serviceBridge), config.limits.wsMaxPerIp);
  const stopDispatcher = startDispatcher(bus, ws.registry);
  resyncClients = () => {
    log.warn('bus recovered: asking IM clients to reconnect and catch up from the database');
    for (const connection of [...ws.registry.everyone()]) connection.close(CLOSE_CODES.restart, 'bus recovered');
  };
  healthRoutes(http, store, bus, config.nodeId, () => ws.registry.size);
  visitorRoutes(http, service, visitorWs.selfOrigins, config.service.visitorLimits);
  serviceRoutes(http, service, im, guards);
  serviceAdminRoutes(http, service, im, guards);
  if (process.env.SWITCHBOARD_METRICS === '1') (await import('./gateway/http/routes/metrics.js')).metricsRoutes(http, im, () => ws.registry.size);
  await registerWebApps(http, config.webRoot ?? REPO_ROOT);

  const sweeper = setInterval(() => void im.repos.sessions.deleteExpired(Date.now()).catch(onFault), 3600_000);
  sweeper.unref();

  await http.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${port}`;

  let stopped = false;
  return {
    config,
    log,
    store,
    bus,
    im,
    http,
    guards,
    ws,
    service,
    serviceBridge,
    visitorWs,
    url,
    /**
     * Graceful: refuse new upgrades and stop listening first (a client told to reconnect must not
     * land here again and hold the stop), close sockets (1012), let HTTP requests in flight finish
     * within a deadline, commit queued sends, then close the store.
     */
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(sweeper);
      const sockets = Promise.all([ws.close(), visitorWs.close()]);
      const httpClosed = closeHttp(http, HTTP_CLOSE_GRACE_MS);
      await sockets;
      serviceBridge.stop();
      await service.stop();
      stopDispatcher();
      await httpClosed;
      await im.sender.drain();
      if (config.busUrl) im.presence.stopClusterSync();
      await bus.close();
      await store.close();
    },
  };
}

/**
 * Closes the HTTP server: it stops listening at once and closes idle keep-alive connections;
 * requests in flight get `graceMs` to finish, then every connection left is cut.
 */
async function closeHttp(http: FastifyInstance, graceMs: number): Promise<void> {
  const closed = http.close();
  const deadline = setTimeout(() => http.server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(deadline);
  }
}

/** The in-process bus on one node; the Redis or NATS bus that SWITCHBOARD_BUS names (cluster mode). */
async function openBus(config: Config, log: Logger, onRecovered: () => void): Promise<Bus> {
  const onHandlerError = (error: unknown, channel: string) => log.error({ err: error, channel }, 'bus handler failed');
  if (!config.busUrl) return createInProcessBus(onHandlerError);
  return createNetworkBus({
    url: config.busUrl,
    prefix: config.busPrefix,
    nodeId: config.nodeId,
    onHandlerError,
    onConnectionError: (error) => log.warn({ err: error }, 'bus connection problem'),
    onRecovered,
  });
}
