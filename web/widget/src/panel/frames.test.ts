import { describe, expect, it } from 'vitest';
import { parseServerFrame } from './frames.js';
import { CONFIG, message } from '../test/fixtures.js';

describe('parseServerFrame', () => {
  it('accepts well-formed frames', () => {
    const welcome = { type: 'v.welcome', protocol: 1, token: 't'.repeat(40), config: CONFIG, chat: null, messages: [message(1)] };
    expect(parseServerFrame(JSON.stringify(welcome))).toEqual(welcome);
    expect(parseServerFrame(JSON.stringify({ type: 'v.ack', clientId: 'abcdefgh', messageId: 'm', seq: 3 }))?.type).toBe('v.ack');
    expect(parseServerFrame(JSON.stringify({ type: 'v.typing', state: 'start' }))?.type).toBe('v.typing');
    expect(parseServerFrame(JSON.stringify({ type: 'v.error', error: { code: 'rate_limited', message: 'slow down', retryable: true } }))?.type).toBe('v.error');
    expect(parseServerFrame(JSON.stringify({ type: 'v.chat', chat: { id: 'c', status: 'queued', queuePosition: 2, agentName: null, closed: false } }))?.type).toBe('v.chat');
  });

  it('drops malformed ones instead of throwing', () => {
    for (const data of [
      'not json',
      '[]',
      'null',
      JSON.stringify({ type: 'v.message', message: { id: 1 } }),
      JSON.stringify({ type: 'v.chat', chat: { id: 'c', status: 'weird', closed: false } }),
      JSON.stringify({ type: 'v.typing', state: 'maybe' }),
      JSON.stringify({ type: 'v.welcome', token: 'x', config: { name: 'no' }, chat: null, messages: [] }),
      JSON.stringify({ type: 'v.error', error: 'boom' }),
      JSON.stringify({ type: 'v.unknown' }),
      JSON.stringify({ type: 'v.ok', ref: 5 }),
    ]) {
      expect(parseServerFrame(data)).toBeNull();
    }
    expect(parseServerFrame(new ArrayBuffer(4))).toBeNull();
  });

  it('keeps the good messages of a welcome with one bad message', () => {
    const frame = parseServerFrame(JSON.stringify({ type: 'v.welcome', protocol: 1, token: 't'.repeat(40), config: CONFIG, chat: null, messages: [message(1), { id: 'broken' }, message(2)] }));
    expect(frame?.type === 'v.welcome' && frame.messages.map((m) => m.seq)).toEqual([1, 2]);
  });
});
