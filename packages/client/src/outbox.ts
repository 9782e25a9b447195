import { newClientId, type ClientFrame, type ErrorBody } from '@switchboard/protocol';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { RequestError, type ClientError } from './errors.js';
import { frameProblem, isRetryable } from './outgoing.js';
import type { AckFrame, Timer } from './types.js';

/** A message not yet acknowledged, as UIs show it ("sending…"). */
export interface PendingMessage {
  readonly clientId: string;
  readonly conversationId: string;
  readonly body: string;
  /** When `send` was called, epoch ms. */
  readonly createdAt: number;
  /** `queued`: waiting for a connection or a retry delay; `sent`: on the wire, waiting for its ack. */
  readonly state: 'queued' | 'sent';
  /** How many times it was written to a socket. */
  readonly attempts: number;
}

interface Item {
  readonly clientId: string;
  readonly conversationId: string;
  readonly body: string;
  readonly createdAt: number;
  state: 'queued' | 'sent';
  attempts: number;
  /** The ref of the latest transmission: an error frame names the send only by ref. */
  ref: string | undefined;
  ackTimer: Timer | undefined;
  readonly promise: Promise<AckFrame>;
  readonly resolve: (ack: AckFrame) => void;
  readonly reject: (error: Error) => void;
}

export interface OutboxOptions {
  transmit(frame: ClientFrame): boolean;
  nextRef(): string;
  /** A sent item with no answer by then is sent again (same clientId, so at most one message results). */
  ackTimeoutMs: number;
  backoff: BackoffOptions;
  random: () => number;
  now: () => number;
  /** Called with a fresh snapshot whenever the pending list or an item's state changes. */
  changed(pending: readonly PendingMessage[]): void;
}

/**
 * Messages between `send()` and their ack. Every item keeps its clientId for life, so sending it again
 * (after a reconnect, a retryable error or an ack timeout) is idempotent on the server (D2): each
 * promise resolves exactly once, with the one ack, and the conversation gets one message.
 *
 * Items are written in `send()` order, and re-sent in that order after each welcome (D5). A retryable
 * error pauses the whole outbox for a backoff delay — after `rate_limited`, the items behind it
 * would only be refused too — then everything unacknowledged goes out again, oldest first.
 */
export class Outbox {
  readonly #options: OutboxOptions;
  /** Insertion order is send order. */
  readonly #items = new Map<string, Item>();
  #open = false;
  /** Consecutive retryable failures, for the backoff; reset by any ack. */
  #failures = 0;
  #pauseTimer: Timer | undefined;

  constructor(options: OutboxOptions) {
    this.#options = options;
  }

