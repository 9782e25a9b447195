import path from 'node:path';
import { z } from 'zod';

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  SWITCHBOARD_DATA: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)')
    .optional(),
  /** Schema to use inside the PostgreSQL database (tests give each run its own). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).optional(),
  SWITCHBOARD_BUS: z
    .string()
    .regex(/^(rediss?|nats):\/\//, 'SWITCHBOARD_BUS must be a redis://, rediss:// or nats:// URL (leave it unset for one node)')
    .optional(),
  SWITCHBOARD_BUS_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/).default('switchboard'),
  SWITCHBOARD_ADMIN_PASSWORD: z.string().min(10, 'SWITCHBOARD_ADMIN_PASSWORD needs at least 10 characters').optional(),
  SWITCHBOARD_PUBLIC_URL: z.url().optional(),
  /** Extra origins allowed to open the IM WebSocket and send cookie-authenticated writes, comma separated. */
  SWITCHBOARD_ALLOWED_ORIGINS: z.string().default(''),
  SWITCHBOARD_WEB_ROOT: z.string().optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 365).default(24 * 7),
  SWITCHBOARD_SECURE_COOKIES: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Slow-loris defence: a client must send its request headers within this time, and the whole request within the next. */
  SWITCHBOARD_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  SWITCHBOARD_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Idle keep-alive connections close after this; keep it above a load balancer's idle timeout. */
  SWITCHBOARD_KEEPALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(72_000),
  /** Largest request line plus headers, in bytes; more is answered 431. */
  SWITCHBOARD_MAX_HEADER_BYTES: z.coerce.number().int().min(1024).max(65_536).default(16_384),
  /** Requests one address may make to /api: a burst, then per second (429 beyond). */
  SWITCHBOARD_API_RATE_BURST: z.coerce.number().int().min(1).max(1_000_000).default(600),
  SWITCHBOARD_API_RATE_PER_SECOND: z.coerce.number().positive().max(1_000_000).default(200),
  /** WebSockets (IM and visitor) one address may hold open at once; 0 = no cap. Raise it behind a proxy that hides client addresses. */
  SWITCHBOARD_WS_MAX_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(200),
  SWITCHBOARD_NODE_ID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).optional(),
  /** How often the server pings each WebSocket; a socket that missed the previous ping's pong is closed. */
  SWITCHBOARD_HEARTBEAT_MS: z.coerce.number().int().min(50).max(600_000).default(30_000),
  LOG_LEVEL: LogLevel.default('info'),
  /** An agent whose last socket closed is put off duty after this long unless they reconnect (a reload must not count). */
  SWITCHBOARD_AGENT_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(15_000),
  /** An on-duty agent whose node has not vouched for them this long (crash, restart) is put off duty. */
  SWITCHBOARD_AGENT_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
  /** A visitor whose page closed counts as gone after this long unless they come back. */
  SWITCHBOARD_VISITOR_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** How often the customer-service sweeper looks for due timers (reply timeouts, departures, the queue). */
  SWITCHBOARD_SERVICE_SWEEP_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** An open chat whose visitor has been gone this long is closed by the system, freeing the agent's seat; 0 = never. */
  SWITCHBOARD_CHAT_ABANDON_MS: z.coerce.number().int().min(0).max(7 * 86_400_000).default(30 * 60_000),
  /** Ping interval of visitor sockets; a socket that misses a pong is dropped. */
  SWITCHBOARD_VISITOR_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(25_000),
  /** Per address and minute: visitor sockets opened (and new visitors), chats started, offline messages left. */
  SWITCHBOARD_VISITOR_CONNECTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  SWITCHBOARD_VISITOR_CHATS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(10),
  SWITCHBOARD_VISITOR_OFFLINE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(5),
}).refine((env) => !env.SWITCHBOARD_BUS?.startsWith('nats:') || /^[^.]+(\.[^.]+)*$/.test(env.SWITCHBOARD_BUS_PREFIX), {
  // It starts the NATS subjects, whose dot-separated parts must not be empty.
  path: ['SWITCHBOARD_BUS_PREFIX'],
  message: 'SWITCHBOARD_BUS_PREFIX must not start or end with a dot, nor have two in a row, on a nats:// bus',
});

export type Config = ReturnType<typeof parseConfig>;

/**
 * Parses every setting once at start. Throws a ConfigError listing each bad variable by name, so a
 * misconfigured deployment fails with one clear message instead of misbehaving later.
 */
export function parseConfig(env: NodeJS.ProcessEnv = process.env) {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const settings = result.data;
  return {
    port: settings.PORT,
    host: settings.HOST,
    dataDir: path.resolve(settings.SWITCHBOARD_DATA),
    databaseUrl: settings.DATABASE_URL,
    databaseSchema: settings.DATABASE_SCHEMA,
    busUrl: settings.SWITCHBOARD_BUS,
    busPrefix: settings.SWITCHBOARD_BUS_PREFIX,
    adminPassword: settings.SWITCHBOARD_ADMIN_PASSWORD,
    publicUrl: settings.SWITCHBOARD_PUBLIC_URL,
    extraOrigins: settings.SWITCHBOARD_ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    webRoot: settings.SWITCHBOARD_WEB_ROOT,
    sessionTtlMs: settings.SESSION_TTL_HOURS * 3600_000,
    secureCookies: settings.SWITCHBOARD_SECURE_COOKIES,
    limits: {
      headersTimeoutMs: settings.SWITCHBOARD_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: settings.SWITCHBOARD_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: settings.SWITCHBOARD_KEEPALIVE_TIMEOUT_MS,
      maxHeaderBytes: settings.SWITCHBOARD_MAX_HEADER_BYTES,
      apiBurst: settings.SWITCHBOARD_API_RATE_BURST,
      apiPerSecond: settings.SWITCHBOARD_API_RATE_PER_SECOND,
      wsMaxPerIp: settings.SWITCHBOARD_WS_MAX_PER_IP,
    },
    nodeId: settings.SWITCHBOARD_NODE_ID ?? `node-${process.pid}`,
    heartbeatMs: settings.SWITCHBOARD_HEARTBEAT_MS,
    logLevel: settings.LOG_LEVEL,
    service: {
      agentGraceMs: settings.SWITCHBOARD_AGENT_GRACE_MS,
      agentLeaseMs: settings.SWITCHBOARD_AGENT_LEASE_MS,
      visitorGraceMs: settings.SWITCHBOARD_VISITOR_GRACE_MS,
      sweepMs: settings.SWITCHBOARD_SERVICE_SWEEP_MS,
      visitorHeartbeatMs: settings.SWITCHBOARD_VISITOR_HEARTBEAT_MS,
      chatAbandonMs: settings.SWITCHBOARD_CHAT_ABANDON_MS,
      visitorLimits: {
        connectsPerMinute: settings.SWITCHBOARD_VISITOR_CONNECTS_PER_MINUTE,
        chatsPerMinute: settings.SWITCHBOARD_VISITOR_CHATS_PER_MINUTE,
        offlinePerMinute: settings.SWITCHBOARD_VISITOR_OFFLINE_PER_MINUTE,
      },
    },
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
