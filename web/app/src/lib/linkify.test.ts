import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.js';

describe('linkify', () => {
  it('links http(s) URLs only', () => {
    expect(linkify('see https://example.com/a. ok')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a', href: 'https://example.com/a' },
      { kind: 'text', text: '. ok' },
    ]);
    expect(linkify('javascript:alert(1)')).toEqual([{ kind: 'text', text: 'javascript:alert(1)' }]);
    expect(linkify('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });

  it('opens in-app visitor chat links in place', () => {
    const id = '0f8c2b1e-5a6d-4c3b-9e2f-1a2b3c4d5e6f';
    expect(linkify(`Visitor chat: /app/#/visitors/${id}\nhttps://x.test`)).toEqual([
      { kind: 'text', text: 'Visitor chat: ' },
      { kind: 'internal', text: `/app/#/visitors/${id}`, href: `#/visitors/${id}` },
      { kind: 'text', text: '\n' },
      { kind: 'link', text: 'https://x.test', href: 'https://x.test/' },
    ]);
    expect(linkify(`/app/#/visitors/not-a-uuid`)).toEqual([{ kind: 'text', text: '/app/#/visitors/not-a-uuid' }]);
  });
});
