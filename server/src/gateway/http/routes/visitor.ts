import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SiteKey, VisitorLeaveRequest, VisitorOfflineRequest } from '@switchboard/protocol';
import { AppError, errors } from '../../../errors.js';
import type { ServiceSystem } from '../../../service/index.js';
import { perMinute, type VisitorLimits } from '../../visitor/handlers.js';
import { validate } from '../validate.js';

const SiteParams = z.object({ siteKey: SiteKey });

/**
 * The widget's public HTTP routes. No cookies are involved; a cross-origin page may read an
 * answer only when its Origin is one of the site's allowed origins (Access-Control-Allow-Origin
 * echoes exactly that origin, never "*").
 */
export function visitorRoutes(app: FastifyInstance, service: ServiceSystem, selfOrigins: (host: string | undefined) => string[], limits: VisitorLimits): void {
  const offlineLimiter = perMinute(limits.offlinePerMinute);
  const leaveLimiter = perMinute(limits.connectsPerMinute);
  const originOf = (request: FastifyRequest) => (typeof request.headers.origin === 'string' ? request.headers.origin : undefined);

  /** Echoes the Origin when the site allows it; refuses a page from anywhere else. */
  async function allowOrigin(request: FastifyRequest, reply: FastifyReply, siteKey: string) {
    const site = await service.sites.byKey(siteKey);
    if (!site) throw errors.notFound('Site');
    const origin = originOf(request);
    void reply.header('vary', 'Origin');
    if (origin === undefined) return site; // not a browser page (or same-origin GET): nothing to allow
    if (!service.sites.originAllowed(site, origin, selfOrigins(request.headers.host))) throw new AppError('origin_forbidden', 'This page may not use the chat widget of that site.');
    void reply.header('access-control-allow-origin', origin);
    return site;
  }

  app.get('/api/visitor/sites/:siteKey/config', async (request, reply) => {
    const { siteKey } = validate(SiteParams, request.params);
    const site = await allowOrigin(request, reply, siteKey);
    void reply.header('cache-control', 'no-store');
    return { config: await service.sites.widgetConfig(site) };
  });

  /**
   * navigator.sendBeacon on pagehide: the body comes as text/plain (a string) or JSON. Always 204,
   * so the answer tells nothing about the token.
   */
  app.post('/api/visitor/leave', async (request, reply) => {
    if (!leaveLimiter.take(request.ip)) throw errors.rateLimited();
    const body = validate(VisitorLeaveRequest, typeof request.body === 'string' ? parseJson(request.body) : request.body);
    const site = await service.sites.byKey(body.siteKey);
    const origin = originOf(request);
    if (site && (origin === undefined || service.sites.originAllowed(site, origin, selfOrigins(request.headers.host)))) {
      await service.visitors.leaveByToken(body.siteKey, body.token);
      if (origin) void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    }
    return reply.code(204).send();
  });

  /** The "leave a message" form over HTTP (the widget may also send v.offline on its socket). */
  app.post('/api/visitor/offline', async (request, reply) => {
    const body = validate(VisitorOfflineRequest, typeof request.body === 'string' ? parseJson(request.body) : request.body);
    const site = await allowOrigin(request, reply, body.siteKey);
    if (!offlineLimiter.take(request.ip)) throw errors.rateLimited('Too many messages from this address; wait a little.');
    const visitor = await service.visitors.byToken(body.siteKey, body.token);
    const message = await service.offline.leave({
      siteId: site.id,
      visitorId: visitor?.id ?? null,
      name: body.name,
      email: body.email,
      message: body.message,
      departmentId: body.departmentId,
      pageUrl: body.page?.url ?? visitor?.page?.url ?? null,
    });
    return reply.code(201).send({ id: message.id });
  });

  /** CORS preflight for the JSON POSTs: allowed for an origin some site allows. */
  app.options('/api/visitor/*', async (request, reply) => {
    const origin = originOf(request);
    const sites = origin ? await service.sites.list() : [];
    const self = selfOrigins(request.headers.host);
    if (origin && sites.some((site) => service.sites.originAllowed(site, origin, self))) {
      void reply
        .header('access-control-allow-origin', origin)
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '600')
        .header('vary', 'Origin');
    }
    return reply.code(204).send();
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw errors.badRequest('The body must be JSON.');
  }
}
