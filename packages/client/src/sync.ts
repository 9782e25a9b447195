import type { ClientFrame, ErrorBody, Message } from '@switchboard/protocol';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { Cursors, SyncCursor } from './cursors.js';
import { isRetryable } from './outgoing.js';
import type { SyncBatchFrame, SyncDoneFrame, Timer } from './types.js';

/** `SyncFrame.cursors` accepts at most this many; more are split over several frames. */
export const MAX_SYNC_CURSORS = 1000;

/** Emitted when the catch-up that follows a welcome is over. */
export interface SyncedEvent {
  /** How many conversations were caught up. */
  conversations: number;
  /** Messages delivered while catching up (including live ones that were waiting on it). */
  messages: number;
  /** Conversations whose catch-up the server refused (non-retryable error); they may miss messages. */
  failed: string[];
}

type RoundReason = 'catchup' | 'gap';

interface Round {
  readonly reason: RoundReason;
  /** Sync frames sent and not yet answered by sync.done or error. */
  readonly refs: Set<string>;
  /** Retries waiting for their backoff delay. */
  retries: number;
  readonly conversations: Set<string>;
  readonly failed: Set<string>;
  messages: number;
  failures: number;
  done: boolean;
}

/** A conversation being synced. */
interface Active {
  readonly round: Round;
  /** The afterSeq of the latest sync frame for it. */
  afterSeq: number;
  /** Seq of the last message in the batches answering that frame. */
  lastSeq: number | undefined;
  /** The latest batch said more follow. */
  hasMore: boolean;
  /**
   * The highest held-back seq when it was first asked for. Those messages were committed before the
   * request, so once the sync is complete any gap below them is a hole and waiting cannot fill it.
   */
  readonly proveUpTo: number | undefined;
}

export interface SyncOptions {
  transmit(frame: ClientFrame): boolean;
  nextRef(): string;
  cursors: Cursors;
  /** Messages that became deliverable, ascending per conversation. */
  deliver(messages: readonly Message[]): void;
  synced(event: SyncedEvent): void;
  /** `limit` of each sync frame; undefined lets the server choose. */
  pageSize: number | undefined;
  /** How long a gap in the live stream may last before it is filled with a sync. */
  gapFillDelayMs: number;
  backoff: BackoffOptions;
  random: () => number;
}

/**
 * Catch-up (after every welcome) and gap filling (when a live message arrives past a gap), both by
 * `sync` frames. Follows `hasMore` once the server says `sync.done`, from the last seq received, so it
 * works whether the server sends one page per cursor or several. Live messages that arrive meanwhile
 * go through the same cursors, so nothing is lost or delivered twice (D4).
 */
export class SyncEngine {
  readonly #options: SyncOptions;
  readonly #requests = new Map<string, { round: Round; conversationIds: string[] }>();
  readonly #active = new Map<string, Active>();
  readonly #gapTimers = new Map<string, Timer>();
  readonly #retryTimers = new Set<Timer>();
  #open = false;

  constructor(options: SyncOptions) {
    this.#options = options;
  }

  /** Whether a sync for this conversation is in flight. */
  isSyncing(conversationId: string): boolean {
    return this.#active.has(conversationId);
  }

  /**
   * After a welcome: catch up every conversation something was seen in, from its cursor — those
   * whose `lastSeq` in the welcome is past the cursor, or that hold messages behind a gap. The
   * server reads the welcome's state after subscribing the socket, so anything newer than that
   * `lastSeq` arrives live; asking the others would only cost the server a query each.
   */
  opened(lastSeqs: ReadonlyMap<string, number>): void {
    this.#open = true;
    const { cursors } = this.#options;
    const behind = cursors.seen().filter(({ conversationId, afterSeq }) => (lastSeqs.get(conversationId) ?? 0) > afterSeq || cursors.hasGap(conversationId));
    const round = newRound('catchup');
    this.#request(round, behind);
    this.#completeIfDone(round);
  }