  /**
   * Queues a message and sends it as soon as the socket is open. Sending again with the clientId of a
   * pending item returns that item's promise instead of queueing a second copy.
   */
  send(conversationId: string, body: string, clientId: string = newClientId()): Promise<AckFrame> {
    const existing = this.#items.get(clientId);
    if (existing) return existing.promise;
    const problem = frameProblem({ type: 'send', conversationId, clientId, body });
    if (problem) return Promise.reject(new RequestError(problem));
    let resolve!: (ack: AckFrame) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<AckFrame>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#items.set(clientId, {
      clientId,
      conversationId,
      body,
      createdAt: this.#options.now(),
      state: 'queued',
      attempts: 0,
      ref: undefined,
      ackTimer: undefined,
      promise,
      resolve,
      reject,
    });
    if (!this.#pump()) this.#changed();
    return promise;
  }

  pending(): PendingMessage[] {
    return [...this.#items.values()].map(({ clientId, conversationId, body, createdAt, state, attempts }) => ({
      clientId,
      conversationId,
      body,
      createdAt,
      state,
      attempts,
    }));
  }

  /** A new socket got its welcome: write every unacknowledged item again, oldest first. */
  opened(): void {
    this.#open = true;
    // A pause was about the old socket's server; a new connection starts afresh.
    clearTimeout(this.#pauseTimer);
    this.#pauseTimer = undefined;
    this.#pump();
  }

  /** The socket went away: whatever was on it may or may not have committed; it will be re-sent. */
  lost(): void {
    this.#open = false;
    let changed = false;
    for (const item of this.#items.values()) {
      if (item.state !== 'sent') continue;
      this.#requeue(item);
      changed = true;
    }
    if (changed) this.#changed();
  }

  terminate(error: ClientError): void {
    this.#open = false;
    clearTimeout(this.#pauseTimer);
    this.#pauseTimer = undefined;
    const items = [...this.#items.values()];
    this.#items.clear();
    for (const item of items) {
      clearTimeout(item.ackTimer);
      item.reject(error);
    }
    if (items.length > 0) this.#changed();
  }

  /**
   * The server refused a frame for going too fast without saying which (its limiter answers before
   * reading the frame). Any send on the wire may be the one dropped: requeue them all and hold off
   * for a backoff delay. Those acknowledged meanwhile leave the outbox as usual; only the rest are
   * written again — harmless for any that did get through, since the clientId makes it idempotent.
   */
  throttle(): void {
    let changed = false;
    for (const item of this.#items.values()) {
      if (item.state !== 'sent') continue;
      this.#requeue(item);
      changed = true;
    }
    this.#pause();
    if (changed) this.#changed();
  }

  /** Resolves the item the ack names (by clientId). False for an unknown or repeated ack. */
  acknowledged(ack: AckFrame): boolean {
    const item = this.#items.get(ack.clientId);
    if (!item) return false;
    clearTimeout(item.ackTimer);
    this.#items.delete(ack.clientId);
    this.#failures = 0;
    item.resolve(ack);
    this.#changed();
    return true;
  }

  /** Handles an error frame if its ref is the latest transmission of an item. */
  failed(ref: string, body: ErrorBody): boolean {
    const item = this.#findByRef(ref);
    if (!item) return false;
    if (isRetryable(body)) {
      this.#requeue(item);
      this.#pause();
      this.#changed();
      return true;
    }
    clearTimeout(item.ackTimer);
    this.#items.delete(item.clientId);
    item.reject(new RequestError(body));
    this.#changed();
    return true;
  }

  /** Writes queued items in order; stops at the first that cannot be written. True if any state changed (and was reported). */
  #pump(): boolean {
    if (!this.#open || this.#pauseTimer !== undefined) return false;
    let changed = false;
    for (const item of this.#items.values()) {
      if (item.state !== 'queued') continue;
      const ref = this.#options.nextRef();
      const sent = this.#options.transmit({
        type: 'send',
        ref,
        conversationId: item.conversationId,
        clientId: item.clientId,
        body: item.body,
      });
      if (!sent) break;
      item.state = 'sent';
      item.ref = ref;
      item.attempts += 1;
      item.ackTimer = setTimeout(() => this.#ackTimedOut(item, ref), this.#options.ackTimeoutMs);
      changed = true;
    }
    if (changed) this.#changed();
    return changed;
  }

  #ackTimedOut(item: Item, ref: string): void {
    if (this.#items.get(item.clientId) !== item || item.ref !== ref) return;
    this.#requeue(item);
    this.#pause();
    this.#changed();
  }

  #requeue(item: Item): void {
    clearTimeout(item.ackTimer);
    item.ackTimer = undefined;
    item.state = 'queued';
    item.ref = undefined;
  }

  /** One pause covers every item that fails while it runs, so a burst of refusals backs off once. */
  #pause(): void {
    if (this.#pauseTimer !== undefined) return;
    const delay = backoffDelay(this.#failures, this.#options.backoff, this.#options.random);
    this.#failures += 1;
    this.#pauseTimer = setTimeout(() => {
      this.#pauseTimer = undefined;
      this.#pump();
    }, delay);
  }

  #findByRef(ref: string): Item | undefined {
    for (const item of this.#items.values()) if (item.ref === ref) return item;
    return undefined;
  }

  #changed(): void {
    this.#options.changed(this.pending());
  }
}
