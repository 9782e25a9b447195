import { newClientId, type DutyStatus, type RoutingRule, type ServerFrameOf, type VisitorChatView } from '@switchboard/protocol';
import type { TestServer, TestUser } from './testServer.js';
import type { TestSocket } from './testSocket.js';
import type { TestVisitor } from './testVisitor.js';

export interface TestAgent {
  user: TestUser;
  socket: TestSocket;
}

/** Helpers for customer-service integration tests. Every wait has a deadline; nothing sleeps. */
export function serviceKit(server: TestServer) {
  const service = server.node.service;

  async function setDuty(agent: TestAgent, status: DutyStatus): Promise<void> {
    const ref = `duty-${Math.random().toString(36).slice(2)}`;
    agent.socket.send({ type: 'duty.set', ref, status });
    await agent.socket.next('ok', (frame) => frame.ref === ref);
  }

  /** A new agent, connected, with the given capacity/priority/departments, on duty unless told otherwise. */
  async function agent(options: { priority?: number; maxChats?: number; departmentIds?: string[]; status?: DutyStatus | 'none' } = {}): Promise<TestAgent> {
    const user = await server.createUser(['agent']);
    if (options.priority !== undefined || options.maxChats !== undefined || options.departmentIds !== undefined) {
      await service.admin.updateAgent(
        { id: user.id, username: user.username, displayName: `User ${user.username}` },
        {
          ...(options.priority !== undefined ? { priority: options.priority } : {}),
          ...(options.maxChats !== undefined ? { maxChats: options.maxChats } : {}),
          ...(options.departmentIds !== undefined ? { departmentIds: options.departmentIds } : {}),
        },
      );
    }
    const socket = await server.connect(user);
    await socket.waitFor('duty');
    const result = { user, socket };
    const status = options.status ?? 'available';
    if (status !== 'none') await setDuty(result, status);
    return result;
  }

  /** A visitor who starts a chat with a first message; resolves with the chat view after routing. */
  async function visitorChat(name: string, options: { message?: string; departmentId?: string; email?: string } = {}): Promise<{ visitor: TestVisitor; chat: VisitorChatView }> {
    const visitor = await server.visitor();
    const ok = await visitor.request({
      type: 'v.start',
      name,
      ...(options.email ? { email: options.email } : {}),
      ...(options.departmentId ? { departmentId: options.departmentId } : {}),
      message: options.message ?? `Hello from ${name}`,
      clientId: newClientId(),
    });
    if (ok.type !== 'v.ok') throw new Error(`v.start failed: ${JSON.stringify(ok)}`);
    // The answer to v.start is the v.chat right before its v.ok (queue updates may come earlier).
    const chat = visitor.received('v.chat').at(-1)?.chat;
    if (!chat) throw new Error('v.start answered without v.chat');
    return { visitor, chat };
  }

  /** The visitor.chat frame that shows `name`'s chat assigned to this agent. */
  function assignedTo(agent: TestAgent, name: string, timeoutMs = 5000): Promise<ServerFrameOf<'visitor.chat'>> {
    return agent.socket.waitFor('visitor.chat', (frame) => frame.chat.visitor.name === name && frame.chat.assigneeId === agent.user.id, timeoutMs);
  }

  async function rule(routingRule: RoutingRule, replyTimeoutSeconds = 0): Promise<void> {
    await service.admin.updateSettings({ routingRule, replyTimeoutSeconds });
  }

  /** Between tests: everyone off duty and every open chat closed, so tests do not see each other's chats. */
  async function reset(): Promise<void> {
    for (const row of await service.repos.agents.list()) if (row.dutyStatus !== 'off') await service.duty.gone(row.userId, 'agent');
    for (const chat of await service.repos.chats.queued(1000)) await service.closing.close(chat.id, 'system', { code: 'chat_closed_missed', params: {} });
    await service.admin.updateSettings({ routingRule: 'round_robin', replyTimeoutSeconds: 0 });
  }

  return { service, agent, setDuty, visitorChat, assignedTo, rule, reset };
}
