import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Permission } from '@switchboard/protocol';
import { AppError, errors } from '../../errors.js';
import type { AuthContext, AuthService } from '../../im/auth.js';
import type { OriginPolicy } from '../origins.js';

export const SESSION_COOKIE = 'sb_session';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

/** The session token from `Authorization: Bearer …` or, for browsers, the session cookie. */
export function readToken(request: { headers: Record<string, string | string[] | undefined>; cookies?: Record<string, string | undefined> }): {
  token: string | undefined;
  viaCookie: boolean;
} {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return { token: header.slice(7).trim(), viaCookie: false };
  return { token: request.cookies?.[SESSION_COOKIE], viaCookie: true };
}

export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, token: string, expiresAt: number, secure: 'auto' | 'true' | 'false'): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: secure === 'true' || (secure === 'auto' && request.protocol === 'https'),
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/**
 * Route guards, used as Fastify preHandlers in the order: csrf → authenticate → permission.
 * A write that names an Origin must name an allowed one, and a write that carries the session
 * cookie must name one (browsers always do); bearer tokens are never sent by a browser on its own.
 */
export function createGuards(auth: AuthService, origins: OriginPolicy) {
  const csrf = async (request: FastifyRequest) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const origin = request.headers.origin;
    const { token, viaCookie } = readToken(request);
    const allowed = origin === undefined ? !(viaCookie && token) : origins.isAllowed(origin, request.headers.host);
    if (!allowed) throw new AppError('csrf', 'This request must come from the Switchboard page itself.');
  };
  const authenticate = async (request: FastifyRequest) => {
    const context = await auth.authenticate(readToken(request).token);
    if (!context) throw errors.unauthorized();
    request.auth = context;
  };
  const requirePermission = (permission: Permission) => async (request: FastifyRequest) => {
    if (!request.auth?.permissions.includes(permission)) throw errors.forbidden();
  };
  return { csrf, authenticate, requirePermission };
}

export type Guards = ReturnType<typeof createGuards>;

/** The authenticated context of a request that passed `authenticate`. */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw errors.unauthorized();
  return request.auth;
}
