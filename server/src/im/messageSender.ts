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
/** Most sends of failed commits remembered for recovery (see recoverUncertain). */
const MAX_UNCERTAIN = 10_000;

/** Counters since start, for the metrics route (the load harness takes differences). */
export interface SenderStats {
  /** Messages newly stored (acknowledged after their commit). */
  stored: number;
  /** Sends answered with the message stored before under the same client id. */
  duplicates: number;
  /** Sends that failed (not a member, reused client id, failed commit). */
  failed: number;
  /** Transactions committed, and the most sends one of them carried. */
  batches: number;
  largestBatch: number;
  /** Time spent in appendBatch, summed. */
  commitMs: number;
  /** Sends waiting for the next transaction right now. */
  queued: number;
}

type BatchResult = { outcomes: AppendOutcome[] } | { error: unknown };

/**
 * Store then forward (patent step g). Sends queue up while a transaction is in flight and are
 * committed together (group commit); each promise resolves only after its commit, and only then
 * is the message delivered to the members. A failed commit rejects every send in the batch with a
 * retryable error: the client resends with the same client id and the message is stored once.
 */
export class MessageSender {
  private queue: Pending[] = [];
  private pumpScheduled = false;
  private inFlight = 0;
  /** Conversations of the batches in flight: a send to one of them waits for the next batch. */
  private readonly busy = new Set<string>();
  /** A recovery of uncertain sends is looking them up (see recoverUncertain). */
  private recovering = false;
  private idle: (() => void)[] = [];
  /** Sends of batches whose commit failed: stored or not, nobody knows yet. */
  private readonly uncertain = new Map<string, AppendRequest>();
  /** Sends that recovery found stored and delivered: a resend failing again must not make them uncertain anew. */
  private readonly recovered = new Set<string>();
  private readonly counters = { stored: 0, duplicates: 0, failed: 0, batches: 0, largestBatch: 0, commitMs: 0 };

  constructor(
    private readonly repos: ImRepositories,
    private readonly bus: Bus,
    private readonly onError: (error: unknown) => void,
  ) {}

