import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WidgetHost } from '../shared/bridge.js';
import type { ClientFrameOf } from '../shared/protocol.js';
import { WidgetStore, type StorageLike } from '../shared/storage.js';
import { CONFIG, chat, message } from '../test/fixtures.js';
import { FakeSocket } from '../test/fake-socket.js';
import { ChatController, errorMessageKey, visitorSocketUrl } from './controller.js';

class MemoryStorage implements StorageLike {
  readonly map = new Map<string, string>();
  getItem = (key: string) => this.map.get(key) ?? null;
  setItem = (key: string, value: string) => void this.map.set(key, value);
  removeItem = (key: string) => void this.map.delete(key);
}

const TOKEN = 'T'.repeat(40);

function setup() {
  const local = new MemoryStorage();
  const beacons: [string, string][] = [];
  const listeners = new Map<string, (() => void)[]>();
  const on = (type: string, listener: () => void) => listeners.set(type, [...(listeners.get(type) ?? []), listener]);
  vi.stubGlobal('location', { href: 'https://acme.example/pricing' });
  vi.stubGlobal('document', { title: 'Pricing · Acme', referrer: 'https://search.example/', visibilityState: 'visible', addEventListener: on });
  vi.stubGlobal('navigator', { language: 'en-US', sendBeacon: (url: string, body: string) => beacons.push([url, body]) });
  vi.stubGlobal('history', { pushState() {}, replaceState() {} });
  vi.stubGlobal('addEventListener', on);
  vi.stubGlobal('dispatchEvent', (event: Event) => listeners.get(event.type)?.forEach((listener) => listener()));
  const unread: number[] = [];
  const host: WidgetHost = {
    siteKey: 'demo',
    serverOrigin: 'https://chat.example.com',
    lang: 'en',
    root: {} as ShadowRoot,
    launcher: {} as HTMLButtonElement,
    store: new WidgetStore('demo', local, new MemoryStorage()),
    config: CONFIG,
    setOpen: () => {},
    setUnread: (count) => unread.push(count),
    setConfig: () => {},
  };
  const controller = new ChatController(host, (url) => new FakeSocket(url));
  return { controller, host, local, beacons, listeners, unread };
}

const welcomeFrame = (over: object = {}) => ({ type: 'v.welcome', protocol: 1, token: TOKEN, config: CONFIG, chat: null, messages: [], ...over });

