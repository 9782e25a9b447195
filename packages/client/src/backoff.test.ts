import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

describe('backoffDelay (full jitter)', () => {
  it('draws uniformly below base·2^attempt', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0.999_999)).toBe(249);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5)).toBe(1_000);
  });

  it('never exceeds the cap, even for huge attempt numbers', () => {
    for (const attempt of [7, 8, 20, 1_000, 10_000]) {
      expect(backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.999_999)).toBeLessThan(DEFAULT_BACKOFF.capMs);
      expect(backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.5)).toBe(15_000);
    }
  });

  it('after a server restart keeps the ceiling at the restart cap for the restart attempts, then goes on as usual', () => {
    const top = (attempt: number, restarting: boolean) => backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.999_999, restarting);
    expect(DEFAULT_BACKOFF).toMatchObject({ restartCapMs: 2_000, restartAttempts: 10 });
    for (let attempt = 0; attempt < 10; attempt += 1) expect(top(attempt, true)).toBe(Math.min(1_999, top(attempt, false)));
    expect(top(9, false)).toBe(29_999);
    expect(top(10, true)).toBe(29_999);
  });
});
