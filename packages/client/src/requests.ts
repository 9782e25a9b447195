import type { ClientFrame, ErrorBody } from '@switchboard/protocol';
import { ClientError, RequestError } from './errors.js';
import { frameProblem } from './outgoing.js';
import type { OkFrame, PongFrame, Timer } from './types.js';

/** The frame type that answers a request: `pong` for ping, `ok` for everything else. */
export type AnswerType = 'ok' | 'pong';
export type AnswerFrame<T extends AnswerType> = T extends 'ok' ? OkFrame : PongFrame;

interface PendingRequest {
  readonly frame: ClientFrame;
  readonly expect: AnswerType;
  /** Written to the current socket (so it is in doubt if the socket goes away). */
  sent: boolean;
  readonly timer: Timer;
  readonly resolve: (frame: OkFrame | PongFrame) => void;
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

  request<T extends AnswerType>(build: (ref: string) => ClientFrame, expect: T): Promise<AnswerFrame<T>> {
    const ref = this.#options.nextRef();
    const frame = build(ref);
    const problem = frameProblem(frame);
    if (problem) return Promise.reject(new RequestError(problem));
    return new Promise<AnswerFrame<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.#pending.delete(ref)) reject(new ClientError('timeout', `no answer to ${frame.type} in ${this.#options.timeoutMs} ms`));
      }, this.#options.timeoutMs);
      const entry: PendingRequest = {
        frame,
        expect,
        sent: false,
        timer,
        // The map lookup by `expect` guarantees the frame type; TypeScript cannot follow it.
        resolve: (answer) => resolve(answer as AnswerFrame<T>),
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
  answer(frame: OkFrame | PongFrame): boolean {
    if (frame.ref === undefined) return false;
    const entry = this.#pending.get(frame.ref);
    if (!entry || entry.expect !== frame.type) return false;
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
