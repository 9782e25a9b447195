import type { ClientFrame, ErrorBody, ServerFrame } from '@switchboard/protocol';
import { ClientError, RequestError } from './errors.js';
import { frameProblem } from './outgoing.js';
import type { Timer } from './types.js';

/** Server frames that answer a request by echoing its ref (errors aside, which reject). */
export type AnswerFrame = Extract<ServerFrame, { type: 'ok' | 'pong' | 'ack' | 'visitor.ack' }>;
export type AnswerType = AnswerFrame['type'];

interface PendingRequest {
  readonly frame: ClientFrame;
  readonly expect: readonly AnswerType[];
  /** Written to the current socket (so it is in doubt if the socket goes away). */
  sent: boolean;
  readonly timer: Timer;
  readonly resolve: (frame: AnswerFrame) => void;
  readonly reject: (error: Error) => void;
}

export interface RequestsOptions {
  transmit(frame: ClientFrame): boolean;
  nextRef(): string;
  timeoutMs: number;
}

/**
 * Request/answer pairs over the socket, matched by `ref`. A request made while disconnected waits for
 * the next welcome; its timeout runs from the call, so nothing waits forever. One that was sent when
 * the socket drops is rejected (`connection_lost`) rather than resent: the server may have applied it,
 * and the caller knows best whether doing it again is right.
 */
export class Requests {
  readonly #options: RequestsOptions;
  /** Insertion order is call order, which is the order queued requests are flushed in. */
  readonly #pending = new Map<string, PendingRequest>();
  #open = false;

  constructor(options: RequestsOptions) {
    this.#options = options;
  }

  /** Sends the frame `build` makes with a fresh ref; resolves with the first answer of an `expect` type echoing it. */
  request<T extends AnswerType>(build: (ref: string) => ClientFrame, expect: readonly T[]): Promise<Extract<AnswerFrame, { type: T }>> {
    const ref = this.#options.nextRef();
    const frame = build(ref);
    const problem = frameProblem(frame);
    if (problem) return Promise.reject(new RequestError(problem));
    return new Promise<Extract<AnswerFrame, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.#pending.delete(ref)) reject(new ClientError('timeout', `no answer to ${frame.type} in ${this.#options.timeoutMs} ms`));
      }, this.#options.timeoutMs);
      const entry: PendingRequest = {
        frame,
        expect,
        sent: false,
        timer,
        // The map lookup by `expect` guarantees the frame type; TypeScript cannot follow it.
        resolve: (answer) => resolve(answer as Extract<AnswerFrame, { type: T }>),
        reject,
      };
      this.#pending.set(ref, entry);
      if (this.#open) entry.sent = this.#options.transmit(frame);
    });
  }

  /** The socket is ready: send what waited, in call order. */
  opened(): void {
    this.#open = true;
    for (const entry of this.#pending.values()) {
      if (entry.sent) continue;
      if (!this.#options.transmit(entry.frame)) return;
      entry.sent = true;
    }
  }

  /** Settles the request this answer belongs to. False when it belongs to none (late, or someone else's). */
  answer(frame: AnswerFrame): boolean {
    if (frame.ref === undefined) return false;
    const entry = this.#pending.get(frame.ref);
    if (!entry || !entry.expect.includes(frame.type)) return false;
    this.#settle(frame.ref, entry);
    entry.resolve(frame);
    return true;
  }

  fail(ref: string, body: ErrorBody): boolean {
    const entry = this.#pending.get(ref);
    if (!entry) return false;
    this.#settle(ref, entry);
    entry.reject(new RequestError(body));
    return true;
  }

  lost(): void {
    this.#open = false;
    for (const [ref, entry] of this.#pending) {
      if (!entry.sent) continue;
      this.#settle(ref, entry);
      entry.reject(new ClientError('connection_lost', `the connection dropped before ${entry.frame.type} was answered`));
    }
  }

  terminate(error: ClientError): void {
    this.#open = false;
    for (const [ref, entry] of this.#pending) {
      this.#settle(ref, entry);
      entry.reject(error);
    }
  }

  #settle(ref: string, entry: PendingRequest): void {
    clearTimeout(entry.timer);
    this.#pending.delete(ref);
  }
}
