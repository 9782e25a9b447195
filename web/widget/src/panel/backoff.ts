/**
 * Reconnect delay: exponential backoff with full jitter, a uniform delay in
 * [floor, min(cap, base·2^attempt)). Jitter spreads the reconnects of many visitors after a
 * server restart instead of having them all arrive at the same instant.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = 500, capMs = 30_000, floorMs = 250): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.max(floorMs, Math.floor(random() * ceiling));
}
