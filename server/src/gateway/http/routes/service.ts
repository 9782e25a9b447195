import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AskColleagueRequest, ChatHistoryQuery, EntityId, newClientId, TranscriptsQuery } from '@switchboard/protocol';
import { errors } from '../../../errors.js';
import type { ImServer } from '../../../im/index.js';
import type { ServiceSystem } from '../../../service/index.js';
import { chatEvent } from '../../../service/announce.js';
import { authOf, type Guards } from '../session.js';
import { validate } from '../validate.js';

const IdParams = z.object({ id: EntityId });

/**
 * Agents' HTTP routes (permission cs.agent): their open chats, any chat's summary and history
 * (notes included), a visitor's earlier chats, transcript search, colleagues and departments, and
 * "ask a colleague". Writes in a chat go over the WebSocket (visitor.* frames).
 */
export function serviceRoutes(app: FastifyInstance, service: ServiceSystem, im: ImServer, guards: Guards): void {
  const agentOrServiceAdmin = async (request: FastifyRequest) => {
    const permissions = request.auth?.permissions ?? [];
    if (!permissions.includes('cs.agent') && !permissions.includes('admin.service')) throw errors.forbidden();
  };
  const read = { preHandler: [guards.authenticate, agentOrServiceAdmin] };
  const agentRead = { preHandler: [guards.authenticate, guards.requirePermission('cs.agent')] };
  const agentWrite = { preHandler: [guards.csrf, guards.authenticate, guards.requirePermission('cs.agent')] };

  app.get('/api/service/chats', agentRead, async (request) => ({ chats: await service.transcripts.openFor(authOf(request).user.id) }));

  app.get('/api/service/chats/:id', read, async (request) => {
    const { id } = validate(IdParams, request.params);
    return { chat: await service.transcripts.chat(id) };
  });

  app.get('/api/service/chats/:id/messages', read, async (request) => {
    const { id } = validate(IdParams, request.params);
    const query = validate(ChatHistoryQuery, request.query);
    return service.transcripts.history(id, query.before, query.limit);
  });

  app.get('/api/service/visitors/:id/chats', read, async (request) => {
    const { id } = validate(IdParams, request.params);
    return { chats: await service.transcripts.visitorChats(id) };
  });

  app.get('/api/service/transcripts', read, async (request) => {
    const query = validate(TranscriptsQuery, request.query);
    return service.transcripts.search(query);
  });

  app.get('/api/service/departments', read, async () => ({ departments: await service.admin.departments() }));

  /** Colleagues who can take or join a chat (users with the agent role), with duty and load. */
  app.get('/api/service/agents', read, async () => ({ agents: await service.admin.agents(await agentUsers(im)) }));

  /**
   * Ask a colleague: a message in the IM direct chat with them (opened if needed), with a link to
   * the visitor chat and what it is about. The asker must be in the chat.
   */
  app.post('/api/service/chats/:id/ask', agentWrite, async (request) => {
    const { id } = validate(IdParams, request.params);
    const body = validate(AskColleagueRequest, request.body);
    const asker = authOf(request).user;
    if (body.userId === asker.id) throw errors.badRequest('Ask someone else.');
    const chat = await service.relay.requireAgentIn(asker.id, id);
    const text = await service.transcripts.helpRequest(id, body.note);
    const conversation = await im.conversations.openDirect(asker.id, body.userId);
    const { message } = await im.sender.send({ conversationId: conversation.id, senderId: asker.id, clientId: newClientId(), kind: 'text', body: text });
    const colleague = await im.repos.users.findById(body.userId);
    await service.lines.post(chat, chatEvent('help_requested', { agent: asker.displayName, colleague: colleague?.displayName }), false);
    return { conversationId: conversation.id, messageId: message.id };
  });
}

/** Users with the agent role, for the CS system (which has no user table of its own). */
export async function agentUsers(im: ImServer) {
  const users = await im.repos.users.list();
  return users.filter((user) => user.roles.includes('agent') && !user.disabled).map((user) => ({ id: user.id, username: user.username, displayName: user.displayName }));
}
