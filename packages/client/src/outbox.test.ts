import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientId, type ServerFrame } from '@switchboard/protocol';
import { ClientError, RequestError } from './errors.js';
import { CONV_A, CONV_B, ME, makeMessage, makeWelcome, messageFrame, uuid, type FakeSocket } from './testing/fake-socket.js';
import { record, setup } from './testing/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** What the server answers to a committed send. */
function ackFor(socket: FakeSocket, clientId: string, seq: number): ServerFrame {
  const frame = socket.sentOf('send').find((send) => send.clientId === clientId);
  if (!frame) throw new Error(`no send with clientId ${clientId} on this socket`);
  return { type: 'ack', ref: frame.ref, clientId, conversationId: frame.conversationId, messageId: uuid(50_000 + seq), seq, createdAt: 1 };
}

describe('send', () => {
  it('writes a send frame with a fresh clientId and resolves with the ack', async () => {
    const { server, client } = setup();
    void client.connect();
    const socket = server.handshake(makeWelcome({ [CONV_A]: 0 }));

    const sending = client.send(CONV_A, 'hello');
    const frame = socket.lastSent('send');
    expect(frame).toMatchObject({ conversationId: CONV_A, body: 'hello' });
    expect(ClientId.safeParse(frame.clientId).success).toBe(true);
    expect(frame.ref).toBeTruthy();
    expect(client.pending()).toMatchObject([{ clientId: frame.clientId, state: 'sent', attempts: 1 }]);

    socket.push(ackFor(socket, frame.clientId, 1));
    await expect(sending).resolves.toMatchObject({ type: 'ack', clientId: frame.clientId, seq: 1 });
    expect(client.pending()).toEqual([]);
  });

  it('gives every send its own clientId', () => {
    const { server, client } = setup();
    void client.connect();
    const socket = server.handshake();
    void client.send(CONV_A, 'one');
    void client.send(CONV_A, 'two');
    const [first, second] = socket.sentOf('send');
    expect(first?.clientId).not.toBe(second?.clientId);
  });

  it('queues sends made while disconnected and writes them in order after the welcome', () => {
    const { server, client } = setup();
    for (const body of ['one', 'two', 'three']) void client.send(CONV_A, body);
    expect(client.pending().map((item) => [item.body, item.state])).toEqual([
      ['one', 'queued'],
      ['two', 'queued'],
      ['three', 'queued'],
    ]);

    void client.connect();
    const socket = server.handshake();
    expect(socket.sentOf('send').map((frame) => frame.body)).toEqual(['one', 'two', 'three']);
    expect(client.pending().every((item) => item.state === 'sent')).toBe(true);
  });

  it('refuses an invalid message at once instead of queueing it', async () => {
    const { client } = setup();
    await expect(client.send(CONV_A, '   ')).rejects.toBeInstanceOf(RequestError);
    await expect(client.send(CONV_A, 'x'.repeat(8001))).rejects.toMatchObject({ code: 'bad_request', retryable: false });
    await expect(client.send('not-a-uuid', 'hi')).rejects.toMatchObject({ code: 'bad_request' });
    expect(client.pending()).toEqual([]);
  });

  it('returns the same promise, and sends once, for a repeated clientId', () => {
    const { server, client } = setup();
    void client.connect();
    const socket = server.handshake();
    const first = client.send(CONV_A, 'hi', { clientId: 'persisted-id-1' });
    const again = client.send(CONV_A, 'hi', { clientId: 'persisted-id-1' });
    expect(again).toBe(first);
    expect(socket.sentOf('send')).toHaveLength(1);
  });

  it('reports the pending list to UIs on every change', async () => {
    const { server, client } = setup();
    const snapshots = record(client, 'outbox');
    const sending = client.send(CONV_A, 'hi');
    void client.connect();
    const socket = server.handshake();
    socket.push(ackFor(socket, socket.lastSent('send').clientId, 1));
    await sending;
    expect(snapshots.map((list) => list.map((item) => item.state))).toEqual([['queued'], ['sent'], []]);
  });
});

describe('resend after a drop (D2, D5)', () => {
  it('re-sends with the same clientId after reconnecting, and resolves exactly once', async () => {
    const { server, client } = setup();
    const messages = record(client, 'message');
    void client.connect();
    const first = server.handshake(makeWelcome({ [CONV_A]: 0 }));
    const settled = vi.fn();
    const sending = client.send(CONV_A, 'hello').then(settled);
    const clientId = first.lastSent('send').clientId;

    // The server committed it and fanned it out, but the socket died before the ack was written.
    first.push(messageFrame(makeMessage(CONV_A, 1, { senderId: ME, clientId, body: 'hello' })));
    first.drop(1006);
    expect(client.pending()).toMatchObject([{ clientId, state: 'queued' }]);

    await vi.advanceTimersByTimeAsync(125);
    const second = server.handshake(makeWelcome({ [CONV_A]: 1 }));
    const resent = second.sentOf('send');
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ clientId, conversationId: CONV_A, body: 'hello' });

    // Idempotent on the server: the same clientId gets the same ack; a stray repeat changes nothing.
    second.push(ackFor(second, clientId, 1));
    second.push(ackFor(second, clientId, 1));
    expect(second.sentOf('sync')).toEqual([]); // it already holds seq 1: nothing to catch up
    await sending;
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toHaveBeenCalledTimes(1);
    expect(settled).toHaveBeenCalledWith(expect.objectContaining({ clientId, seq: 1 }));
    expect(messages.map((event) => event.message.seq)).toEqual([1]);
    expect(client.pending()).toEqual([]);
  });

  it('re-sends every unacknowledged item in the original order', async () => {
    const { server, client } = setup();
    void client.connect();
    const first = server.handshake();
    void client.send(CONV_A, 'a');
    void client.send(CONV_B, 'b');
    void client.send(CONV_A, 'c');
    const [a] = first.sentOf('send');
    first.push(ackFor(first, a?.clientId ?? '', 1));
    first.drop(1012, 'restart');

    await vi.advanceTimersByTimeAsync(125);
    const second = server.handshake();
    expect(second.sentOf('send').map((frame) => frame.body)).toEqual(['b', 'c']);
    expect(second.sentOf('send').map((frame) => frame.clientId)).toEqual(first.sentOf('send').slice(1).map((frame) => frame.clientId));
  });

  it('re-sends, with the same clientId, a send whose ack never came', async () => {
    const { server, client } = setup({ requestTimeoutMs: 5_000 });
    void client.connect();
    const socket = server.handshake();
    void client.send(CONV_A, 'hello');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(socket.sentOf('send')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1 + 125);
    const sends = socket.sentOf('send');
    expect(sends).toHaveLength(2);
    expect(sends[1]?.clientId).toBe(sends[0]?.clientId);
  });
});