  lost(): void {
    this.#open = false;
    for (const { round } of this.#requests.values()) round.done = true;
    for (const { round } of this.#active.values()) round.done = true;
    this.#requests.clear();
    this.#active.clear();
    for (const timer of this.#gapTimers.values()) clearTimeout(timer);
    this.#gapTimers.clear();
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
  }

  forget(conversationId: string): void {
    this.#active.delete(conversationId);
    clearTimeout(this.#gapTimers.get(conversationId));
    this.#gapTimers.delete(conversationId);
  }

  /**
   * A live message left a gap. Wait a little (frames relayed through different nodes may overtake
   * each other), then sync from the cursor if the gap is still there.
   */
  scheduleGapFill(conversationId: string): void {
    if (!this.#open || this.#active.has(conversationId) || this.#gapTimers.has(conversationId)) return;
    const timer = setTimeout(() => {
      this.#gapTimers.delete(conversationId);
      const cursor = this.#options.cursors.cursor(conversationId);
      if (!this.#open || this.#active.has(conversationId) || cursor === undefined || !this.#options.cursors.hasGap(conversationId)) return;
      this.#request(newRound('gap'), [{ conversationId, afterSeq: cursor }]);
    }, this.#options.gapFillDelayMs);
    this.#gapTimers.set(conversationId, timer);
  }

  batch(frame: SyncBatchFrame): void {
    const active = this.#active.get(frame.conversationId);
    // A batch nobody asked for (or for a conversation left meanwhile) proves nothing; ignore it.
    if (!active) return;
    const from = active.lastSeq ?? active.afterSeq;
    const delivered = this.#options.cursors.acceptBatch(frame.conversationId, from, frame.messages);
    const last = frame.messages.at(-1);
    if (last) active.lastSeq = Math.max(from, last.seq);
    active.hasMore = frame.hasMore;
    active.round.messages += delivered.length;
    this.#options.deliver(delivered);
  }

  /** Handles sync.done for one of our frames: follow hasMore or finish. False for an unknown ref. */
  done(frame: SyncDoneFrame): boolean {
    if (frame.ref === undefined) return false;
    const request = this.#requests.get(frame.ref);
    if (!request) return false;
    this.#requests.delete(frame.ref);
    const { round } = request;
    round.refs.delete(frame.ref);
    const followUps: SyncCursor[] = [];
    for (const conversationId of request.conversationIds) {
      const active = this.#active.get(conversationId);
      if (!active || active.round !== round) continue;
      // Only follow hasMore when the page moved forward; an empty "more" page would loop forever.
      if (active.hasMore && active.lastSeq !== undefined && active.lastSeq > active.afterSeq) {
        followUps.push({ conversationId, afterSeq: active.lastSeq });
        active.afterSeq = active.lastSeq;
        active.lastSeq = undefined;
        active.hasMore = false;
      } else {
        this.#finish(conversationId, active);
      }
    }
    this.#send(round, followUps);
    this.#completeIfDone(round);
    return true;
  }

  /** Handles an error answering one of our sync frames. False for an unknown ref. */
  failed(ref: string, body: ErrorBody): boolean {
    const request = this.#requests.get(ref);
    if (!request) return false;
    this.#requests.delete(ref);
    const { round } = request;
    round.refs.delete(ref);
    const mine = request.conversationIds.filter((id) => this.#active.get(id)?.round === round);
    if (isRetryable(body)) {
      round.retries += 1;
      const timer = setTimeout(() => {
        this.#retryTimers.delete(timer);
        round.retries -= 1;
        if (round.done) return;
        const again: SyncCursor[] = [];
        for (const conversationId of mine) {
          const active = this.#active.get(conversationId);
          if (active?.round !== round) continue;
          active.afterSeq = active.lastSeq ?? active.afterSeq;
          active.lastSeq = undefined;
          active.hasMore = false;
          again.push({ conversationId, afterSeq: active.afterSeq });
        }
        this.#send(round, again);
        this.#completeIfDone(round);
      }, backoffDelay(round.failures, this.#options.backoff, this.#options.random));
      round.failures += 1;
      this.#retryTimers.add(timer);
    } else {
      for (const conversationId of mine) {
        this.#active.delete(conversationId);
        round.failed.add(conversationId);
      }
    }
    this.#completeIfDone(round);
    return true;
  }

  #request(round: Round, cursors: readonly SyncCursor[]): void {
    for (const cursor of cursors) {
      round.conversations.add(cursor.conversationId);
      this.#active.set(cursor.conversationId, {
        round,
        afterSeq: cursor.afterSeq,
        lastSeq: undefined,
        hasMore: false,
        proveUpTo: this.#options.cursors.maxAhead(cursor.conversationId),
      });
    }
    this.#send(round, cursors);
  }

  #send(round: Round, cursors: readonly SyncCursor[]): void {
    for (let start = 0; start < cursors.length; start += MAX_SYNC_CURSORS) {
      const chunk = cursors.slice(start, start + MAX_SYNC_CURSORS);
      const ref = this.#options.nextRef();
      const frame: ClientFrame = { type: 'sync', ref, cursors: chunk };
      if (this.#options.pageSize !== undefined) frame.limit = this.#options.pageSize;
      this.#requests.set(ref, { round, conversationIds: chunk.map((cursor) => cursor.conversationId) });
      round.refs.add(ref);
      // If this fails the socket is going away; `lost()` follows and the next welcome starts over.
      this.#options.transmit(frame);
    }
  }

  #finish(conversationId: string, active: Active): void {
    this.#active.delete(conversationId);
    const { cursors } = this.#options;
    if (active.proveUpTo !== undefined) {
      const released = cursors.releaseThrough(conversationId, active.proveUpTo);
      active.round.messages += released.length;
      this.#options.deliver(released);
    }
    // Messages that arrived past a gap after the request went out: give them their own gap fill.
    if (cursors.hasGap(conversationId)) this.scheduleGapFill(conversationId);
  }

  #completeIfDone(round: Round): void {
    if (round.done || round.refs.size > 0 || round.retries > 0) return;
    round.done = true;
    if (round.reason !== 'catchup') return;
    this.#options.synced({ conversations: round.conversations.size, messages: round.messages, failed: [...round.failed] });
  }
}

function newRound(reason: RoundReason): Round {
  return { reason, refs: new Set(), retries: 0, conversations: new Set(), failed: new Set(), messages: 0, failures: 0, done: false };
}
