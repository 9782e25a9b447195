/**
 * Reads reused for `ttlMs`, for settings the widget edge reads on every page view (sites,
 * departments, whether anyone is on duty: sites.ts). The read itself is cached, not only its result: a burst of widgets opening at
 * once (a page view storm) shares one read instead of each missing the cache until the first one
 * returns. A read that fails is forgotten, so the next caller tries again. Other nodes see a
 * change within `ttlMs`; this node's own changes `forget` at once.
 */
export class ReadCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, read: () => Promise<T>): Promise<T> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const entry = { value: read(), at: now };
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.clear();
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
