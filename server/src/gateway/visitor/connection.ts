import { VISITOR_CLIENT_FRAME_TYPES, VisitorClientFrame, type VisitorServerFrame } from '@switchboard/protocol';
import { CLOSE_CODES } from '@switchboard/protocol';
import { AppError, toAppError } from '../../errors.js';
import { RateLimiter } from '../rateLimiter.js';
import { parseFrame } from '../frameParser.js';
import { MAX_BUFFERED_BYTES, type SocketLike } from '../ws/socket.js';
import { turnOutput, type TurnOutput } from './turnOutput.js';

export type VisitorFrameHandler = (connection: VisitorConnection, frame: VisitorClientFrame) => Promise<void>;

/** Frames one visitor socket may send in a burst, and per second after that (typing is the busiest). */
const frameLimiter = new RateLimiter(60, 20);
const MAX_REJECTED_IN_A_ROW = 100;
/** Rate-limited frames a visitor socket may pile up before it counts as a flood (1008); see the IM connection. */
const floodLimiter = new RateLimiter(MAX_REJECTED_IN_A_ROW, 10);

/** What the upgrade request said about the page. */
export interface VisitorRequestMeta {
  ip: string;
  origin: string | undefined;
  host: string | undefined;
  userAgent: string | null;
}

/**
 * One visitor WebSocket. Frames are validated at the edge (zod, strict) and answered with typed
 * `v.error` frames; they are handled one at a time, in order. Until `v.hello` succeeded the
 * socket belongs to no visitor and every other frame is refused with not_ready.
 */
export class VisitorConnection {
  ready = false;
  closed = false;
  visitorId: string | undefined;
  siteId: string | undefined;
  private rejectedInARow = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly output: TurnOutput;

  constructor(
    readonly id: string,
    private readonly socket: SocketLike,
    readonly meta: VisitorRequestMeta,
    private readonly handle: VisitorFrameHandler,
    private readonly onFault: (error: unknown) => void,
  ) {
    this.output = turnOutput(socket, () => this.writable());
  }

  receive(data: string | null): void {
    if (this.closed) return;
    if (!frameLimiter.take(this.id)) {
      this.reject(undefined, new AppError('rate_limited', 'Too many frames; slow down.'));
      if (!floodLimiter.take(this.id)) this.close(CLOSE_CODES.policy, 'flooding');
      return;
    }
    const frame = this.parse(data);
    if (!frame) return;
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      if (!this.ready && frame.type !== 'v.hello') {
        this.reject(frame.ref, new AppError('not_ready', 'Send v.hello first.'));
        return;
      }
      try {
        await this.handle(this, frame);
        this.rejectedInARow = 0;
      } catch (error) {
        const appError = toAppError(error);
        if (appError.report) this.onFault(error);
        this.reject(frame.ref, appError);
      }
    });
  }

  send(frame: VisitorServerFrame): void {
    this.sendRaw(JSON.stringify(frame));
  }

  /** Queues a serialised frame: this turn's frames are written together at its end. */
  sendRaw(data: string): void {
    if (!this.closed) this.output.queue(data);
  }

  /** Sends what is queued, then closes. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.output.flush();
    this.closed = true;
    this.socket.close(code, reason);
  }

  markClosed(): void {
    this.closed = true;
    this.output.drop();
    frameLimiter.forget(this.id);
    floodLimiter.forget(this.id);
  }

  /** False when nothing may be written any more; a peer that stopped reading is dropped. */
  private writable(): boolean {
    if (this.closed) return false;
    if (this.socket.bufferedAmount <= MAX_BUFFERED_BYTES) return true;
    this.close(CLOSE_CODES.policy, 'too slow');
    return false;
  }

  reject(ref: string | undefined, error: AppError): void {
    this.send({ type: 'v.error', ...(ref ? { ref } : {}), error: error.toBody() });
    this.rejectedInARow += 1;
    if (this.rejectedInARow >= MAX_REJECTED_IN_A_ROW) this.close(CLOSE_CODES.policy, 'too many invalid frames');
  }

  private parse(data: string | null): VisitorClientFrame | undefined {
    const parsed = parseFrame(data, VisitorClientFrame, VISITOR_CLIENT_FRAME_TYPES);
    if (parsed.ok) return parsed.frame;
    this.reject(parsed.ref, parsed.error);
    return undefined;
  }
}

