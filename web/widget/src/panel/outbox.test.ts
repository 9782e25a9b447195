import { describe, expect, it } from 'vitest';
import { newClientId } from './ids.js';
import { Outbox } from './outbox.js';

const counter = () => {
  let n = 0;
  return {
    id: () => `client-${++n}`,
    now: () => n * 10,
  };
};

describe('Outbox', () => {
  it('keeps unacked messages in order with stable client ids', () => {
    const c = counter();
    const outbox = new Outbox(c.id, c.now);
    const a = outbox.add('first');
    const b = outbox.add('second');
    expect(outbox.list().map((entry) => entry.clientId)).toEqual([a.clientId, b.clientId]);
    expect(outbox.ack(a.clientId)?.body).toBe('first');
    expect(outbox.list().map((entry) => entry.body)).toEqual(['second']);
    expect(outbox.ack('unknown')).toBeUndefined();
  });

  it('reconcile: delivered entries leave, the rest are resent with the same client id', () => {
    const c = counter();
    const outbox = new Outbox(c.id, c.now);
    const delivered = outbox.add('made it, ack lost');
    const lost = outbox.add('never reached the server');
    const { delivered: gone, resend } = outbox.reconcile([
      { clientId: null },
      { clientId: delivered.clientId },
      { clientId: 'someone-else' },
    ]);
    expect(gone).toEqual([delivered.clientId]);
    expect(resend.map((entry) => [entry.clientId, entry.body])).toEqual([[lost.clientId, 'never reached the server']]);
    // Resending twice is fine: same id, the server stores it once.
    expect(outbox.reconcile([]).resend[0]?.clientId).toBe(lost.clientId);
  });

  it('failed entries stay visible but are not resent', () => {
    const outbox = new Outbox();
    const entry = outbox.add('too long for the server');
    outbox.fail(entry.clientId);
    expect(outbox.get(entry.clientId)?.state).toBe('failed');
    expect(outbox.reconcile([]).resend).toEqual([]);
    outbox.add('pending');
    outbox.failAll();
    expect(outbox.list().every((e) => e.state === 'failed')).toBe(true);
    outbox.clear();
    expect(outbox.size).toBe(0);
  });

  it('client ids match the protocol (8-64 of A-Za-z0-9_-) and are unique', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newClientId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});
