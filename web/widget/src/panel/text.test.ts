import { describe, expect, it } from 'vitest';
import { clip, initial, safeHref, splitLinks } from './text.js';

describe('splitLinks', () => {
  it('keeps plain text as one piece', () => {
    expect(splitLinks('hello <b>world</b>')).toEqual([{ text: 'hello <b>world</b>' }]);
  });
  it('links http(s) URLs and leaves trailing punctuation outside', () => {
    expect(splitLinks('Docs: https://acme.example/docs. Thanks!')).toEqual([
      { text: 'Docs: ' },
      { text: 'https://acme.example/docs', href: 'https://acme.example/docs' },
      { text: '. Thanks!' },
    ]);
    expect(splitLinks('（见 http://a.example/x）')).toEqual([{ text: '（见 ' }, { text: 'http://a.example/x', href: 'http://a.example/x' }, { text: '）' }]);
  });
  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'JAVASCRIPT://%0aalert(1)']) {
      expect(splitLinks(text).every((piece) => piece.href === undefined)).toBe(true);
    }
    expect(safeHref('javascript:alert(1)')).toBe(false);
    expect(safeHref('https://ok.example')).toBe(true);
  });
});

describe('small text helpers', () => {
  it('initial', () => {
    expect(initial('acme cloud')).toBe('A');
    expect(initial('  ')).toBe('?');
    expect(initial('阿克米')).toBe('阿');
  });
  it('clip', () => {
    expect(clip('abcdef', 3)).toBe('abc');
    expect(clip('ab', 3)).toBe('ab');
  });
});
