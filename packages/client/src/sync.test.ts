import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '@switchboard/protocol';
import { CONV_A, CONV_B, makeConversation, makeMessage, makeWelcome, messageFrame, uuid, type FakeSocket } from './testing/fake-socket.js';
import { delivered, record, setup } from './testing/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function batch(socket: FakeSocket, conversationId: string, seqs: number[], hasMore = false): ServerFrame {
  return {
    type: 'sync.batch',
    ref: socket.lastSent('sync').ref,
    conversationId,
    messages: seqs.map((seq) => makeMessage(conversationId, seq)),
    hasMore,
  };
}

function done(socket: FakeSocket): ServerFrame {
  return { type: 'sync.done', ref: socket.lastSent('sync').ref };
}

/** Connected, with the cursor of CONV_A at `seen` (received live). */
async function connectedAfterSeeing(seen: number, options: Parameters<typeof setup>[0] = {}) {
  const { server, client } = setup(options);
  const messages = record(client, 'message');
  const synced = record(client, 'synced');
  void client.connect();
  const socket = server.handshake(makeWelcome({ [CONV_A]: seen - 1, [CONV_B]: 10 }));
  socket.push(messageFrame(makeMessage(CONV_A, seen)));
  expect(client.cursor(CONV_A)).toBe(seen);
  messages.length = 0;
  synced.length = 0;
  return { server, client, messages, synced };
}

/** Drops the socket and completes the next handshake with this welcome. */
async function reconnect(server: ReturnType<typeof setup>['server'], welcome: Record<string, number>): Promise<FakeSocket> {
  server.socket.drop(1012, 'restart');
  await vi.advanceTimersByTimeAsync(125);
  return server.handshake(makeWelcome(welcome));
}