describe('ChatController', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('derives the socket URL from the server origin', () => {
    expect(visitorSocketUrl('https://chat.example.com')).toBe('wss://chat.example.com/visitor');
    expect(visitorSocketUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/visitor');
    expect(errorMessageKey({ code: 'rate_limited' })).toBe('error.rateLimited');
    expect(errorMessageKey({ code: 'internal' })).toBe('error.generic');
  });

  it('says hello with the stored token, page and language; stores the new token', () => {
    const { controller, host, local } = setup();
    host.store.token = 'S'.repeat(40);
    controller.start();
    FakeSocket.last.open();
    expect(FakeSocket.last.sent[0]).toEqual({
      type: 'v.hello',
      ref: 'hello',
      protocol: 1,
      siteKey: 'demo',
      token: 'S'.repeat(40),
      page: { url: 'https://acme.example/pricing', title: 'Pricing · Acme', referrer: 'https://search.example/' },
      language: 'en-US',
    });
    FakeSocket.last.push(welcomeFrame());
    expect(local.map.get('switchboard:demo:token')).toBe(TOKEN);
    expect(controller.model.phase).toBe('intro');
  });

  it('starts a chat, then resends unacked messages with the same client id after a reconnect', () => {
    const { controller, local } = setup();
    controller.start();
    FakeSocket.last.open();
    FakeSocket.last.push(welcomeFrame());
    controller.send('Hello, do you ship to Norway?');
    const start = FakeSocket.last.sent.at(-1) as ClientFrameOf<'v.start'>;
    expect(start).toMatchObject({ type: 'v.start', message: 'Hello, do you ship to Norway?' });
    expect(start.clientId).toMatch(/^[a-f0-9]{32}$/);
    FakeSocket.last.push({ type: 'v.chat', chat: chat({ queuePosition: 2 }) });
    FakeSocket.last.push({ type: 'v.ack', clientId: start.clientId, messageId: 'm1', seq: 1 });
    expect(local.map.get('switchboard:demo:chat')).toBe('open');
    expect(controller.model.outbox.size).toBe(0);

    controller.send('second');
    const second = FakeSocket.last.sent.at(-1) as ClientFrameOf<'v.send'>;
    expect(second).toMatchObject({ type: 'v.send', body: 'second', ref: `s:${second.clientId}` });
    FakeSocket.last.drop();
    controller.send('third, while offline');
    expect(controller.model.timeline(() => '').map((item) => item.status)).toEqual(['sent', 'sending', 'sending']);

    vi.advanceTimersByTime(1000);
    FakeSocket.last.open();
    // The server got "second" before the drop; its ack was lost.
    FakeSocket.last.push(
      welcomeFrame({
        chat: chat({ status: 'assigned', agentName: 'Alice', queuePosition: null }),
        messages: [
          message(1, { author: 'visitor', clientId: start.clientId, body: 'Hello, do you ship to Norway?' }),
          message(2, { author: 'visitor', clientId: second.clientId, body: 'second' }),
        ],
      }),
    );
    const resent = FakeSocket.last.sent.filter((frame): frame is ClientFrameOf<'v.send'> => frame.type === 'v.send');
    expect(resent.map((frame) => frame.body)).toEqual(['third, while offline']);
    FakeSocket.last.push({ type: 'v.ack', clientId: resent[0]?.clientId, messageId: 'm3', seq: 3 });
    expect(controller.model.timeline(() => '').map((item) => [item.text, item.status])).toEqual([
      ['Hello, do you ship to Norway?', 'sent'],
      ['second', 'sent'],
      ['third, while offline', 'sent'],
    ]);
  });

  it('resends v.start with the same client id when the server never saw it', () => {
    const { controller } = setup();
    controller.start();
    FakeSocket.last.open();
    FakeSocket.last.push(welcomeFrame());
    controller.startChat({ name: 'Ann', message: 'Hi' });
    const first = FakeSocket.last.sent.at(-1) as ClientFrameOf<'v.start'>;
    FakeSocket.last.drop();
    vi.advanceTimersByTime(1000);
    FakeSocket.last.open();
    FakeSocket.last.push(welcomeFrame());
    const again = FakeSocket.last.sent.at(-1) as ClientFrameOf<'v.start'>;
    expect(again).toEqual(first);
    expect(controller.model.phase).toBe('chat');
  });

  it('counts unread agent messages while the panel is closed, and sends v.read when opened', () => {
    const { controller, unread } = setup();
    controller.start();
    FakeSocket.last.open();
    FakeSocket.last.push(welcomeFrame({ chat: chat({ status: 'assigned', agentName: 'Alice' }), messages: [message(1)] }));
    expect(unread.at(-1)).toBe(1);
    FakeSocket.last.push({ type: 'v.message', message: message(2) });
    expect(unread.at(-1)).toBe(2);
    controller.setPanelOpen(true);
    expect(unread.at(-1)).toBe(0);
    expect(FakeSocket.last.sent.at(-1)).toEqual({ type: 'v.read', seq: 2 });
  });

  it('tracks SPA navigation with v.page and beacons on pagehide', () => {
    const { controller, beacons, listeners } = setup();
    controller.start();
    FakeSocket.last.open();
    FakeSocket.last.push(welcomeFrame({ chat: chat() }));
    (location as { href: string }).href = 'https://acme.example/docs';
    history.pushState(null, '', '/docs');
    vi.advanceTimersByTime(300);
    expect(FakeSocket.last.sent.at(-1)).toMatchObject({ type: 'v.page', page: { url: 'https://acme.example/docs' } });
    for (const listener of listeners.get('pagehide') ?? []) listener();
    expect(beacons).toEqual([['https://chat.example.com/api/visitor/leave', JSON.stringify({ siteKey: 'demo', token: TOKEN })]]);
  });

  it('shows the offline thank-you after v.ok, and typing from the agent expires', () => {
    const { controller } = setup();
    controller.start();
    FakeSocket.last.open();
    FakeSocket.last.push(welcomeFrame({ config: { ...CONFIG, online: false } }));
    expect(controller.model.phase).toBe('offline');
    controller.sendOffline({ name: 'Ann', email: 'ann@example.com', message: 'Call me' });
    expect(FakeSocket.last.sent.at(-1)).toEqual({ type: 'v.offline', ref: 'offline', name: 'Ann', email: 'ann@example.com', message: 'Call me' });
    FakeSocket.last.push({ type: 'v.ok', ref: 'offline' });
    expect(controller.model.phase).toBe('offline-sent');
    expect(controller.model.offlineEmail).toBe('ann@example.com');

    FakeSocket.last.push({ type: 'v.typing', state: 'start' });
    expect(controller.model.agentTyping).toBe(true);
    vi.advanceTimersByTime(6000);
    expect(controller.model.agentTyping).toBe(false);
  });

  it('leaves the offline message over HTTP when the socket is not up', async () => {
    const { controller } = setup();
    const calls: [string, RequestInit][] = [];
    vi.stubGlobal('fetch', async (url: URL, init: RequestInit) => {
      calls.push([String(url), init]);
      return new Response(JSON.stringify({ id: 'x' }), { status: 201 });
    });
    controller.start();
    controller.sendOffline({ name: 'Ann', email: 'ann@example.com', message: 'Call me' });
    expect(controller.offlineSending).toBe(true);
    await vi.waitFor(() => expect(controller.model.phase).toBe('offline-sent'));
    expect(calls[0]?.[0]).toBe('https://chat.example.com/api/visitor/offline');
    expect(JSON.parse(String(calls[0]?.[1].body))).toMatchObject({ siteKey: 'demo', name: 'Ann', email: 'ann@example.com', message: 'Call me', page: { url: 'https://acme.example/pricing' } });

    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'slow', retryable: true } }), { status: 429 }));
    controller.offlineAgain();
    controller.sendOffline({ name: 'Ann', email: 'ann@example.com', message: 'Again' });
    await vi.waitFor(() => expect(controller.offlineError).toBe('error.rateLimited'));
    expect(controller.offlineSending).toBe(false);
  });

  it('stops for good when the site is unknown or the page not allowed', () => {
    const { controller } = setup();
    controller.start();
    FakeSocket.last.open();
    FakeSocket.last.push({ type: 'v.error', ref: 'hello', error: { code: 'not_found', message: 'Site not found', retryable: false } });
    FakeSocket.last.drop(1008);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(controller.connection).toBe('failed');
  });

  it('marks a refused message failed and keeps a retryable one pending', () => {
    const { controller } = setup();
    controller.start();
    FakeSocket.last.open();
    FakeSocket.last.push(welcomeFrame({ chat: chat() }));
    controller.send('bad');
    const bad = FakeSocket.last.sent.at(-1) as ClientFrameOf<'v.send'>;
    FakeSocket.last.push({ type: 'v.error', ref: bad.ref, error: { code: 'bad_frame', message: 'no', retryable: false } });
    expect(controller.model.outbox.get(bad.clientId)?.state).toBe('failed');
    controller.send('later');
    const later = FakeSocket.last.sent.at(-1) as ClientFrameOf<'v.send'>;
    FakeSocket.last.push({ type: 'v.error', ref: later.ref, error: { code: 'rate_limited', message: 'slow', retryable: true } });
    expect(controller.error).toBe('error.rateLimited');
    vi.advanceTimersByTime(3000);
    expect(FakeSocket.last.sent.at(-1)).toEqual(later);
  });
});
