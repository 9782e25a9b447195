/**
 * A socket that is told about presence changes one at a time costs one socket write per change:
 * after a restart, every contact coming back was a write of its own to everyone watching them
 * (~65,000 writes for 10,000 clients, a third of the restarted node's writes). So a presence
 * frame waits on its connection (see `Connection.holdPresence`) until the connection sends
 * anything else, when it goes out first, in the same write, or until this window ends. A newer
 * change of the same user replaces one still waiting: the client sees the same stream of frames
 * with superseded presence left out, later, never reordered.
 */
export interface PresenceHolder {
  /** True when the holder held nothing before (it must then be released later). */
  holdPresence(userId: string, frame: string): boolean;
  releasePresence(): void;
}

export class PresenceHold {
  private waiting = new Set<PresenceHolder>();
  private timer: NodeJS.Timeout | undefined = undefined;

  /** `windowMs` is asked when a window opens: the longest a presence frame waits. */
  constructor(private readonly windowMs: () => number) {}

  hold(connection: PresenceHolder, userId: string, frame: string): void {
    if (connection.holdPresence(userId, frame)) this.waiting.add(connection);
    this.timer ??= setTimeout(() => this.release(), this.windowMs());
  }

  /** Sends everything held now (at the window's end, or when the dispatcher stops). */
  release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const connections = this.waiting;
    this.waiting = new Set();
    for (const connection of connections) connection.releasePresence();
  }
}