describe('refusals', () => {
  it('retries a retryable refusal after a backoff delay', async () => {
    const { server, client } = setup();
    void client.connect();
    const socket = server.handshake();
    const sending = client.send(CONV_A, 'hello');
    const frame = socket.lastSent('send');

    socket.push({ type: 'error', ref: frame.ref, error: { code: 'unavailable', message: 'store down', retryable: true } });
    expect(client.pending()).toMatchObject([{ state: 'queued' }]);
    await vi.advanceTimersByTimeAsync(124);
    expect(socket.sentOf('send')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.sentOf('send')).toHaveLength(2);
    expect(socket.lastSent('send').clientId).toBe(frame.clientId);

    // A second refusal in a row waits twice as long.
    socket.push({ type: 'error', ref: socket.lastSent('send').ref, error: { code: 'rate_limited', message: 'slow down', retryable: true } });
    await vi.advanceTimersByTimeAsync(249);
    expect(socket.sentOf('send')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.sentOf('send')).toHaveLength(3);

    socket.push(ackFor(socket, frame.clientId, 7));
    await expect(sending).resolves.toMatchObject({ seq: 7 });
  });

  it('holds back later sends while paused, then writes them in order', async () => {
    const { server, client } = setup();
    void client.connect();
    const socket = server.handshake();
    void client.send(CONV_A, 'one');
    socket.push({ type: 'error', ref: socket.lastSent('send').ref, error: { code: 'rate_limited', message: 'slow down', retryable: true } });
    void client.send(CONV_A, 'two');
    expect(socket.sentOf('send').map((frame) => frame.body)).toEqual(['one']);
    await vi.advanceTimersByTimeAsync(125);
    expect(socket.sentOf('send').map((frame) => frame.body)).toEqual(['one', 'one', 'two']);
  });

  it('on a rate_limited error that names no ref, pauses and re-sends the unacknowledged sends', async () => {
    const { server, client } = setup();
    void client.connect();
    const socket = server.handshake();
    const got = client.send(CONV_A, 'got through');
    void client.send(CONV_A, 'dropped');
    const [through, dropped] = socket.sentOf('send');
    socket.push({ type: 'error', error: { code: 'rate_limited', message: 'Too many frames; slow down.', retryable: true } });
    void client.send(CONV_A, 'later');
    expect(socket.sentOf('send')).toHaveLength(2);

    // The first one's ack comes in during the pause: it is not written again.
    socket.push(ackFor(socket, through?.clientId ?? '', 1));
    await expect(got).resolves.toMatchObject({ seq: 1 });
    await vi.advanceTimersByTimeAsync(124);
    expect(socket.sentOf('send')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.sentOf('send').slice(2).map((frame) => [frame.body, frame.clientId])).toEqual([
      ['dropped', dropped?.clientId],
      ['later', expect.any(String)],
    ]);
  });

  it('rejects on a non-retryable refusal, without emitting it as an error event', async () => {
    const { server, client } = setup();
    const errors = record(client, 'error');
    void client.connect();
    const socket = server.handshake();
    const sending = client.send(CONV_A, 'hello');
    socket.push({ type: 'error', ref: socket.lastSent('send').ref, error: { code: 'forbidden', message: 'not a member', retryable: false } });

    const error: unknown = await sending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ code: 'forbidden', retryable: false });
    expect(client.pending()).toEqual([]);
    expect(errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(socket.sentOf('send')).toHaveLength(1);
  });

  it('rejects sends queued before any connection when closed', async () => {
    const { client } = setup();
    const sending = client.send(CONV_A, 'never connected').catch((caught: unknown) => caught);
    client.close();
    await expect(sending).resolves.toMatchObject({ code: 'closed' });
    expect(client.pending()).toEqual([]);
  });

  it('rejects everything pending when closed, and later sends at once', async () => {
    const { server, client } = setup();
    void client.connect();
    server.handshake();
    const sending = client.send(CONV_A, 'hello').catch((caught: unknown) => caught);
    client.close();
    const error = await sending;
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'closed' });
    expect(client.pending()).toEqual([]);
    await expect(client.send(CONV_A, 'late')).rejects.toMatchObject({ code: 'closed' });
  });
});