  send(request: AppendRequest): Promise<SendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.pumpScheduled && this.inFlight < this.batchLimit()) {
        this.pumpScheduled = true;
        setImmediate(() => {
          this.pumpScheduled = false;
          this.pump();
        });
      }
    });
  }

  stats(): SenderStats {
    return { ...this.counters, commitMs: Math.round(this.counters.commitMs), queued: this.queue.length };
  }

  /** Resolves once every queued send has been committed or failed (for graceful shutdown). */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
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

  /**
   * Starts batches while fewer than `batchesInFlight` are running. No waiting for company: a
   * batch is whatever arrived by the end of this event-loop turn, and grows by itself while the
   * running ones commit (a fixed 2 ms window was measured to add latency without moving the
   * knee). Batches in flight share no conversation: a send to a conversation that one of them
   * writes waits for the next batch, so a conversation's seqs follow the order of its sends and
   * its messages are delivered in seq order. (Two overlapping batches broke that on PostgreSQL:
   * the later one could lock a shared conversation first; docs/performance.md, section 6.)
   */
  private pump(): void {
    while (this.inFlight < this.batchLimit()) {
      const batch = this.takeBatch();
      if (batch.length === 0) break;
      this.inFlight += 1;
      const conversations = new Set(batch.map((pending) => pending.request.conversationId));
      for (const id of conversations) this.busy.add(id);
      void this.commit(batch).finally(() => {
        for (const id of conversations) this.busy.delete(id);
        this.inFlight -= 1;
        this.pump();
        if (this.isIdle()) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.queue.length === 0;
  }

  /**
   * One batch at a time while sends of a failed commit are unaccounted for: those found stored are
   * delivered before anything newer of their conversations, which a batch beside the recovering
   * one could otherwise deliver first.
   */
  private batchLimit(): number {
    return this.uncertain.size > 0 || this.recovering ? 1 : this.repos.messages.batchesInFlight;
  }

  /** Up to MAX_BATCH queued sends, in order, leaving those whose conversation is being written. */
  private takeBatch(): Pending[] {
    if (this.busy.size === 0 && this.queue.length <= MAX_BATCH) return this.queue.splice(0);
    const batch: Pending[] = [];
    const waiting: Pending[] = [];
    for (const pending of this.queue) {
      if (batch.length < MAX_BATCH && !this.busy.has(pending.request.conversationId)) batch.push(pending);
      else waiting.push(pending);
    }
    this.queue = waiting;
    return batch;
  }

  private async commit(batch: readonly Pending[]): Promise<void> {
    const result = await this.store(batch);
    try {
      await this.settleBatch(batch, result);
    } catch (error) {
      this.onError(error);
    }
  }

  /** The batch's transaction, timed; never rejects. */
  private async store(batch: readonly Pending[]): Promise<BatchResult> {
    const started = performance.now();
    try {
      return { outcomes: await this.repos.messages.appendBatch(batch.map((pending) => pending.request), Date.now()) };
    } catch (error) {
      return { error };
    } finally {
      this.counters.commitMs += performance.now() - started;
    }
  }

  private async settleBatch(batch: readonly Pending[], result: BatchResult): Promise<void> {
    if ('error' in result) {
      this.onError(result.error);
      const failure = toAppError(result.error);
      const retryable = failure.code === 'internal' ? errors.unavailable('The message could not be stored; resend it.') : failure;
      this.counters.failed += batch.length;
      for (const pending of batch) pending.reject(retryable);
      this.rememberUncertain(batch);
      return;
    }
    const { outcomes } = result;
    this.counters.batches += 1;
    if (batch.length > this.counters.largestBatch) this.counters.largestBatch = batch.length;
    for (const { message, recipients } of await this.recoverUncertain(batch, outcomes)) {
      this.bus.publish('deliver', { recipients: { userIds: recipients }, frame: { type: 'message', message } });
    }
    batch.forEach((pending, index) => this.settle(pending, outcomes[index]));
  }

  /**
   * A commit can fail after the database applied it: the connection drops while COMMIT is being
   * answered. Its senders are told `unavailable` and resend; the resend finds the message stored
   * and is acked as a duplicate, and duplicates are not delivered, so members who stayed connected
   * would never get it live. So the sends of a failed batch are remembered, and after the next
   * commit that succeeds, before its own messages go out, those found stored are delivered (in
   * seq order, which is before the new batch's).
   */
  private async recoverUncertain(batch: readonly Pending[], outcomes: readonly (AppendOutcome | undefined)[]): Promise<{ message: Message; recipients: string[] }[]> {
    if (this.uncertain.size === 0) return [];
    // A resend in this batch settles its own case: stored now (delivered by settle as usual), or
    // found stored already, by the uncertain commit, and never delivered.
    const storedBefore = new Map<string, AppendRequest>();
    batch.forEach((pending, index) => {
      const key = uncertainKey(pending.request);
      if (this.uncertain.delete(key) && outcomes[index]?.status === 'duplicate') storedBefore.set(key, pending.request);
    });
    // Taken before the first await: a batch settling meanwhile must not recover them again.
    const toFind = [...this.uncertain.values(), ...storedBefore.values()];
    this.uncertain.clear();
    this.recovering = true;
    try {
      const messages = await this.repos.messages.findByClientIds(toFind);
      const recipients = new Map<string, string[]>();
      for (const message of messages) {
        if (!recipients.has(message.conversationId)) recipients.set(message.conversationId, await this.repos.conversations.memberIds(message.conversationId));
      }
      for (const message of messages) remember(this.recovered, uncertainKey(message), MAX_UNCERTAIN);
      return messages.sort((a, b) => a.seq - b.seq).map((message) => ({ message, recipients: recipients.get(message.conversationId) ?? [] }));
    } catch (error) {
      // Unreachable again: try after the next successful commit.
      this.onError(error);
      for (const request of toFind) this.uncertain.set(uncertainKey(request), request);
      return [];
    } finally {
      this.recovering = false;
    }
  }

  private rememberUncertain(batch: readonly Pending[]): void {
    for (const { request } of batch) {
      const key = uncertainKey(request);
      if (this.recovered.has(key)) continue;
      this.uncertain.delete(key);
      this.uncertain.set(key, request);
    }
    // Bounded: a long outage fails many batches, and the oldest are the least likely to matter.
    for (const key of this.uncertain.keys()) {
      if (this.uncertain.size <= MAX_UNCERTAIN) break;
      this.uncertain.delete(key);
    }
  }

  private settle(pending: Pending, outcome: AppendOutcome | undefined): void {
    if (!outcome || outcome.status === 'not_member') {
      this.counters.failed += 1;
      pending.reject(errors.notFound('Conversation'));
      return;
    }
    if (outcome.status === 'client_id_reused') {
      this.counters.failed += 1;
      pending.reject(errors.conflict('This clientId was already used for another message.'));
      return;
    }
    if (outcome.status === 'duplicate') {
      this.counters.duplicates += 1;
      pending.resolve({ message: outcome.message, duplicate: true });
      return;
    }
    this.counters.stored += 1;
    pending.resolve({ message: outcome.message, duplicate: false });
    this.bus.publish('deliver', { recipients: { userIds: outcome.recipients }, frame: { type: 'message', message: outcome.message } });
  }
}

function uncertainKey(request: { senderId: string; clientId: string }): string {
  return `${request.senderId}:${request.clientId}`;
}

/** Adds to an insertion-ordered set that forgets its oldest entries beyond `max`. */
function remember(set: Set<string>, key: string, max: number): void {
  set.delete(key);
  set.add(key);
  for (const oldest of set) {
    if (set.size <= max) break;
    set.delete(oldest);
  }
}
