/**
 * A token-bucket rule: `capacity` tokens, refilled at `perSecond`. A bucket's whole state is one
 * number, the time at which it is full again (the generic cell rate algorithm), so a long-lived
 * owner such as a connection keeps its bucket in a field instead of an entry in a shared map.
 */
export class BucketRule {
  private readonly msPerToken: number;
  private readonly burstMs: number;

  constructor(capacity: number, perSecond: number) {
    this.msPerToken = 1000 / perSecond;
    this.burstMs = capacity * this.msPerToken;
  }

  /** The bucket's state after one token is taken at `now`, or undefined when none is left. */
  take(fullAt: number, now: number): number | undefined {
    const next = Math.max(fullAt, now) + this.msPerToken;
    return next - now > this.burstMs ? undefined : next;
  }
}

/**
 * Milliseconds since the process started, on a monotonic clock, whole: small integers, which V8
 * keeps in an object field without a boxed number per field.
 */
export function clockMs(): number {
  return Math.floor(performance.now());
}

/** Token buckets keyed by a string (an IP, a visitor socket). take() is false when the key has no token left. */
export class RateLimiter {
  private readonly rule: BucketRule;
  private readonly fullAt = new Map<string, number>();

  constructor(capacity: number, perSecond: number) {
    this.rule = new BucketRule(capacity, perSecond);
  }

  take(key: string, now = Date.now()): boolean {
    const next = this.rule.take(this.fullAt.get(key) ?? 0, now);
    if (next === undefined) return false;
    this.fullAt.set(key, next);
    if (this.fullAt.size > 100_000) this.prune(now);
    return true;
  }

  forget(key: string): void {
    this.fullAt.delete(key);
  }

  /** Drops buckets that are full again: the same as not knowing the key. */
  private prune(now: number): void {
    for (const [key, fullAt] of this.fullAt) if (fullAt <= now) this.fullAt.delete(key);
  }
}
