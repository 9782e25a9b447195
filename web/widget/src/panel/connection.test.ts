import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONFIG } from '../test/fixtures.js';
import { FakeSocket } from '../test/fake-socket.js';
import { backoffDelay } from './backoff.js';
import { VisitorConnection, type ConnectionState } from './connection.js';

const TOKEN = 'T'.repeat(40);
const welcome = { type: 'v.welcome', protocol: 1, token: TOKEN, config: CONFIG, chat: null, messages: [] };

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with full jitter and a floor', () => {
    expect(backoffDelay(0, () => 0.999)).toBe(499);
    expect(backoffDelay(3, () => 0.999)).toBe(3996);
    expect(backoffDelay(20, () => 0.999)).toBe(29_970);
    expect(backoffDelay(5, () => 0)).toBe(250);
    expect(backoffDelay(5, () => 0.5)).toBe(8000);
  });
});

describe('VisitorConnection', () => {
  let states: ConnectionState[];
  let frames: string[];
  const make = () =>
    new VisitorConnection({
      url: 'wss://chat.example.com/visitor',
      hello: () => ({ type: 'v.hello', protocol: 1, siteKey: 'demo', page: { url: 'https://acme.example/', title: 'Acme', referrer: '' } }),
      onFrame: (frame) => frames.push(frame.type),
      onState: (state) => states.push(state),
      createSocket: (url) => new FakeSocket(url),
      random: () => 0.5,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    states = [];
    frames = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says hello on open, is ready after welcome, and only then sends frames', () => {
    const conn = make();
    conn.connect();
    expect(conn.send({ type: 'v.ping' })).toBe(false);
    FakeSocket.last.open();
    expect(FakeSocket.last.types()).toEqual(['v.hello']);
    expect(conn.send({ type: 'v.ping' })).toBe(false);
    FakeSocket.last.push(welcome);
    expect(states).toEqual(['ready']);
    expect(frames).toEqual(['v.welcome']);
    expect(conn.send({ type: 'v.typing', state: 'start' })).toBe(true);
    expect(conn.generation).toBe(1);
  });

  it('reconnects with backoff and says hello again', () => {
    const conn = make();
    conn.connect();
    FakeSocket.last.open();
    FakeSocket.last.push(welcome);
    FakeSocket.last.drop();
    expect(states.at(-1)).toBe('reconnecting');
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(249);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);
    // Second failure in a row waits longer (attempt 1: 0.5 × 1000).
    FakeSocket.last.drop();
    vi.advanceTimersByTime(499);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.last.open();
    expect(FakeSocket.last.types()).toEqual(['v.hello']);
    FakeSocket.last.push(welcome);
    expect(conn.generation).toBe(2);
    expect(states.at(-1)).toBe('ready');
  });

  it('pings, and restarts a connection that stopped answering', () => {
    const conn = make();
    conn.connect();
    FakeSocket.last.open();
    FakeSocket.last.push(welcome);
    vi.advanceTimersByTime(25_000);
    expect(FakeSocket.last.types()).toContain('v.ping');
    FakeSocket.last.push({ type: 'v.pong' });
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(25_000 + 10_000);
    expect(FakeSocket.all[0]?.closedWith).toBe(1000);
    vi.advanceTimersByTime(30_000);
    expect(FakeSocket.all.length).toBeGreaterThan(1);
    expect(conn.state).not.toBe('failed');
  });

  it('gives up on an unsupported protocol version', () => {
    const conn = make();
    conn.connect();
    FakeSocket.last.open();
    FakeSocket.last.drop(4000);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(conn.state).toBe('failed');
  });

  it('reconnects at once when nudged (back online)', () => {
    const conn = make();
    conn.connect();
    FakeSocket.last.drop();
    conn.nudge();
    expect(FakeSocket.all).toHaveLength(2);
  });
});
