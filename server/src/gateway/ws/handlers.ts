import { CLOSE_CODES, LIMITS, PROTOCOL_VERSION, type ClientFrame } from '@switchboard/protocol';
import { AppError } from '../../errors.js';
import type { ConcurrencyGate } from '../../store/concurrencyGate.js';
import type { ImServer } from '../../im/index.js';
import { publicUser } from '../../store/repositories/users.js';
import type { Connection, FrameHandler } from './connection.js';
import type { AgentGateway } from './agentHandlers.js';
import type { ConnectionRegistry } from './registry.js';

export type Handlers<Types extends ClientFrame['type']> = {
  [T in Types]: (connection: Connection, frame: Extract<ClientFrame, { type: T }>) => Promise<void>;
};
export type AgentFrameType = Extract<ClientFrame['type'], 'duty.set' | `visitor.${string}`>;
export type ImFrameType = Exclude<ClientFrame['type'], AgentFrameType>;

/** What each client frame does: a thin call into the IM server's commands. */
/**
 * `storeReads` gates the reads a (re)connecting client causes (welcome, catch-up), so a storm of
 * them queues in order instead of timing out in the database pool.
 */
export function createFrameHandler(im: ImServer, registry: ConnectionRegistry, agent: AgentGateway, storeReads: ConcurrencyGate): FrameHandler {
  const audience = registry.presenceAudience;
  const imHandlers: Handlers<ImFrameType> = {
    async hello(connection, frame) {
      if (frame.protocol !== PROTOCOL_VERSION) {
        connection.reject(frame.ref, new AppError('unsupported_version', `This server speaks protocol ${PROTOCOL_VERSION}; reload the page.`));
        connection.close(CLOSE_CODES.unsupportedVersion, 'unsupported protocol version');
        return;
      }
      if (connection.ready) throw new AppError('conflict', 'hello was already sent.');
      // Subscribe first, then read state: anything committed after this point is delivered live,
      // anything before is in the welcome or the sync that follows (no gap between the two).
      connection.ready = true;
      registry.add(connection);
      const user = connection.auth.user;
      let conversations;
      try {
        conversations = await storeReads.run(() => im.conversations.list(user.id));
      } catch (error) {
        // Not welcomed: back to before the hello, so the client can simply say hello again.
        connection.ready = false;
        registry.remove(connection);
        throw error;
      }
      if (connection.closed) return;
      const contacts = new Set([user.id]);
      for (const conversation of conversations) for (const member of conversation.members) contacts.add(member.userId);
      audience.setContacts(user.id, contacts);
      im.presence.connect(connection.userId, connection.id);
      connection.send({
        type: 'welcome',
        ...(frame.ref ? { ref: frame.ref } : {}),
        protocol: PROTOCOL_VERSION,
        user: publicUser(user),
        permissions: connection.auth.permissions,
        conversations,
        presence: im.presence.snapshot([...contacts]),
        serverTime: Date.now(),
      });
      // Agents: their duty and open visitor chats, right after the welcome.
      await agent.onReady(connection);
    },
    async sync(connection, frame) {
      const limit = frame.limit ?? LIMITS.maxPageSize;
      for (const cursor of frame.cursors) {
        const page = await storeReads.run(() => im.conversations.since(connection.userId, cursor.conversationId, cursor.afterSeq, limit));
        if (!page) continue;
        connection.send({ type: 'sync.batch', ...(frame.ref ? { ref: frame.ref } : {}), conversationId: cursor.conversationId, messages: page.messages, hasMore: page.hasMore });
      }
      connection.send({ type: 'sync.done', ...(frame.ref ? { ref: frame.ref } : {}) });
    },
    async send(connection, frame) {
      const { message } = await im.sender.send({
        conversationId: frame.conversationId,
        senderId: connection.userId,
        clientId: frame.clientId,
        kind: 'text',
        body: frame.body,
      });
      connection.send({
        type: 'ack',
        ...(frame.ref ? { ref: frame.ref } : {}),
        clientId: frame.clientId,
        conversationId: message.conversationId,
        messageId: message.id,
        seq: message.seq,
        createdAt: message.createdAt,
      });
    },
    async edit(connection, frame) {
      await im.sender.edit(connection.userId, frame.conversationId, frame.messageId, frame.body);
      connection.send({ type: 'ok', ...(frame.ref ? { ref: frame.ref } : {}) });
    },
    async delete(connection, frame) {
      await im.sender.remove(connection.userId, frame.conversationId, frame.messageId);
      connection.send({ type: 'ok', ...(frame.ref ? { ref: frame.ref } : {}) });
    },
    async typing(connection, frame) {
      await im.conversations.typing(connection.userId, frame.conversationId, frame.state);
      if (frame.ref) connection.send({ type: 'ok', ref: frame.ref });
    },
    async read(connection, frame) {
      await im.conversations.markRead(connection.userId, frame.conversationId, frame.seq);
      if (frame.ref) connection.send({ type: 'ok', ref: frame.ref });
    },
    async 'presence.set'(connection, frame) {
      im.presence.setStatus(connection.userId, connection.id, frame.status);
      if (frame.ref) connection.send({ type: 'ok', ref: frame.ref });
    },
    async 'presence.subscribe'(connection, frame) {
      audience.subscribe(connection, frame.userIds);
      connection.send({ type: 'presence.snapshot', ...(frame.ref ? { ref: frame.ref } : {}), presence: im.presence.snapshot(frame.userIds) });
    },
    async ping(connection, frame) {
      connection.send({ type: 'pong', ...(frame.ref ? { ref: frame.ref } : {}), serverTime: Date.now() });
    },
  };
  const handlers: Handlers<ClientFrame['type']> = { ...imHandlers, ...agent.handlers };
  return (connection, frame) => (handlers[frame.type] as (connection: Connection, frame: ClientFrame) => Promise<void>)(connection, frame);
}
