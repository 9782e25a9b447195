import { flushAtEndOfTurn, forgetFlush, writeCorked } from '../turnFlush.js';
import type { SocketLike } from '../ws/socket.js';

/**
 * Output written once per event-loop turn: frames for a socket queue up while the turn runs (an
 * ack, the message echo, the chat's new state, the agent's "joined" line) and go out corked
 * together (gateway/turnFlush.ts, as for the IM connection).
 */
export interface TurnOutput {
  /** Queues an already serialised frame, written at the end of this turn. */
  queue(data: string): void;
  /** Writes what is queued now. */
  flush(): void;
  /** Forgets what is queued (the socket closed). */
  drop(): void;
}

class SocketOutput implements TurnOutput {
  private frames: string[] | undefined;

  constructor(
    private readonly socket: SocketLike,
    /** Asked before each write; false: the frames are not written (closed, or a peer that stopped reading). */
    private readonly writable: () => boolean,
  ) {}

  queue(data: string): void {
    if (this.frames) {
      this.frames.push(data);
      return;
    }
    this.frames = [data];
    flushAtEndOfTurn(this);
  }

  flush(): void {
    const frames = this.frames;
    if (!frames) return;
    this.frames = undefined;
    forgetFlush(this);
    if (this.writable()) writeCorked(this.socket, frames);
  }

  drop(): void {
    this.frames = undefined;
    forgetFlush(this);
  }
}

export function turnOutput(socket: SocketLike, writable: () => boolean): TurnOutput {
  return new SocketOutput(socket, writable);
}
