/**
 * Slows password guessing: after `maxFailures` failed logins for one username within `windowMs`,
 * that username is locked for `lockMs` (from every address); one address is also limited in how
 * many attempts it makes per window, whatever the usernames.
 */
export class LoginThrottle {
  private readonly failuresByUser = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();
  private readonly attemptsByIp = new Map<string, number[]>();

  constructor(
    private readonly options = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000, maxAttemptsPerIp: 30 },
  ) {}

  /** 'locked' when the username is locked, 'rate_limited' when the address is over its limit. */
  check(username: string, ip: string, now: number): 'ok' | 'locked' | 'rate_limited' {
    const until = this.lockedUntil.get(username);
    if (until !== undefined && until > now) return 'locked';
    const attempts = this.recent(this.attemptsByIp, ip, now);
    if (attempts.length >= this.options.maxAttemptsPerIp) return 'rate_limited';
    attempts.push(now);
    return 'ok';
  }

  recordFailure(username: string, now: number): void {
    const failures = this.recent(this.failuresByUser, username, now);
    failures.push(now);
    if (failures.length >= this.options.maxFailures) {
      this.lockedUntil.set(username, now + this.options.lockMs);
      this.failuresByUser.delete(username);
    }
  }

  recordSuccess(username: string): void {
    this.failuresByUser.delete(username);
    this.lockedUntil.delete(username);
  }

  private recent(map: Map<string, number[]>, key: string, now: number): number[] {
    const kept = (map.get(key) ?? []).filter((at) => now - at < this.options.windowMs);
    map.set(key, kept);
    if (map.size > 100_000) this.prune(map, now);
    return kept;
  }

  private prune(map: Map<string, number[]>, now: number): void {
    for (const [key, times] of map) if (times.every((at) => now - at >= this.options.windowMs)) map.delete(key);
  }
}
