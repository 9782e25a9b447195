export interface BackoffOptions {
  /** Ceiling of the first delay, in ms. */
  baseMs: number;
  /** No delay ever exceeds this, in ms. */
  capMs: number;
  /**
   * After the server said it is restarting (close code 1012), the ceiling stays at most this for
   * the first `restartAttempts` attempts: a restart takes seconds, not minutes.
   */
  restartCapMs?: number;
  restartAttempts?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 30_000, restartCapMs: 2_000, restartAttempts: 10 };

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(cap, base·2^attempt)).
 * Full jitter spreads the reconnects of many clients after a server restart (1012) instead of
 * having them all hit the server at the same instants. While `restarting`, the ceiling stops at
 * `restartCapMs` for `restartAttempts` attempts: with a 30 s cap, the last of 10,000 clients made
 * its first attempt 19–27 s after a server back within 2–4 s (docs/performance.md, section 15);
 * with 2 s they are all back within about 2 s of it, still spread over those 2 s. A server that
 * stays away longer is then retried at the usual pace.
 *
 * @param attempt 0 for the first retry, then 1, 2, …
 * @param random a source of numbers in [0, 1); injectable for tests.
 * @param restarting the attempts follow a 1012 close and no welcome came since.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random, restarting = false): number {
  const quickRetry = restarting && options.restartCapMs !== undefined && attempt < (options.restartAttempts ?? 0);
  const cap = quickRetry ? Math.min(options.capMs, options.restartCapMs ?? options.capMs) : options.capMs;
  const ceiling = Math.min(cap, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