describe('catch-up after a reconnect (D4)', () => {
  it('syncs nothing, and reports synced at once, when nothing was seen', async () => {
    const { server, client } = setup();
    const synced = record(client, 'synced');
    void client.connect();
    const socket = server.handshake(makeWelcome({ [CONV_A]: 5 }));
    expect(socket.sentOf('sync')).toEqual([]);
    expect(synced).toEqual([{ conversations: 0, messages: 0, failed: [] }]);
  });

  it('does not count the welcome lastSeq as seen', async () => {
    const { server, client } = setup();
    void client.connect();
    server.handshake(makeWelcome({ [CONV_A]: 5 }));
    expect(client.cursor(CONV_A)).toBeUndefined();
    const socket = await reconnect(server, { [CONV_A]: 9 });
    expect(client.cursor(CONV_A)).toBeUndefined();
    expect(socket.sentOf('sync')).toEqual([]);
  });

  it('asks from each seen cursor and emits the missed messages in order as message events', async () => {
    const { server, client, messages, synced } = await connectedAfterSeeing(6);
    client.markSeen(CONV_B, 10);

    const socket = await reconnect(server, { [CONV_A]: 9, [CONV_B]: 12 });
    expect(socket.lastSent('sync').cursors).toEqual([
      { conversationId: CONV_A, afterSeq: 6 },
      { conversationId: CONV_B, afterSeq: 10 },
    ]);
    socket.push(batch(socket, CONV_A, [7, 8, 9]));
    socket.push(batch(socket, CONV_B, [11, 12]));
    expect(synced).toEqual([]);
    socket.push(done(socket));

    expect(delivered(messages)).toEqual(['A:7', 'A:8', 'A:9', 'B:11', 'B:12']);
    expect(messages.every((event) => event.type === 'message')).toBe(true);
    expect(synced).toEqual([{ conversations: 2, messages: 5, failed: [] }]);
    expect(client.cursor(CONV_A)).toBe(9);
  });

  it('leaves out conversations the welcome shows nothing new in, unless they hold a gap', async () => {
    const { server, client, synced } = await connectedAfterSeeing(6);
    client.markSeen(CONV_B, 10);
    server.socket.push(messageFrame(makeMessage(CONV_A, 8)));
    let socket = await reconnect(server, { [CONV_A]: 8, [CONV_B]: 10 });
    expect(socket.lastSent('sync').cursors).toEqual([{ conversationId: CONV_A, afterSeq: 6 }]);
    socket.push(batch(socket, CONV_A, [7, 8]));
    socket.push(done(socket));

    synced.length = 0;
    socket = await reconnect(server, { [CONV_A]: 8, [CONV_B]: 10 });
    expect(socket.sentOf('sync')).toEqual([]);
    expect(synced).toEqual([{ conversations: 0, messages: 0, failed: [] }]);
  });

  it('follows hasMore from the last seq received until the server has no more', async () => {
    const { server, messages, synced } = await connectedAfterSeeing(6, { syncPageSize: 2 });
    const socket = await reconnect(server, { [CONV_A]: 11, [CONV_B]: 10 });
    expect(socket.lastSent('sync')).toMatchObject({ cursors: [{ conversationId: CONV_A, afterSeq: 6 }], limit: 2 });

    socket.push(batch(socket, CONV_A, [7, 8], true));
    socket.push(done(socket));
    expect(socket.lastSent('sync')).toMatchObject({ cursors: [{ conversationId: CONV_A, afterSeq: 8 }], limit: 2 });
    socket.push(batch(socket, CONV_A, [9, 10], true));
    socket.push(done(socket));
    expect(socket.lastSent('sync').cursors).toEqual([{ conversationId: CONV_A, afterSeq: 10 }]);
    socket.push(batch(socket, CONV_A, [11], false));
    expect(synced).toEqual([]);
    socket.push(done(socket));

    expect(socket.sentOf('sync')).toHaveLength(3);
    expect(delivered(messages)).toEqual(['A:7', 'A:8', 'A:9', 'A:10', 'A:11']);
    expect(synced).toEqual([{ conversations: 1, messages: 5, failed: [] }]);
  });

  it('neither loses nor repeats live messages that arrive during catch-up, and keeps seq order', async () => {
    const { server, messages, synced } = await connectedAfterSeeing(6);
    const socket = await reconnect(server, { [CONV_A]: 9, [CONV_B]: 10 });

    // Committed after the new socket subscribed: live, and also in the sync page read later.
    socket.push(messageFrame(makeMessage(CONV_A, 10)));
    expect(messages).toEqual([]);
    socket.push(batch(socket, CONV_A, [7, 8, 9, 10]));
    socket.push(messageFrame(makeMessage(CONV_A, 9)));
    socket.push(messageFrame(makeMessage(CONV_A, 11)));
    socket.push(done(socket));

    expect(delivered(messages)).toEqual(['A:7', 'A:8', 'A:9', 'A:10', 'A:11']);
    expect(synced).toHaveLength(1);
  });

  it('starts from a cursor set by markSeen after a history load', async () => {
    const { server, client } = setup();
    void client.connect();
    server.handshake(makeWelcome({ [CONV_A]: 40 }));
    client.markSeen(CONV_A, 40);
    const socket = await reconnect(server, { [CONV_A]: 42 });
    expect(socket.lastSent('sync').cursors).toEqual([{ conversationId: CONV_A, afterSeq: 40 }]);
  });

  it('stops following a conversation the user left, live or while offline', async () => {
    const { server, client } = await connectedAfterSeeing(6);
    client.markSeen(CONV_B, 10);
    server.socket.push({ type: 'conversation.removed', conversationId: CONV_A });
    expect(client.cursor(CONV_A)).toBeUndefined();
    // Even if a welcome listed it again (re-added meanwhile), the old cursor is gone.
    let socket = await reconnect(server, { [CONV_A]: 9, [CONV_B]: 11 });
    expect(socket.lastSent('sync').cursors).toEqual([{ conversationId: CONV_B, afterSeq: 10 }]);
    socket.push(done(socket));

    // Removed while disconnected: the next welcome no longer lists it.
    socket = await reconnect(server, {});
    expect(socket.sentOf('sync')).toEqual([]);
    expect(client.cursor(CONV_B)).toBeUndefined();
  });

  it('retries a sync refused with a retryable error, from where it got to', async () => {
    const { server, messages, synced } = await connectedAfterSeeing(6);
    const socket = await reconnect(server, { [CONV_A]: 9, [CONV_B]: 10 });
    socket.push(batch(socket, CONV_A, [7], true));
    socket.push({ type: 'error', ref: socket.lastSent('sync').ref, error: { code: 'unavailable', message: 'store down', retryable: true } });
    expect(synced).toEqual([]);
    await vi.advanceTimersByTimeAsync(125);
    expect(socket.sentOf('sync')).toHaveLength(2);
    expect(socket.lastSent('sync').cursors).toEqual([{ conversationId: CONV_A, afterSeq: 7 }]);
    socket.push(batch(socket, CONV_A, [8, 9]));
    socket.push(done(socket));
    expect(delivered(messages)).toEqual(['A:7', 'A:8', 'A:9']);
    expect(synced).toEqual([{ conversations: 1, messages: 3, failed: [] }]);
  });

  it('reports conversations whose sync was refused for good', async () => {
    const { server, synced } = await connectedAfterSeeing(6);
    const socket = await reconnect(server, { [CONV_A]: 9, [CONV_B]: 10 });
    socket.push({ type: 'error', ref: socket.lastSent('sync').ref, error: { code: 'forbidden', message: 'no', retryable: false } });
    expect(synced).toEqual([{ conversations: 1, messages: 0, failed: [CONV_A] }]);
  });

  it('abandons a catch-up cut short by a drop and starts over from the cursor reached', async () => {
    const { server, messages, synced } = await connectedAfterSeeing(6, { syncPageSize: 2 });
    let socket = await reconnect(server, { [CONV_A]: 12, [CONV_B]: 10 });
    socket.push(batch(socket, CONV_A, [7, 8], true));
    socket = await reconnect(server, { [CONV_A]: 12, [CONV_B]: 10 });
    expect(synced).toEqual([]);
    expect(socket.lastSent('sync').cursors).toEqual([{ conversationId: CONV_A, afterSeq: 8 }]);
    socket.push(batch(socket, CONV_A, [9, 10, 11, 12]));
    socket.push(done(socket));
    expect(delivered(messages)).toEqual(['A:7', 'A:8', 'A:9', 'A:10', 'A:11', 'A:12']);
    expect(synced).toHaveLength(1);
  });

  it('splits more than 1000 cursors over several sync frames and reports synced after the last', async () => {
    const { server, client } = setup();
    const synced = record(client, 'synced');
    void client.connect();
    const ids = Array.from({ length: 1500 }, (_, index) => uuid(200_000 + index));
    server.handshake(makeWelcome(Object.fromEntries(ids.map((id) => [id, 1]))));
    for (const id of ids) client.markSeen(id, 1);
    synced.length = 0;
    const socket = await reconnect(server, Object.fromEntries(ids.map((id) => [id, 2])));
    const frames = socket.sentOf('sync');
    expect(frames.map((frame) => frame.cursors.length)).toEqual([1000, 500]);
    socket.push({ type: 'sync.done', ref: frames[0]?.ref });
    expect(synced).toEqual([]);
    socket.push({ type: 'sync.done', ref: frames[1]?.ref });
    expect(synced).toEqual([{ conversations: 1500, messages: 0, failed: [] }]);
  });
});

