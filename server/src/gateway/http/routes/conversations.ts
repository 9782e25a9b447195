import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AddMembersRequest, CreateConversationRequest, EntityId, HistoryQuery, RenameConversationRequest } from '@switchboard/protocol';
import type { ImServer } from '../../../im/index.js';
import { publicUser } from '../../../store/repositories/users.js';
import { authOf, type Guards } from '../session.js';
import { validate } from '../validate.js';

const ConversationParams = z.object({ id: EntityId });
const MemberParams = z.object({ id: EntityId, userId: EntityId });

export function conversationRoutes(app: FastifyInstance, im: ImServer, guards: Guards): void {
  const read = { preHandler: [guards.authenticate, guards.requirePermission('im.chat')] };
  const write = { preHandler: [guards.csrf, guards.authenticate, guards.requirePermission('im.chat')] };

  app.get('/api/users', read, async () => {
    const users = (await im.repos.users.list()).filter((user) => !user.disabled);
    return { users: users.map((user) => ({ user: publicUser(user), presence: im.presence.get(user.id) })) };
  });

  app.get('/api/conversations', read, async (request) => ({ conversations: await im.conversations.list(authOf(request).user.id) }));

  app.post('/api/conversations', write, async (request) => {
    const body = validate(CreateConversationRequest, request.body);
    const userId = authOf(request).user.id;
    const conversation =
      body.kind === 'direct' ? await im.conversations.openDirect(userId, body.userId) : await im.conversations.createGroup(userId, body.title, body.memberIds);
    return { conversation };
  });

  app.get('/api/conversations/:id', read, async (request) => {
    const { id } = validate(ConversationParams, request.params);
    return { conversation: await im.conversations.get(authOf(request).user.id, id) };
  });

  app.patch('/api/conversations/:id', write, async (request) => {
    const { id } = validate(ConversationParams, request.params);
    const body = validate(RenameConversationRequest, request.body);
    return { conversation: await im.conversations.rename(authOf(request).user.id, id, body.title) };
  });

  app.post('/api/conversations/:id/members', write, async (request) => {
    const { id } = validate(ConversationParams, request.params);
    const body = validate(AddMembersRequest, request.body);
    return { conversation: await im.conversations.addMembers(authOf(request).user.id, id, body.userIds) };
  });

  app.delete('/api/conversations/:id/members/:userId', write, async (request, reply) => {
    const { id, userId } = validate(MemberParams, request.params);
    await im.conversations.removeMember(authOf(request).user.id, id, userId);
    return reply.code(204).send();
  });

  app.get('/api/conversations/:id/messages', read, async (request) => {
    const { id } = validate(ConversationParams, request.params);
    const query = validate(HistoryQuery, request.query);
    return im.conversations.history(authOf(request).user.id, id, query.before, query.limit);
  });
}
