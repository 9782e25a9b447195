import type { Message } from '@switchboard/protocol';

interface Track {
  /**
   * Highest seq such that every message from where the client started following the conversation up
   * to it has been delivered (or loaded through history). Undefined: nothing seen yet.
   */
  seq: number | undefined;
  /**
   * The conversation's lastSeq from the latest welcome: where live delivery starts when nothing has
   * been seen. Never counts as seen — marking it seen after a reconnect would skip what was missed.
   */
  floor: number | undefined;
  /** Received past a gap, held back until the gap fills so delivery stays in seq order. */
  readonly ahead: Map<number, Message>;
}

export interface SyncCursor {
  conversationId: string;
  afterSeq: number;
}

/**
 * Per-conversation cursors and dedupe. Messages come in through `accept` (live frames) or
 * `acceptBatch` (catch-up pages) in any order, possibly twice; what comes out, per conversation, is
 * each message exactly once and in ascending seq with no gaps after the cursor (D3).
 *
 * All methods return the messages that became deliverable, in order; the caller emits them.
 */
export class Cursors {
  readonly #tracks = new Map<string, Track>();

  cursor(conversationId: string): number | undefined {
    return this.#tracks.get(conversationId)?.seq;
  }

  /** Cursors of the conversations the client has seen something in: what to catch up after a reconnect. */
  seen(): SyncCursor[] {
    const cursors: SyncCursor[] = [];
    for (const [conversationId, track] of this.#tracks) {
      if (track.seq !== undefined) cursors.push({ conversationId, afterSeq: track.seq });
    }
    return cursors;
  }

  /** Whether messages are held back behind a gap. */
  hasGap(conversationId: string): boolean {
    return (this.#tracks.get(conversationId)?.ahead.size ?? 0) > 0;
  }

  /** The highest seq held back behind a gap, if any. */
  maxAhead(conversationId: string): number | undefined {
    const ahead = this.#tracks.get(conversationId)?.ahead;
    if (!ahead || ahead.size === 0) return undefined;
    return Math.max(...ahead.keys());
  }

  /** From a welcome: where live delivery starts in a conversation nothing was seen in. */
  setFloor(conversationId: string, lastSeq: number): void {
    const track = this.#track(conversationId);
    if (track.seq === undefined) track.floor = lastSeq;
  }

  /**
   * From a `conversation` frame: only for a conversation not known yet. A known floor stays, because
   * a summary may overtake the message frames it counts (frames of different kinds are not ordered).
   */
  setFloorIfUnknown(conversationId: string, lastSeq: number): void {
    const track = this.#track(conversationId);
    if (track.seq === undefined && track.floor === undefined) track.floor = lastSeq;
  }

  /** A live message, or one of a sync batch when the batch proves nothing. */
  accept(message: Message): Message[] {
    const track = this.#track(message.conversationId);
    const seq = message.seq;
    if (track.seq === undefined) {
      // First message in this conversation: start right after the welcome's lastSeq when this one is
      // newer (anything in between is on its way live), otherwise right before it.
      track.seq = track.floor !== undefined && seq > track.floor ? track.floor : seq - 1;
    }
    if (seq <= track.seq || track.ahead.has(seq)) return [];
    track.ahead.set(seq, message);
    return advance(track);
  }

  /**
   * A sync batch answering `afterSeq`: the server sends every message after it in ascending order, so
   * a seq it skips does not exist. When the cursor sits at or past the point the batch proves from,
   * a hole before the next message is skipped instead of waited for.
   */
  acceptBatch(conversationId: string, afterSeq: number, messages: readonly Message[]): Message[] {
    const delivered: Message[] = [];
    let provenFrom = afterSeq;
    for (const message of messages) {
      if (message.conversationId !== conversationId) continue;
      const track = this.#track(conversationId);
      if (track.seq !== undefined && track.seq >= provenFrom && message.seq > track.seq + 1) {
        delivered.push(...release(track, message.seq - 1));
      }
      delivered.push(...this.accept(message));
      provenFrom = Math.max(provenFrom, message.seq);
    }
    return delivered;
  }

  /**
   * Gives up waiting for the gap below `upTo`: delivers what is held up to it, in order. Used when a
   * complete sync, asked for after those messages arrived, still did not fill the gap.
   */
  releaseThrough(conversationId: string, upTo: number): Message[] {
    const track = this.#tracks.get(conversationId);
    if (!track || track.seq === undefined) return [];
    const highest = Math.max(-1, ...[...track.ahead.keys()].filter((seq) => seq <= upTo));
    return highest > track.seq ? release(track, highest) : [];
  }

  /**
   * The caller has everything up to `seq` (typically from the newest history page): moves the cursor
   * there so catch-up starts after it. Held-back messages at or below it are dropped (the caller has
   * them); those that become contiguous are returned. A seq at or below the cursor changes nothing.
   */
  markSeen(conversationId: string, seq: number): Message[] {
    if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`seq must be a non-negative integer, got ${seq}`);
    const track = this.#track(conversationId);
    if (track.seq !== undefined && seq <= track.seq) return [];
    track.seq = seq;
    for (const held of track.ahead.keys()) if (held <= seq) track.ahead.delete(held);
    return advance(track);
  }

  /** The user left or was removed: nothing more to follow. */
  forget(conversationId: string): void {
    this.#tracks.delete(conversationId);
  }

  /** Keeps only these conversations (a welcome lists all the user still belongs to). */
  retain(conversationIds: ReadonlySet<string>): void {
    for (const conversationId of this.#tracks.keys()) if (!conversationIds.has(conversationId)) this.#tracks.delete(conversationId);
  }

  #track(conversationId: string): Track {
    let track = this.#tracks.get(conversationId);
    if (!track) {
      track = { seq: undefined, floor: undefined, ahead: new Map() };
      this.#tracks.set(conversationId, track);
    }
    return track;
  }
}

/** Moves the cursor over every held message that is now contiguous. */
function advance(track: Track): Message[] {
  const delivered: Message[] = [];
  if (track.seq === undefined) return delivered;
  for (let next = track.ahead.get(track.seq + 1); next; next = track.ahead.get(track.seq + 1)) {
    track.ahead.delete(next.seq);
    track.seq = next.seq;
    delivered.push(next);
  }
  return delivered;
}

/** Delivers held messages up to `upTo` in order, skipping the holes, and moves the cursor there. */
function release(track: Track, upTo: number): Message[] {
  const held = [...track.ahead.keys()].filter((seq) => seq <= upTo).sort((a, b) => a - b);
  const delivered: Message[] = [];
  for (const seq of held) {
    const message = track.ahead.get(seq);
    track.ahead.delete(seq);
    if (message) delivered.push(message);
  }
  track.seq = Math.max(track.seq ?? upTo, upTo);
  delivered.push(...advance(track));
  return delivered;
}
