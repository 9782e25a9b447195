import { AppError, errors } from '../../errors.js';
import type { ServiceBridge } from '../../im/serviceBridge.js';
import type { Connection } from './connection.js';
import type { AgentFrameType, Handlers } from './handlers.js';

/** The agent side of the IM WebSocket: frame handlers plus the connection lifecycle hooks. */
export interface AgentGateway {
  handlers: Handlers<AgentFrameType>;
  /** After `welcome`: the agent's duty and open visitor chats follow. */
  onReady(connection: Connection): Promise<void>;
  /** A ready connection closed (`sessionEnded`: logout, disabled, password change). */
  onClosed(connection: Connection, sessionEnded: boolean): void;
}

/**
 * Agent frames before the customer-service system is attached: each is refused with a typed
 * error. The CS system's bridge replaces this with its own handlers.
 */
export function serviceUnavailableHandlers(): Handlers<AgentFrameType> {
  const refuse = async () => {
    throw new AppError('unavailable', 'Customer service is not available on this server.');
  };
  return { 'duty.set': refuse, 'visitor.send': refuse, 'visitor.note': refuse, 'visitor.typing': refuse, 'visitor.close': refuse, 'visitor.transfer': refuse, 'visitor.invite': refuse };
}

export function serviceUnavailableGateway(): AgentGateway {
  return { handlers: serviceUnavailableHandlers(), onReady: async () => {}, onClosed: () => {} };
}

function isAgent(connection: Connection): boolean {
  return connection.auth.permissions.includes('cs.agent');
}

/**
 * Agent frames with the CS system attached: check the `cs.agent` permission, hand the command to
 * the CS system over the bus, answer when it has committed (patent step e: agent → IM server → CS).
 */
export function serviceAgentGateway(bridge: ServiceBridge): AgentGateway {
  const agent = (connection: Connection) => {
    if (!isAgent(connection)) throw errors.forbidden('Customer service needs the agent permission.');
    return { id: connection.userId, name: connection.auth.user.displayName };
  };
  const ok = (connection: Connection, ref: string | undefined) => {
    if (ref) connection.send({ type: 'ok', ref });
  };

  const handlers: Handlers<AgentFrameType> = {
    async 'duty.set'(connection, frame) {
      const { id, name } = agent(connection);
      await bridge.request(id, name, { kind: 'duty.set', status: frame.status });
      ok(connection, frame.ref);
    },
    async 'visitor.send'(connection, frame) {
      const { id, name } = agent(connection);
      const { message } = await bridge.request(id, name, { kind: 'send', chatId: frame.chatId, clientId: frame.clientId, body: frame.body });
      connection.send({ type: 'visitor.ack', ...(frame.ref ? { ref: frame.ref } : {}), chatId: message.chatId, clientId: frame.clientId, messageId: message.id, seq: message.seq });
    },
    async 'visitor.note'(connection, frame) {
      const { id, name } = agent(connection);
      const { message } = await bridge.request(id, name, { kind: 'note', chatId: frame.chatId, clientId: frame.clientId, body: frame.body });
      connection.send({ type: 'visitor.ack', ...(frame.ref ? { ref: frame.ref } : {}), chatId: message.chatId, clientId: frame.clientId, messageId: message.id, seq: message.seq });
    },
    async 'visitor.typing'(connection, frame) {
      const { id, name } = agent(connection);
      await bridge.request(id, name, { kind: 'typing', chatId: frame.chatId, state: frame.state });
      ok(connection, frame.ref);
    },
    async 'visitor.close'(connection, frame) {
      const { id, name } = agent(connection);
      await bridge.request(id, name, { kind: 'close', chatId: frame.chatId });
      ok(connection, frame.ref);
    },
    async 'visitor.transfer'(connection, frame) {
      const { id, name } = agent(connection);
      await bridge.request(id, name, { kind: 'transfer', chatId: frame.chatId, to: frame.to });
      ok(connection, frame.ref);
    },
    async 'visitor.invite'(connection, frame) {
      const { id, name } = agent(connection);
      await bridge.request(id, name, { kind: 'invite', chatId: frame.chatId, agentId: frame.agentId });
      ok(connection, frame.ref);
    },
  };

  return {
    handlers,
    async onReady(connection) {
      if (!isAgent(connection)) return;
      bridge.agentConnected(connection.userId);
      const { status, chats } = await bridge.request(connection.userId, connection.auth.user.displayName, { kind: 'sync' });
      connection.send({ type: 'duty', status });
      for (const chat of chats) connection.send({ type: 'visitor.chat', chat });
    },
    onClosed(connection, sessionEnded) {
      if (isAgent(connection)) bridge.agentDisconnected(connection.userId, sessionEnded);
    },
  };
}
