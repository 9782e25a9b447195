import { describe, expect, it } from 'vitest';
import { ClientId, newClientId } from './ids.js';

describe('newClientId', () => {
  it('is a valid client id', () => {
    expect(ClientId.safeParse(newClientId()).success).toBe(true);
  });

  it('sorts by the time it was made, so the server stores it at the right edge of its index', () => {
    const earlier = newClientId();
    const later = (() => {
      const until = Date.now() + 2;
      while (Date.now() < until); // ids of the same millisecond order by their random part
      return newClientId();
    })();
    expect(earlier < later).toBe(true);
    expect(parseInt(later.slice(0, 12), 16)).toBeLessThanOrEqual(Date.now());
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, newClientId));
    expect(ids.size).toBe(10_000);
  });
});
