import { CLIENT_FRAME_TYPES, CLOSE_CODES, ClientFrame, type ServerFrame } from '@switchboard/protocol';
import { AppError, toAppError } from '../../errors.js';
import type { AuthContext } from '../../im/auth.js';
import { BucketRule, clockMs } from '../rateLimiter.js';
import { parseFrame } from '../frameParser.js';
import { flushAtEndOfTurn, writeCorked } from '../turnFlush.js';
import type { PresenceHolder } from './presenceHold.js';
import { MAX_BUFFERED_BYTES, type SocketLike } from './socket.js';

export type FrameHandler = (connection: Connection, frame: ClientFrame) => Promise<void>;

/** What every connection of one gateway shares: one object, not two closures per socket. */
export interface ConnectionHooks {
  handle: FrameHandler;
  onFault(error: unknown): void;
}

/** Frames a connection may send in a burst, and per second after that. */
const FRAME_BURST = 200;
const FRAMES_PER_SECOND = 100;
/** Rejected frames in a row after which a flooding client is disconnected. */
const MAX_REJECTED_IN_A_ROW = 500;

const frameRule = new BucketRule(FRAME_BURST, FRAMES_PER_SECOND);
/**
 * Rate-limited frames a connection may pile up (a burst, then per second) before it counts as a
 * flood and is closed with 1008. Counted apart from "invalid in a row": a flood keeps getting a
 * few frames through as the limit refills, which would reset that count forever.
 */
const floodRule = new BucketRule(MAX_REJECTED_IN_A_ROW, FRAMES_PER_SECOND / 2);

/**
 * One authenticated WebSocket. Reads frames in order, validates each at the edge and answers an
 * invalid one with a typed error frame; the socket stays open and nothing is stored.
 */
export class Connection implements PresenceHolder {
  ready = false;
  closed = false;
  private rejectedInARow = 0;
  /** Frames queued in this event-loop turn; no array while there are none (most sockets, most of the time). */
  private outbox: string[] | undefined = undefined;
  /**
   * Presence frames waiting to go out with the next frame or at the end of a window
   * (presenceHold.ts): user id, frame, user id, frame, … A flat array: a connection holds a few at
   * a time, and one is created per window for thousands of connections (a Map each cost more).
   */
  private heldPresence: string[] | undefined = undefined;
  /** The frame and flood buckets (BucketRule states). */
  private framesFullAt = 0;
  private floodFullAt = 0;

  constructor(
    readonly id: string,
    private readonly socket: SocketLike,
    readonly auth: AuthContext,
    private readonly hooks: ConnectionHooks,
  ) {}

  get userId(): string {
    return this.auth.user.id;
  }

  get sessionId(): string {
    return this.auth.sessionId;
  }

  /** Entry point for every incoming WebSocket message. */
  receive(data: string | null): void {
    if (this.closed) return;
    const now = clockMs();
    const framesFullAt = frameRule.take(this.framesFullAt, now);
    if (framesFullAt === undefined) {
      this.reject(undefined, new AppError('rate_limited', 'Too many frames; slow down.'));
      const floodFullAt = floodRule.take(this.floodFullAt, now);
      if (floodFullAt === undefined) this.close(CLOSE_CODES.policy, 'flooding');
      else this.floodFullAt = floodFullAt;
      return;
    }
    this.framesFullAt = framesFullAt;
    const frame = this.parse(data);
    if (!frame) return;
    if (!this.ready && frame.type !== 'hello') {
      this.reject(frame.ref, new AppError('not_ready', 'Send hello first.'));
      return;
    }
    this.rejectedInARow = 0;
    // Handlers start synchronously, so sends enter the commit queue in the order they arrived;
    // they are not awaited one by one, so a busy client's sends share a group commit.
    this.hooks.handle(this, frame).catch((error: unknown) => {
      const appError = toAppError(error);
      if (appError.report) this.hooks.onFault(error);
      this.reject(frame.ref, appError);
    });
  }

  send(frame: ServerFrame): void {
    this.sendRaw(JSON.stringify(frame));
  }

  /** Queues an already serialised frame; it is written at the end of this event-loop turn (turnFlush.ts). */
  sendRaw(data: string): void {
    if (this.heldPresence) this.releasePresence();
    this.queue(data);
  }

  /**
   * Holds a presence frame of the user until `releasePresence` (or the next `sendRaw`); replaces one
   * held for that user. True when nothing was held before.
   */
  holdPresence(userId: string, frame: string): boolean {
    if (this.closed) return false;
    const held = this.heldPresence;
    if (!held) {
      this.heldPresence = [userId, frame];
      return true;
    }
    for (let i = 0; i < held.length; i += 2) {
      if (held[i] === userId) {
        held[i + 1] = frame;
        return false;
      }
    }
    held.push(userId, frame);
    return false;
  }

  /** Queues the held presence frames, ahead of anything queued after this. */
  releasePresence(): void {
    const held = this.heldPresence;
    if (!held) return;
    this.heldPresence = undefined;
    for (let i = 1; i < held.length; i += 2) this.queue(held[i] as string);
  }

  private queue(data: string): void {
    if (this.closed) return;
    if (this.outbox) {
      this.outbox.push(data);
      return;
    }
    this.outbox = [data];
    flushAtEndOfTurn(this);
  }

  /** Writes the queued frames, corked into one write; drops a peer that stopped reading. */
  flush(): void {
    const frames = this.outbox;
    if (!frames) return;
    this.outbox = undefined;
    if (this.closed) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CLOSE_CODES.policy, 'too slow');
      return;
    }
    writeCorked(this.socket, frames);
  }

  /** Sends what is queued, then closes. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.socket.close(code, reason);
  }

  /** Called by the transport when the socket has closed. */
  markClosed(): void {
    this.closed = true;
    this.outbox = undefined;
    this.heldPresence = undefined;
  }

  reject(ref: string | undefined, error: AppError): void {
    this.send({ type: 'error', ...(ref ? { ref } : {}), error: error.toBody() });
    this.rejectedInARow += 1;
    if (this.rejectedInARow >= MAX_REJECTED_IN_A_ROW) this.close(CLOSE_CODES.policy, 'too many invalid frames');
  }

  private parse(data: string | null): ClientFrame | undefined {
    const parsed = parseFrame(data, ClientFrame, CLIENT_FRAME_TYPES);
    if (parsed.ok) return parsed.frame;
    this.reject(parsed.ref, parsed.error);
    return undefined;
  }
}
