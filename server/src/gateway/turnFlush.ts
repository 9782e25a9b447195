import { setImmediate } from 'node:timers';
import type { SocketLike } from './ws/socket.js';

/**
 * Output written once per event-loop turn, for both WebSocket edges: frames for a socket queue
 * up while the turn runs (a group commit's acks and messages, a chat's new state and its system
 * line) and go out corked together, one write system call per socket instead of one per frame.
 * Order per socket is kept.
 */
export interface Flushable {
  flush(): void;
}

const unflushed = new Set<Flushable>();
let flushScheduled = false;

function flushAll(): void {
  flushScheduled = false;
  // Deleted as it goes: a frame queued while this runs (a set visits what is added) is not stranded.
  for (const target of unflushed) {
    unflushed.delete(target);
    target.flush();
  }
}

/** Calls `target.flush()` at the end of this event-loop turn (once, however often asked). */
export function flushAtEndOfTurn(target: Flushable): void {
  unflushed.add(target);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushAll);
  }
}

/** The target flushed or closed on its own: nothing left to do for it this turn. */
export function forgetFlush(target: Flushable): void {
  unflushed.delete(target);
}

/** Writes the frames to the socket, corked into one write when there are several. */
export function writeCorked(socket: SocketLike, frames: readonly string[]): void {
  if (frames.length === 1) {
    socket.send(frames[0] as string);
    return;
  }
  const transport = (socket as { _socket?: { cork?: () => void; uncork?: () => void } })._socket;
  transport?.cork?.();
  for (const frame of frames) socket.send(frame);
  transport?.uncork?.();
}
