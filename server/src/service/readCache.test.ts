import { describe, expect, it } from 'vitest';
import { ReadCache } from './readCache.js';

const TTL_MS = 3000;

/** A cache over a read that counts its calls; `fail` makes the next read reject. */
function cacheWithCountedReads() {
  const clock = { now: 1_000 };
  const reads = { count: 0, fail: false };
  const cache = new ReadCache<string>(TTL_MS, () => clock.now);
  const read = (key: string) => async () => {
    reads.count += 1;
    await Promise.resolve();
    if (reads.fail) throw new Error('database unreachable');
    return `value of ${key}`;
  };
  return { get: (key: string) => cache.get(key, read(key)), cache, reads, clock };
}

describe('ReadCache', () => {
  it('callers arriving at once share one read', async () => {
    const { get, reads } = cacheWithCountedReads();
    const values = await Promise.all(Array.from({ length: 100 }, () => get('shop')));
    expect(new Set(values)).toEqual(new Set(['value of shop']));
    expect(reads.count).toBe(1);
  });

  it('reads again once the cached read is as old as the time to live', async () => {
    const { get, reads, clock } = cacheWithCountedReads();
    await get('shop');
    clock.now += TTL_MS - 1;
    await get('shop');
    expect(reads.count).toBe(1);
    clock.now += 1;
    await get('shop');
    expect(reads.count).toBe(2);
  });

  it('does not keep a failed read: the next caller reads again', async () => {
    const { get, reads } = cacheWithCountedReads();
    reads.fail = true;
    await expect(get('shop')).rejects.toThrow('database unreachable');
    reads.fail = false;
    expect(await get('shop')).toBe('value of shop');
    expect(reads.count).toBe(2);
  });

  it('keeps keys apart, and a forgotten key is read again at once', async () => {
    const { get, cache, reads } = cacheWithCountedReads();
    await get('a');
    await get('b');
    await get('a');
    expect(reads.count).toBe(2);
    cache.forget('a');
    await get('a');
    await get('b');
    expect(reads.count).toBe(3);
  });

  it('a key forgotten while its read is in flight is read again by the next caller', async () => {
    const { get, cache, reads } = cacheWithCountedReads();
    const inFlight = get('shop');
    cache.forget('shop');
    await Promise.all([inFlight, get('shop')]);
    expect(reads.count).toBe(2);
  });
});
