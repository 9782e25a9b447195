import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CreateUserRequest, EntityId, UpdateUserRequest } from '@switchboard/protocol';
import type { ImServer } from '../../../im/index.js';
import { authOf, type Guards } from '../session.js';
import { validate } from '../validate.js';

const UserParams = z.object({ id: EntityId });
const AuditQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export function adminRoutes(app: FastifyInstance, im: ImServer, guards: Guards): void {
  const read = { preHandler: [guards.authenticate, guards.requirePermission('admin.users')] };
  const write = { preHandler: [guards.csrf, guards.authenticate, guards.requirePermission('admin.users')] };

  app.get('/api/admin/users', read, async () => ({ users: await im.accounts.list() }));

  app.post('/api/admin/users', write, async (request, reply) => {
    const body = validate(CreateUserRequest, request.body);
    const user = await im.accounts.create(authOf(request).user.id, body);
    return reply.code(201).send({ user });
  });

  app.patch('/api/admin/users/:id', write, async (request) => {
    const { id } = validate(UserParams, request.params);
    const body = validate(UpdateUserRequest, request.body);
    return { user: await im.accounts.update(authOf(request).user.id, id, body) };
  });

  app.get('/api/admin/audit', read, async (request) => {
    const { limit } = validate(AuditQuery, request.query);
    return { entries: await im.repos.audit.recent(limit) };
  });
}
