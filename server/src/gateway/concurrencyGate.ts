/**
 * At most `limit` tasks run at once; the others wait their turn in order. The WebSocket edge puts
 * the store reads of upgrades, hellos and syncs behind one, so a reconnect storm queues here
 * instead of in the database pool: on PostgreSQL, 10,000 hellos at once waited past the pool's
 * connection timeout, failed as `unavailable`, and their clients came back for more (a retry
 * spiral of 6,597 failed hellos that stretched a restart to 115 s).
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `running` stays as it is.
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }
}
