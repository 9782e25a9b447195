/**
 * At most `limit` tasks run at once; the others wait their turn in order. Bursts of store work
 * queue here instead of in the PostgreSQL pool, where a wait past the pool's connection timeout
 * fails as `unavailable`. The WebSocket edge puts the store reads of upgrades, hellos and syncs
 * behind one: 10,000 hellos at once had failed 6,597 times, and their clients came back for more
 * (a retry spiral that stretched a restart to 115 s). The CS system's write units on PostgreSQL
 * go through another (service/store/writes.ts).
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];

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
      if (this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Resolves once no task runs or waits (tasks started meanwhile are waited for too). */
  async idle(): Promise<void> {
    while (this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }
}
