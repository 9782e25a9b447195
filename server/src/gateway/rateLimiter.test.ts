import { describe, expect, it } from 'vitest';
import { BucketRule, RateLimiter } from './rateLimiter.js';

describe('RateLimiter', () => {
  it('allows a burst, refuses past it, and refills over time', () => {
    const limiter = new RateLimiter(3, 1);
    const t0 = 1_000_000;
    expect([1, 2, 3, 4].map(() => limiter.take('ip', t0))).toEqual([true, true, true, false]);
    expect(limiter.take('ip', t0 + 999)).toBe(false);
    expect(limiter.take('ip', t0 + 2000)).toBe(true);
  });

  it('keeps keys apart', () => {
    const limiter = new RateLimiter(1, 1);
    expect(limiter.take('a', 0)).toBe(true);
    expect(limiter.take('b', 0)).toBe(true);
    expect(limiter.take('a', 0)).toBe(false);
  });
});

describe('BucketRule', () => {
  it('keeps a whole bucket in one number: a burst, then the refill rate', () => {
    const rule = new BucketRule(3, 10);
    let state = 0;
    const take = (now: number) => {
      const next = rule.take(state, now);
      if (next !== undefined) state = next;
      return next !== undefined;
    };
    expect([1, 2, 3, 4].map(() => take(5_000))).toEqual([true, true, true, false]);
    expect(take(5_099)).toBe(false);
    expect(take(5_100)).toBe(true);
    expect(take(5_100)).toBe(false);
    expect([1, 2, 3, 4].map(() => take(60_000))).toEqual([true, true, true, false]);
  });
});
