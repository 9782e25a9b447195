export interface BackoffOptions {
  /** Ceiling of the first delay, in ms. */
  baseMs: number;
  /** No delay ever exceeds this, in ms. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 30_000 };

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(cap, base·2^attempt)).
 * Full jitter spreads the reconnects of many clients after a server restart (1012) instead of
 * having them all hit the server at the same instants.
 *
 * @param attempt 0 for the first retry, then 1, 2, …
 * @param random a source of numbers in [0, 1); injectable for tests.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
