import type { Message } from '@switchboard/protocol';
import type { Bus } from '../bus/bus.js';
import { errors, toAppError, type AppError } from '../errors.js';
import type { ImRepositories } from '../store/index.js';
import type { AppendOutcome, AppendRequest } from '../store/repositories/messages.js';

export interface SendResult {
  message: Message;
  /** True when this client id was stored before: nothing new was written or delivered. */
  duplicate: boolean;
}

interface Pending {
  request: AppendRequest;
  resolve: (result: SendResult) => void;
  reject: (error: AppError) => void;
}

const MAX_BATCH = 500;

/**
 * Store then forward (patent step g). Sends queue up while a transaction is in flight and are
 * committed together (group commit); each promise resolves only after its commit, and only then
 * is the message delivered to the members. A failed commit rejects every send in the batch with a
 * retryable error: the client resends with the same client id and the message is stored once.
 */
export class MessageSender {
  private queue: Pending[] = [];
  private flushing = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly repos: ImRepositories,
    private readonly bus: Bus,
    private readonly onError: (error: unknown) => void,
  ) {}

  send(request: AppendRequest): Promise<SendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Resolves once every queued send has been committed or failed (for graceful shutdown). */
  drain(): Promise<void> {
    if (!this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async edit(userId: string, conversationId: string, messageId: string, body: string): Promise<Message> {
    const message = await this.ownMessage(userId, conversationId, messageId);
    if (message.deletedAt !== null) throw errors.conflict('A deleted message cannot be edited.');
    const updated = await this.repos.messages.edit(conversationId, messageId, body, Date.now());
    return this.announceUpdate(updated);
  }

  async remove(userId: string, conversationId: string, messageId: string): Promise<Message> {
    await this.ownMessage(userId, conversationId, messageId);
    const updated = await this.repos.messages.markDeleted(conversationId, messageId, Date.now());
    return this.announceUpdate(updated);
  }

  private async ownMessage(userId: string, conversationId: string, messageId: string): Promise<Message> {
    const message = (await this.repos.conversations.isMember(conversationId, userId))
      ? await this.repos.messages.find(conversationId, messageId)
      : undefined;
    if (!message) throw errors.notFound('Message');
    if (message.senderId !== userId) throw errors.forbidden('You can only change your own messages.');
    return message;
  }

  private async announceUpdate(message: Message | undefined): Promise<Message> {
    if (!message) throw errors.notFound('Message');
    const members = await this.repos.conversations.memberIds(message.conversationId);
    this.bus.publish('deliver', { recipients: { userIds: members }, frame: { type: 'message.updated', message } });
    return message;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      let outcomes: AppendOutcome[];
      try {
        outcomes = await this.repos.messages.appendBatch(
          batch.map((pending) => pending.request),
          Date.now(),
        );
      } catch (error) {
        this.onError(error);
        const failure = toAppError(error);
        const retryable = failure.code === 'internal' ? errors.unavailable('The message could not be stored; resend it.') : failure;
        for (const pending of batch) pending.reject(retryable);
        continue;
      }
      batch.forEach((pending, index) => this.settle(pending, outcomes[index]));
    }
    this.flushing = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private settle(pending: Pending, outcome: AppendOutcome | undefined): void {
    if (!outcome || outcome.status === 'not_member') {
      pending.reject(errors.notFound('Conversation'));
      return;
    }
    if (outcome.status === 'client_id_reused') {
      pending.reject(errors.conflict('This clientId was already used for another message.'));
      return;
    }
    if (outcome.status === 'duplicate') {
      pending.resolve({ message: outcome.message, duplicate: true });
      return;
    }
    pending.resolve({ message: outcome.message, duplicate: false });
    this.bus.publish('deliver', { recipients: { userIds: outcome.recipients }, frame: { type: 'message', message: outcome.message } });
  }
}
