import type { FastifyInstance } from 'fastify';
import { ChangePasswordRequest, LoginRequest, permissionsFor } from '@switchboard/protocol';
import type { ImServer } from '../../../im/index.js';
import { publicUser } from '../../../store/repositories/users.js';
import { authOf, clearSessionCookie, readToken, setSessionCookie, type Guards } from '../session.js';
import { validate } from '../validate.js';

export function authRoutes(app: FastifyInstance, im: ImServer, guards: Guards, secureCookies: 'auto' | 'true' | 'false'): void {
  app.post('/api/auth/login', { preHandler: [guards.csrf] }, async (request, reply) => {
    const body = validate(LoginRequest, request.body);
    const answer = await im.auth.login(body.username, body.password, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    // Session rotation: a login always issues a new session, and ends the one this client came
    // with (another user's, or a planted one), so no session id outlives a login in the same browser.
    const previous = await im.auth.authenticate(readToken(request).token);
    if (previous) await im.auth.logout(previous.sessionId);
    setSessionCookie(reply, request, answer.token, answer.expiresAt, secureCookies);
    return answer;
  });

  app.post('/api/auth/logout', { preHandler: [guards.csrf, guards.authenticate] }, async (request, reply) => {
    await im.auth.logout(authOf(request).sessionId);
    clearSessionCookie(reply);
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { preHandler: [guards.authenticate] }, async (request) => {
    const { user } = authOf(request);
    return { user: publicUser(user), permissions: permissionsFor(user.roles) };
  });

  app.post('/api/auth/password', { preHandler: [guards.csrf, guards.authenticate] }, async (request, reply) => {
    const body = validate(ChangePasswordRequest, request.body);
    await im.auth.changePassword(authOf(request), body.currentPassword, body.newPassword, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    return reply.code(204).send();
  });
}
