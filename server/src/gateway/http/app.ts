import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import type { Logger } from 'pino';
import { AppError, toAppError } from '../../errors.js';
import type { ImServer } from '../../im/index.js';
import type { OriginPolicy } from '../origins.js';
import { RateLimiter } from '../rateLimiter.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { conversationRoutes } from './routes/conversations.js';
import { createGuards, type Guards } from './session.js';

export interface HttpOptions {
  log: Logger;
  secureCookies: 'auto' | 'true' | 'false';
  /** Whether X-Forwarded-For is trusted (behind a load balancer). */
  trustProxy: boolean;
  /** Connection and request limits; see HTTP_LIMITS for the defaults. */
  limits?: Partial<HttpLimits>;
}

export interface HttpLimits {
  /** Slow-loris defence: the request head must arrive within this time (else 408 and closed). */
  headersTimeoutMs: number;
  /** The whole request, head and body, must arrive within this time. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (above a load balancer's usual 60 s). */
  keepAliveTimeoutMs: number;
  /** Largest request head (request line and headers); a larger one is answered 431 and closed. */
  maxHeaderBytes: number;
  /** Requests one address may make to /api: a burst, then per second. */
  apiBurst: number;
  apiPerSecond: number;
}

export const HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 72_000,
  maxHeaderBytes: 16 * 1024,
  apiBurst: 600,
  apiPerSecond: 200,
};

/** The Fastify app with the IM routes; other parts add their routes through the returned guards. */
export async function createHttpApp(im: ImServer, origins: OriginPolicy, options: HttpOptions): Promise<{ app: FastifyInstance; guards: Guards }> {
  const limits = { ...HTTP_LIMITS, ...options.limits };
  const requestTimeoutMs = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs);
  const app = Fastify({
    // Per-request lines are noise at this volume; failures are logged by the error handler.
    loggerInstance: options.log.child({ part: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    // Routes validate with zod (validate.ts) and declare no JSON schemas. Fastify's default schema
    // compilers would load ajv and fast-json-stringify at every start for nothing (0.1–0.2 s of CPU
    // while a restarted node's clients wait for it to listen); a route with a schema fails loudly.
    schemaController: { compilersFactory: { buildValidator: noJsonSchemas, buildSerializer: noJsonSchemas } },
    trustProxy: options.trustProxy,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // The router's own refusals (a path segment that is not valid UTF-8, or too long) answer typed errors too.
    frameworkErrors: (error, _request, reply) => {
      const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A part of the path is too long.' : 'The URL is not valid.';
      void (reply as FastifyReply).code(400).send({ error: new AppError('bad_request', message).toBody() });
    },
    http: {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // How often Node looks for connections past those timeouts (its default, 30 s, would let a slow client stay that long).
      connectionsCheckingInterval: Math.min(5000, Math.max(100, Math.floor(limits.headersTimeoutMs / 4))),
    },
  });
  const apiLimiter = new RateLimiter(limits.apiBurst, limits.apiPerSecond);
  await app.register(fastifyCookie);
  const guards = createGuards(im.auth, origins);

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/') && !apiLimiter.take(request.ip)) throw new AppError('rate_limited', 'Too many requests; slow down.');
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    return payload;
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = fromFastify(error);
    if (appError.report) request.log.error({ err: error }, 'request failed');
    void reply.code(appError.status).send({ error: appError.toBody() });
  });

  authRoutes(app, im, guards, options.secureCookies);
  conversationRoutes(app, im, guards);
  adminRoutes(app, im, guards);
  return { app, guards };
}

function noJsonSchemas(): never {
  throw new Error('Route JSON schemas are not compiled here: validate with zod (gateway/http/validate.ts).');
}

/** Maps Fastify's own errors (bad JSON, body too large, wrong content type) to typed errors. */
function fromFastify(error: FastifyError | AppError): AppError {
  if (error instanceof AppError) return error;
  const status = (error as FastifyError).statusCode;
  if (status === 413) return new AppError('frame_too_large', 'The request body is too large.');
  if (status !== undefined && status >= 400 && status < 500) return new AppError('bad_request', error.message);
  return toAppError(error);
}
