import { setImmediate } from 'node:timers';
import type { SocketLike } from '../ws/socket.js';

/**
 * Output written once per event-loop turn: frames for a socket queue up while the turn runs (an
 * ack, the message echo, the chat's new state, the agent's "joined" line) and go out corked
 * together, one write system call per socket instead of one per frame. Order per socket is kept.
 * The same scheme as the IM connection's (gateway/ws/connection.ts).
 */
export interface TurnOutput {
  /** Queues an already serialised frame, written at the end of this turn. */
  queue(data: string): void;
  /** Writes what is queued now. */
  flush(): void;
  /** Forgets what is queued (the socket closed). */
  drop(): void;
}

const unflushed = new Set<SocketOutput>();
let flushScheduled = false;

function flushAll(): void {
  flushScheduled = false;
  for (const output of unflushed) {
    unflushed.delete(output);
    output.flush();
  }
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
    unflushed.add(this);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushAll);
    }
  }

  flush(): void {
    const frames = this.frames;
    if (!frames) return;
    this.frames = undefined;
    unflushed.delete(this);
    if (!this.writable()) return;
    const transport = (this.socket as { _socket?: { cork?: () => void; uncork?: () => void } })._socket;
    transport?.cork?.();
    for (const frame of frames) this.socket.send(frame);
    transport?.uncork?.();
  }

  drop(): void {
    this.frames = undefined;
    unflushed.delete(this);
  }
}

export function turnOutput(socket: SocketLike, writable: () => boolean): TurnOutput {
  return new SocketOutput(socket, writable);
}
