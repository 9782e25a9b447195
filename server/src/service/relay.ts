import type { ChatMessage } from '@switchboard/protocol';
import { AppError, errors } from '../errors.js';
import type { ServiceRepositories } from './store/index.js';
import type { ChatRecord } from './store/chats.js';
import type { VisitorRecord } from './store/visitors.js';
import type { ChatAppendOutcome, StoredChatMessage } from './store/messages.js';
import type { Notifier } from './notify.js';
import { KeyedSerial } from './serial.js';
import { agentMessage, visitorMessage } from './views.js';

/**
 * Relay (patent step e): visitor page → CS system → IM server → agent, and back. Every message is
 * stored first (per-chat sequence, client-id idempotency) and only then acknowledged and delivered.
 */
export class Relay {
  private readonly serial = new KeyedSerial();

  constructor(
    private readonly repos: ServiceRepositories,
    private readonly notify: Notifier,
    private readonly now: () => number,
  ) {}

  /** A visitor's message into their open chat; the visitor's view of the stored message. */
  async fromVisitor(visitorId: string, clientId: string, body: string): Promise<ChatMessage> {
    const chat = await this.repos.chats.openForVisitor(visitorId);
    if (!chat) throw errors.notFound('Chat');
    const visitor = await this.repos.visitors.find(visitorId);
    return this.intoChat(chat, visitor, clientId, body);
  }

  /** The first message, into the chat `visitor` just started (nobody is in it yet). */
  firstMessage(chat: ChatRecord, visitor: VisitorRecord, clientId: string, body: string): Promise<ChatMessage> {
    return this.intoChat(chat, visitor, clientId, body, []);
  }

  private async intoChat(chat: ChatRecord, visitor: VisitorRecord | undefined, clientId: string, body: string, agentIds?: readonly string[]): Promise<ChatMessage> {
    const outcome = await this.serial.run(chat.id, () =>
      this.repos.messages.append(
        { chatId: chat.id, author: 'visitor', agentId: null, authorName: visitor?.name ?? null, senderKey: `v:${chat.visitorId}`, clientId, body, visible: true },
        this.now(),
      ),
    );
    return visitorMessage(await this.settle(chat, outcome, agentIds));
  }

  /** An agent's reply (or internal note) in a chat they are in; the agent's view of the stored message. */
  async fromAgent(agentId: string, agentName: string, chatId: string, clientId: string, body: string, note: boolean): Promise<ChatMessage> {
    const chat = await this.requireAgentIn(agentId, chatId);
    const outcome = await this.serial.run(chat.id, () =>
      this.repos.messages.append(
        { chatId, author: note ? 'note' : 'agent', agentId, authorName: agentName, senderKey: `a:${agentId}`, clientId, body, visible: !note },
        this.now(),
        { replied: !note },
      ),
    );
    return agentMessage(await this.settle(chat, outcome));
  }

  async visitorTyping(visitorId: string, state: 'start' | 'stop'): Promise<void> {
    const chat = await this.repos.chats.openForVisitor(visitorId);
    if (!chat || chat.status !== 'assigned') return;
    const invitees = await this.repos.chats.inviteesOf([chat.id]);
    const agentIds = [...(chat.assigneeId ? [chat.assigneeId] : []), ...(invitees.get(chat.id) ?? [])];
    this.notify.toAgents({ kind: 'typing', agentIds, chatId: chat.id, state });
  }

  async agentTyping(agentId: string, chatId: string, state: 'start' | 'stop'): Promise<void> {
    const chat = await this.requireAgentIn(agentId, chatId);
    this.notify.toVisitor(chat.visitorId, { type: 'v.typing', state });
  }

  /** The open chat `agentId` holds or was invited to; not_found otherwise (whether or not it exists). */
  async requireAgentIn(agentId: string, chatId: string): Promise<ChatRecord> {
    const chat = await this.repos.chats.find(chatId);
    if (!chat || chat.status === 'closed') throw errors.notFound('Chat');
    if (chat.status === 'assigned' && chat.assigneeId === agentId) return chat;
    const invitees = await this.repos.chats.inviteesOf([chatId]);
    if (invitees.get(chatId)?.includes(agentId)) return chat;
    throw errors.notFound('Chat');
  }

  private async settle(chat: ChatRecord, outcome: ChatAppendOutcome, agentIds?: readonly string[]): Promise<StoredChatMessage> {
    switch (outcome.status) {
      case 'closed':
        throw errors.notFound('Chat');
      case 'client_id_reused':
        throw new AppError('conflict', 'This clientId was already used for another message.');
      case 'duplicate':
        return outcome.message;
      case 'stored':
        await this.notify.message(chat, outcome.message, agentIds);
        return outcome.message;
    }
  }
}
