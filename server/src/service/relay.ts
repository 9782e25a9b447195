import type { ChatMessage } from '@switchboard/protocol';
import { AppError, errors } from '../errors.js';
import type { ServiceRepositories } from './store/index.js';
import type { ChatRecord } from './store/chats.js';
import type { VisitorRecord } from './store/visitors.js';
import type { ChatAppendOutcome, NewChatMessage, StoredChatMessage } from './store/messages.js';
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

  private async intoChat(chat: ChatRecord, visitor: VisitorRecord | undefined, clientId: string, body: string): Promise<ChatMessage> {
    const outcome = await this.serial.run(chat.id, () => this.repos.messages.append(newMessageFromVisitor(chat, visitor, clientId, body), this.now()));
    return visitorMessage(await this.settle(chat, outcome));
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

  private async settle(chat: ChatRecord, outcome: ChatAppendOutcome): Promise<StoredChatMessage> {
    const { message, stored } = settled(outcome);
    if (stored) await this.notify.message(chat, message);
    return message;
  }
}

/** A visitor's message into their chat, as the store takes it. */
export function newMessageFromVisitor(chat: ChatRecord, visitor: VisitorRecord | undefined, clientId: string, body: string): NewChatMessage {
  return { chatId: chat.id, author: 'visitor', agentId: null, authorName: visitor?.name ?? null, senderKey: `v:${chat.visitorId}`, clientId, body, visible: true };
}

/** The message an append left in the chat, `stored` by this append (else a resend's original); throws when there is none. */
export function settled(outcome: ChatAppendOutcome): { message: StoredChatMessage; stored: boolean } {
  switch (outcome.status) {
    case 'closed':
      throw errors.notFound('Chat');
    case 'client_id_reused':
      throw new AppError('conflict', 'This clientId was already used for another message.');
    case 'duplicate':
      return { message: outcome.message, stored: false };
    case 'stored':
      return { message: outcome.message, stored: true };
  }
}
