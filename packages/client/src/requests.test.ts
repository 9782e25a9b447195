import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientError, RequestError } from './errors.js';
import { CONV_A, makeWelcome, uuid, type FakeSocket } from './testing/fake-socket.js';
import { record, setup } from './testing/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const MESSAGE_ID = uuid(777);

function connected(options: Parameters<typeof setup>[0] = {}) {
  const harness = setup(options);
  void harness.client.connect();
  const socket = harness.server.handshake(makeWelcome({ [CONV_A]: 3 }));
  return { ...harness, socket };
}

/** The last frame written, answered with ok. */
function okLast(socket: FakeSocket): void {
  socket.push({ type: 'ok', ref: socket.sent.at(-1)?.ref });
}

describe('requests answered by ok', () => {
  it.each([
    ['edit', (client: ReturnType<typeof setup>['client']) => client.edit(CONV_A, MESSAGE_ID, 'fixed'), { type: 'edit', conversationId: CONV_A, messageId: MESSAGE_ID, body: 'fixed' }],
    ['remove', (client: ReturnType<typeof setup>['client']) => client.remove(CONV_A, MESSAGE_ID), { type: 'delete', conversationId: CONV_A, messageId: MESSAGE_ID }],
    ['markRead', (client: ReturnType<typeof setup>['client']) => client.markRead(CONV_A, 3), { type: 'read', conversationId: CONV_A, seq: 3 }],
    ['setPresence', (client: ReturnType<typeof setup>['client']) => client.setPresence('away'), { type: 'presence.set', status: 'away' }],
  ])('%s writes its frame with a ref and resolves on the ok echoing it', async (_name, call, expected) => {
    const { client, socket } = connected();
    const settled = vi.fn();
    const pending = call(client).then(settled);
    const frame = socket.sent.at(-1);
    expect(frame).toMatchObject(expected);
    expect(frame?.ref).toBeTruthy();

    socket.push({ type: 'ok', ref: 'someone-else' });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).not.toHaveBeenCalled();
    socket.push({ type: 'ok', ref: frame?.ref });
    await pending;
    expect(settled).toHaveBeenCalledTimes(1);
  });

  it('rejects with the error frame that echoes the ref, and does not emit it as an error event', async () => {
    const { client, socket } = connected();
    const errors = record(client, 'error');
    const editing = client.edit(CONV_A, MESSAGE_ID, 'fixed');
    socket.push({ type: 'error', ref: socket.lastSent('edit').ref, error: { code: 'forbidden', message: 'not yours', retryable: false } });
    const error: unknown = await editing.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ code: 'forbidden', message: 'not yours' });
    expect(errors).toEqual([]);
  });

  it('emits an error frame nobody waits for as an error event', () => {
    const { client, socket } = connected();
    const errors = record(client, 'error');
    socket.push({ type: 'error', ref: 'unknown', error: { code: 'internal', message: 'oops', retryable: false } });
    expect(errors).toHaveLength(1);
  });

  it('times out when no answer comes', async () => {
    const { client } = connected({ requestTimeoutMs: 2_000 });
    const reading = client.markRead(CONV_A, 3).catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(1_999);
    await vi.advanceTimersByTimeAsync(1);
    const error = await reading;
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('refuses an invalid request locally', async () => {
    const { client, socket } = connected();
    const before = socket.sent.length;
    await expect(client.edit(CONV_A, 'not-a-uuid', 'x')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(client.markRead(CONV_A, -1)).rejects.toMatchObject({ code: 'bad_request' });
    expect(socket.sent.length).toBe(before);
  });

  it('waits for the connection when called while disconnected, through failed attempts', async () => {
    const { server, client } = setup();
    const reading = client.markRead(CONV_A, 3);
    void client.connect();
    server.socket.drop(1006);
    await vi.advanceTimersByTimeAsync(125);
    const socket = server.handshake();
    expect(socket.lastSent('read')).toMatchObject({ conversationId: CONV_A, seq: 3 });
    okLast(socket);
    await expect(reading).resolves.toBeUndefined();
  });

  it('rejects a request in flight when the connection drops (it may have been applied)', async () => {
    const { client, socket } = connected();
    const removing = client.remove(CONV_A, MESSAGE_ID).catch((caught: unknown) => caught);
    socket.drop(1006);
    await expect(removing).resolves.toMatchObject({ code: 'connection_lost' });
  });
});

describe('ping', () => {
  it('resolves with the server time and the round trip', async () => {
    const { client, socket } = connected();
    const pinging = client.ping();
    await vi.advanceTimersByTimeAsync(40);
    socket.push({ type: 'pong', ref: socket.lastSent('ping').ref, serverTime: 123 });
    await expect(pinging).resolves.toEqual({ serverTime: 123, roundTripMs: 40 });
  });

  it('is not answered by an ok', async () => {
    const { client, socket } = connected({ requestTimeoutMs: 1_000 });
    const pinging = client.ping().catch((caught: unknown) => caught);
    okLast(socket);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(pinging).resolves.toMatchObject({ code: 'timeout' });
  });
});

describe('typing', () => {
  it('sends start at most once per 3 s per conversation; stop always, and it lets the next start through', async () => {
    const { client, socket } = connected();
    const starts = () => socket.sentOf('typing').filter((frame) => frame.state === 'start').length;

    const first = client.typing(CONV_A, 'start');
    okLast(socket);
    await expect(first).resolves.toBe(true);
    expect(starts()).toBe(1);

    await vi.advanceTimersByTimeAsync(1_000);
    await expect(client.typing(CONV_A, 'start')).resolves.toBe(false);
    await vi.advanceTimersByTimeAsync(1_999);
    await expect(client.typing(CONV_A, 'start')).resolves.toBe(false);
    expect(starts()).toBe(1);

    await vi.advanceTimersByTimeAsync(1);
    const third = client.typing(CONV_A, 'start');
    okLast(socket);
    await expect(third).resolves.toBe(true);
    expect(starts()).toBe(2);

    const stop = client.typing(CONV_A, 'stop');
    okLast(socket);
    await expect(stop).resolves.toBe(true);
    const again = client.typing(CONV_A, 'start');
    okLast(socket);
    await expect(again).resolves.toBe(true);
    expect(socket.sentOf('typing').map((frame) => frame.state)).toEqual(['start', 'start', 'stop', 'start']);
  });

  it('throttles each conversation on its own', async () => {
    const { client, socket } = connected();
    const other = uuid(555);
    void client.typing(CONV_A, 'start');
    void client.typing(other, 'start');
    expect(socket.sentOf('typing').map((frame) => frame.conversationId)).toEqual([CONV_A, other]);
  });

  it('sends nothing while disconnected', async () => {
    const { client } = setup();
    await expect(client.typing(CONV_A, 'start')).resolves.toBe(false);
  });
});

describe('request (frames without a helper)', () => {
  const CHAT = uuid(900);

  it('sends an agent frame with a ref and resolves with the ok that echoes it', async () => {
    const { client, socket } = connected();
    const setting = client.request({ type: 'duty.set', status: 'available' });
    const frame = socket.lastSent('duty.set');
    expect(frame).toMatchObject({ status: 'available', ref: expect.any(String) });
    socket.push({ type: 'ok', ref: frame.ref });
    await expect(setting).resolves.toEqual({ type: 'ok', ref: frame.ref });
  });

  it('resolves visitor.send with its visitor.ack, and rejects on an error frame', async () => {
    const { client, socket } = connected();
    const sending = client.request({ type: 'visitor.send', chatId: CHAT, clientId: 'visitor-msg-1', body: 'Hello!' });
    const frame = socket.lastSent('visitor.send');
    socket.push({ type: 'visitor.ack', ref: frame.ref, chatId: CHAT, clientId: 'visitor-msg-1', messageId: uuid(901), seq: 4 });
    await expect(sending).resolves.toMatchObject({ type: 'visitor.ack', seq: 4 });

    const closing = client.request({ type: 'visitor.close', chatId: CHAT });
    socket.push({ type: 'error', ref: socket.lastSent('visitor.close').ref, error: { code: 'unavailable', message: 'Customer service is not available on this server.', retryable: true } });
    await expect(closing).rejects.toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('refuses an invalid frame locally', async () => {
    const { client, socket } = connected();
    const before = socket.sent.length;
    await expect(client.request({ type: 'visitor.close', chatId: 'nope' })).rejects.toMatchObject({ code: 'bad_request' });
    expect(socket.sent.length).toBe(before);
  });
});
