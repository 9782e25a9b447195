import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeDocument, type FakeElement, FakeText } from '../test/fake-dom.js';
import { translator } from './i18n.js';
import { continues, renderBody, renderItem } from './render.js';
import type { TimelineItem } from './state.js';

const t = translator('en');

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(document.cookie)">',
  '"><svg onload=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  'javascript:alert(1)',
  '&lt;b&gt;not bold&lt;/b&gt;',
];

const item = (over: Partial<TimelineItem>): TimelineItem => ({
  key: 'k1',
  author: 'agent',
  text: 'hello',
  name: 'Alice',
  time: Date.UTC(2025, 0, 1, 9, 30),
  status: 'sent',
  seq: 1,
  clientId: null,
  ...over,
});

describe('message rendering', () => {
  beforeAll(() => {
    vi.stubGlobal('document', fakeDocument);
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });

  for (const payload of PAYLOADS) {
    it(`renders ${JSON.stringify(payload)} as text only`, () => {
      for (const author of ['agent', 'visitor', 'system'] as const) {
        const li = renderItem(item({ author, text: payload, name: payload }), t, 'en', false) as unknown as FakeElement;
        const tags = li.descendants().map((element) => element.tagName);
        // Only the widget's own structure: no element came out of the payload.
        expect(tags.every((tag) => ['SPAN', 'DIV'].includes(tag))).toBe(true);
        expect(li.textContent).toContain(payload);
        for (const element of [li, ...li.descendants()]) {
          for (const name of element.attributes.keys()) expect(name.startsWith('on')).toBe(false);
        }
      }
    });
  }

  it('turns only http(s) URLs into links, with the URL as text', () => {
    const body = renderBody('see https://acme.example/docs?a=1&b=<2> or javascript:alert(1)') as unknown as FakeElement;
    const links = body.children.filter((child) => child.tagName === 'A');
    expect(links).toHaveLength(1);
    expect(links[0]?.getAttribute('href')).toBe('https://acme.example/docs?a=1&b=');
    expect(links[0]?.getAttribute('rel')).toContain('noopener');
    expect(links[0]?.textContent).toBe('https://acme.example/docs?a=1&b=');
    expect(body.textContent).toBe('see https://acme.example/docs?a=1&b=<2> or javascript:alert(1)');
    expect(body.childNodes.filter((node) => node instanceof FakeText).map((node) => node.textContent)).toContain('<2> or javascript:alert(1)');
  });

  it('marks author, status and test ids; agent items carry the agent name', () => {
    const li = renderItem(item({}), t, 'en', false) as unknown as FakeElement;
    expect(li.getAttribute('data-testid')).toBe('sb-message');
    expect(li.getAttribute('data-author')).toBe('agent');
    expect(li.getAttribute('data-status')).toBe('sent');
    expect(li.getAttribute('data-seq')).toBe('1');
    const author = li.descendants().find((element) => element.getAttribute('data-testid') === 'sb-message-author');
    expect(author?.textContent).toBe('Alice');

    const pending = renderItem(item({ author: 'visitor', name: null, status: 'sending', seq: null, clientId: 'abcdef0123' }), t, 'en', false) as unknown as FakeElement;
    expect(pending.getAttribute('data-status')).toBe('sending');
    expect(pending.getAttribute('data-client-id')).toBe('abcdef0123');
    expect(pending.getAttribute('data-seq')).toBeNull();
    expect(pending.textContent).toContain('Sending…');
  });

  it('groups consecutive messages of the same author', () => {
    expect(continues(undefined, item({}))).toBe(false);
    expect(continues(item({}), item({ key: 'k2' }))).toBe(true);
    expect(continues(item({}), item({ key: 'k2', name: 'Bob' }))).toBe(false);
    expect(continues(item({ author: 'system' }), item({ author: 'system' }))).toBe(false);
  });
});
