import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './loginThrottle.js';

describe('LoginThrottle', () => {
  const options = { maxFailures: 3, windowMs: 60_000, lockMs: 120_000, maxAttemptsPerIp: 10 };

  it('locks a username after repeated failures, from every address, until the lock expires', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 3; i += 1) {
      expect(throttle.check('bob', '10.0.0.1', i)).toBe('ok');
      throttle.recordFailure('bob', i);
    }
    expect(throttle.check('bob', '10.0.0.2', 10)).toBe('locked');
    expect(throttle.check('bob', '10.0.0.2', 120_010)).toBe('ok');
  });

  it('a success clears the failures', () => {
    const throttle = new LoginThrottle(options);
    throttle.recordFailure('amy', 0);
    throttle.recordFailure('amy', 1);
    throttle.recordSuccess('amy');
    throttle.recordFailure('amy', 2);
    expect(throttle.check('amy', 'ip', 3)).toBe('ok');
  });

  it('limits attempts per address across usernames', () => {
    const throttle = new LoginThrottle(options);
    const verdicts = Array.from({ length: 11 }, (_, i) => throttle.check(`user${i}`, 'ip', i));
    expect(verdicts.slice(0, 10).every((verdict) => verdict === 'ok')).toBe(true);
    expect(verdicts[10]).toBe('rate_limited');
  });
});