describe('live stream (D3)', () => {
  it('drops a message delivered twice', async () => {
    const { server, messages } = await connectedAfterSeeing(6);
    server.socket.push(messageFrame(makeMessage(CONV_A, 7)));
    server.socket.push(messageFrame(makeMessage(CONV_A, 7)));
    server.socket.push(messageFrame(makeMessage(CONV_A, 6)));
    expect(delivered(messages)).toEqual(['A:7']);
    // A repeat is dropped, not held: it must not look like a gap that needs filling.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.socket.sentOf('sync')).toEqual([]);
    server.socket.push(messageFrame(makeMessage(CONV_A, 8)));
    expect(delivered(messages)).toEqual(['A:7', 'A:8']);
  });

  it('holds a message that overtook another and delivers both in order, without a sync', async () => {
    const { server, messages } = await connectedAfterSeeing(6);
    server.socket.push(messageFrame(makeMessage(CONV_A, 8)));
    expect(messages).toEqual([]);
    await vi.advanceTimersByTimeAsync(999);
    server.socket.push(messageFrame(makeMessage(CONV_A, 7)));
    expect(delivered(messages)).toEqual(['A:7', 'A:8']);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.socket.sentOf('sync')).toEqual([]);
  });

  it('fills a gap that lasts with a sync from the cursor', async () => {
    const { server, messages, synced } = await connectedAfterSeeing(6);
    const socket = server.socket;
    socket.push(messageFrame(makeMessage(CONV_A, 9)));
    await vi.advanceTimersByTimeAsync(999);
    expect(socket.sentOf('sync')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.lastSent('sync').cursors).toEqual([{ conversationId: CONV_A, afterSeq: 6 }]);

    socket.push(batch(socket, CONV_A, [7, 8, 9]));
    socket.push(done(socket));
    expect(delivered(messages)).toEqual(['A:7', 'A:8', 'A:9']);
    expect(synced).toEqual([]);
  });

  it('skips a hole the server proves, instead of waiting forever', async () => {
    const { server, messages } = await connectedAfterSeeing(6);
    const socket = server.socket;
    socket.push(messageFrame(makeMessage(CONV_A, 9)));
    await vi.advanceTimersByTimeAsync(1_000);
    // The server has no 7: its answer from 6 starts at 8.
    socket.push(batch(socket, CONV_A, [8, 9]));
    expect(delivered(messages)).toEqual(['A:8', 'A:9']);
  });

  it('stops holding messages when a complete sync asked after them still leaves the gap', async () => {
    const { server, messages } = await connectedAfterSeeing(6);
    const socket = server.socket;
    socket.push(messageFrame(makeMessage(CONV_A, 9)));
    await vi.advanceTimersByTimeAsync(1_000);
    socket.push(batch(socket, CONV_A, []));
    socket.push(done(socket));
    expect(delivered(messages)).toEqual(['A:9']);
  });

  it('starts a conversation never seen right after the lastSeq of the welcome', async () => {
    const { server, client } = setup();
    const messages = record(client, 'message');
    void client.connect();
    const socket = server.handshake(makeWelcome({ [CONV_A]: 5 }));
    socket.push(messageFrame(makeMessage(CONV_A, 7)));
    expect(messages).toEqual([]);
    socket.push(messageFrame(makeMessage(CONV_A, 6)));
    expect(delivered(messages)).toEqual(['A:6', 'A:7']);
  });

  it('starts a conversation created after the welcome at its first message', async () => {
    const { server, client } = setup();
    const messages = record(client, 'message');
    void client.connect();
    const socket = server.handshake(makeWelcome({}));
    socket.push({ type: 'conversation', conversation: makeConversation(CONV_B, 0) });
    socket.push(messageFrame(makeMessage(CONV_B, 1)));
    socket.push(messageFrame(makeMessage(CONV_A, 3)));
    expect(delivered(messages)).toEqual(['B:1', 'A:3']);
  });

  it('markSeen releases messages held behind the gap it fills, and drops those it covers', async () => {
    const { server, client, messages } = await connectedAfterSeeing(6);
    server.socket.push(messageFrame(makeMessage(CONV_A, 8)));
    server.socket.push(messageFrame(makeMessage(CONV_A, 10)));
    client.markSeen(CONV_A, 9);
    expect(delivered(messages)).toEqual(['A:10']);
    expect(client.cursor(CONV_A)).toBe(10);
  });
});
