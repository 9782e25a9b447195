import { CLOSE_CODES, newClientId, VISITOR_PROTOCOL_VERSION, type VisitorClientFrame } from '@switchboard/protocol';
import { AppError, errors } from '../../errors.js';
import type { ServiceSystem } from '../../service/index.js';
import { RateLimiter } from '../rateLimiter.js';
import type { VisitorConnection, VisitorFrameHandler } from './connection.js';
import type { VisitorRegistry } from './registry.js';

type VisitorHandlers = { [T in VisitorClientFrame['type']]: (connection: VisitorConnection, frame: Extract<VisitorClientFrame, { type: T }>) => Promise<void> };

/** Per address and minute: sockets opened (v.hello), chats started, offline messages left. */
export interface VisitorLimits {
  connectsPerMinute: number;
  chatsPerMinute: number;
  offlinePerMinute: number;
}

/** A token bucket that holds a minute's worth and refills evenly. */
export function perMinute(count: number): RateLimiter {
  return new RateLimiter(count, count / 60);
}

/** What each visitor frame does: a thin call into the CS system's commands. */
export function createVisitorFrameHandler(
  service: ServiceSystem,
  registry: VisitorRegistry,
  selfOrigins: (host: string | undefined) => string[],
  limits: VisitorLimits,
): VisitorFrameHandler {
  const helloLimiter = perMinute(limits.connectsPerMinute);
  const startLimiter = perMinute(limits.chatsPerMinute);
  const offlineLimiter = perMinute(limits.offlinePerMinute);
  const visitorOf = (connection: VisitorConnection) => {
    if (!connection.visitorId) throw new AppError('not_ready', 'Send v.hello first.');
    return connection.visitorId;
  };
  const ok = (connection: VisitorConnection, ref: string | undefined) => {
    if (ref) connection.send({ type: 'v.ok', ref });
  };

  const handlers: VisitorHandlers = {
    async 'v.hello'(connection, frame) {
      if (frame.protocol !== VISITOR_PROTOCOL_VERSION) {
        connection.reject(frame.ref, new AppError('unsupported_version', `This server speaks visitor protocol ${VISITOR_PROTOCOL_VERSION}; reload the page.`));
        connection.close(CLOSE_CODES.unsupportedVersion, 'unsupported protocol version');
        return;
      }
      if (connection.ready) throw errors.conflict('v.hello was already sent.');
      if (!helloLimiter.take(connection.meta.ip)) throw errors.rateLimited();
      let result;
      try {
        result = await service.visitors.hello({
          siteKey: frame.siteKey,
          token: frame.token,
          page: frame.page,
          language: frame.language,
          userAgent: connection.meta.userAgent,
          origin: connection.meta.origin,
          selfOrigins: selfOrigins(connection.meta.host),
        });
      } catch (error) {
        // A foreign page or an unknown site: say why, then hang up.
        if (error instanceof AppError && (error.code === 'origin_forbidden' || error.code === 'not_found')) {
          connection.reject(frame.ref, error);
          connection.close(CLOSE_CODES.policy, error.code);
          return;
        }
        throw error;
      }
      connection.visitorId = result.visitorId;
      connection.siteId = result.siteId;
      connection.ready = true;
      registry.add(connection);
      connection.send({
        type: 'v.welcome',
        ...(frame.ref ? { ref: frame.ref } : {}),
        protocol: VISITOR_PROTOCOL_VERSION,
        token: result.token,
        config: result.config,
        chat: result.chat,
        messages: result.messages,
      });
    },
    async 'v.start'(connection, frame) {
      const visitorId = visitorOf(connection);
      if (!startLimiter.take(connection.meta.ip)) throw errors.rateLimited('Too many chats from this address; wait a little.');
      const first = frame.message ? { clientId: frame.clientId ?? newClientId(), body: frame.message } : undefined;
      const started = await service.visitors.start(visitorId, { name: frame.name, email: frame.email, departmentId: frame.departmentId, fields: frame.fields, firstMessage: first });
      if (first) {
        // Into a chat that was already open (another tab started it), the message goes like any other.
        const message = started.message ?? (await service.relay.fromVisitor(visitorId, first.clientId, first.body));
        connection.send({ type: 'v.ack', clientId: first.clientId, messageId: message.id, seq: message.seq });
      }
      const chat = started.view ?? (await service.visitors.route(started.chat.id)) ?? (await service.visitors.view(started.chat));
      connection.send({ type: 'v.chat', chat });
      ok(connection, frame.ref);
    },
    async 'v.send'(connection, frame) {
      const message = await service.relay.fromVisitor(visitorOf(connection), frame.clientId, frame.body);
      connection.send({ type: 'v.ack', ...(frame.ref ? { ref: frame.ref } : {}), clientId: frame.clientId, messageId: message.id, seq: message.seq });
    },
    async 'v.typing'(connection, frame) {
      await service.relay.visitorTyping(visitorOf(connection), frame.state);
      ok(connection, frame.ref);
    },
    async 'v.page'(connection, frame) {
      await service.visitors.page(visitorOf(connection), frame.page);
      ok(connection, frame.ref);
    },
    async 'v.read'(connection, frame) {
      await service.visitors.read(visitorOf(connection), frame.seq);
      ok(connection, frame.ref);
    },
    async 'v.close'(connection, frame) {
      await service.visitors.close(visitorOf(connection));
      ok(connection, frame.ref);
    },
    async 'v.offline'(connection, frame) {
      const visitorId = visitorOf(connection);
      if (!offlineLimiter.take(connection.meta.ip)) throw errors.rateLimited('Too many messages from this address; wait a little.');
      const visitor = await service.visitors.requireVisitor(visitorId);
      await service.offline.leave({
        siteId: visitor.siteId,
        visitorId,
        name: frame.name,
        email: frame.email,
        message: frame.message,
        departmentId: frame.departmentId,
        pageUrl: visitor.page?.url ?? null,
      });
      ok(connection, frame.ref);
    },
    async 'v.ping'(connection, frame) {
      connection.send({ type: 'v.pong', ...(frame.ref ? { ref: frame.ref } : {}) });
    },
  };

  return (connection, frame) => (handlers[frame.type] as (connection: VisitorConnection, frame: VisitorClientFrame) => Promise<void>)(connection, frame);
}
