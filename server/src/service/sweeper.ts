import { isStoreUnavailable } from '../errors.js';

/**
 * The CS system's clock. Timers that must survive a restart and work across nodes live in the
 * database as due times (cs_chats.reply_due_at, cs_visitors.leave_due_at, cs_agents.seen_at); each
 * tick reads what is due and acts through conditional updates, so when several nodes sweep at once
 * each due row is handled by exactly one. The tick also drains the queue, so a chat never waits
 * while an agent has room even if a notification between nodes was lost.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** While the database is down every tick fails the same way: report that once a minute. */
  private lastOutageReport = 0;

  constructor(
    private readonly tasks: readonly (() => Promise<void>)[],
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** One pass now (skipped if a pass is still running). */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      for (const task of this.tasks) {
        try {
          await task();
        } catch (error) {
          if (isStoreUnavailable(error)) {
            if (Date.now() - this.lastOutageReport < 60_000) return;
            this.lastOutageReport = Date.now();
          }
          this.onError(error);
          if (isStoreUnavailable(error)) return; // the other tasks would fail the same way
        }
      }
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
