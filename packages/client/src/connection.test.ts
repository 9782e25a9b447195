import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '@switchboard/protocol';
import { ClientError } from './errors.js';
import { CONV_A, makeMessage, makeWelcome, messageFrame } from './testing/fake-socket.js';
import { record, setup, TEST_URL } from './testing/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('handshake', () => {
  it('says hello first and is open only once welcome arrives', async () => {
    const { server, client } = setup();
    const states = record(client, 'state');
    const connected = client.connect();
    expect(client.state).toBe('connecting');
    expect(server.socket.url).toBe(TEST_URL);

    server.socket.accept();
    expect(server.socket.sent).toEqual([{ type: 'hello', protocol: PROTOCOL_VERSION }]);
    expect(client.state).toBe('connecting');

    const welcome = makeWelcome({ [CONV_A]: 3 });
    server.socket.push(welcome);
    await expect(connected).resolves.toEqual(welcome);
    expect(client.state).toBe('open');
    expect(client.user?.id).toBe(welcome.user.id);
    expect(states.map((event) => event.state)).toEqual(['connecting', 'open']);
  });

  it('abandons a socket whose welcome never comes and tries again', async () => {
    const { server, client } = setup({ handshakeTimeoutMs: 5_000 });
    const states = record(client, 'state');
    void client.connect();
    server.socket.accept();

    await vi.advanceTimersByTimeAsync(4_999);
    expect(server.socket.closeCalls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.socket.closeCalls).toHaveLength(1);
    expect(states.at(-1)).toMatchObject({ state: 'connecting', code: 1006, retryInMs: 125 });

    await vi.advanceTimersByTimeAsync(125);
    expect(server.sockets).toHaveLength(2);
    server.handshake();
    expect(client.state).toBe('open');
  });
});

describe('reconnect', () => {
  it('reconnects after a drop with exponential backoff and full jitter, reset by a welcome', async () => {
    // random() = 0.5 makes each delay half its ceiling: 250·2^n / 2.
    const { server, client } = setup();
    const states = record(client, 'state');
    void client.connect();
    server.handshake();

    server.socket.drop(1012, 'restart');
    expect(client.state).toBe('connecting');
    expect(states.at(-1)).toEqual({ state: 'connecting', code: 1012, reason: 'restart', retryInMs: 125 });
    await vi.advanceTimersByTimeAsync(124);
    expect(server.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.sockets).toHaveLength(2);

    // Attempts that fail before a welcome keep doubling the ceiling.
    server.socket.drop(1006);
    expect(states.at(-1)?.retryInMs).toBe(250);
    await vi.advanceTimersByTimeAsync(250);
    expect(server.sockets).toHaveLength(3);
    server.socket.accept();
    server.socket.drop(1006);
    expect(states.at(-1)?.retryInMs).toBe(500);
    await vi.advanceTimersByTimeAsync(500);
    expect(server.sockets).toHaveLength(4);

    server.handshake();
    server.socket.drop(1006);
    expect(states.at(-1)?.retryInMs).toBe(125);
  });

  it('after a server restart (1012) retries within 2 s until a welcome, for ten attempts', async () => {
    const { server, client } = setup({ random: () => 0.999 });
    const states = record(client, 'state');
    void client.connect();
    server.handshake();
    server.socket.drop(1012, 'restart');
    const delays: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      const delay = states.at(-1)?.retryInMs ?? -1;
      delays.push(delay);
      await vi.advanceTimersByTimeAsync(delay);
      server.socket.drop(1006); // refused: the new process is not listening yet
    }
    expect(delays).toEqual([249, 499, 999, 1_998, 1_998, 1_998, 1_998, 1_998, 1_998, 1_998, 29_970]);

    // Back: a welcome ends the restart; a later ordinary drop backs off as usual.
    await vi.advanceTimersByTimeAsync(states.at(-1)?.retryInMs ?? 0);
    server.handshake();
    server.socket.drop(1006);
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await vi.advanceTimersByTimeAsync(states.at(-1)?.retryInMs ?? 0);
      server.socket.drop(1006);
    }
    expect(states.at(-1)?.retryInMs).toBe(3_996);
  });

  it('uses the random source for the jitter and never waits longer than the cap', async () => {
    const { server, client } = setup({ random: () => 0.999, reconnect: { baseMs: 100, capMs: 1_000 } });
    const states = record(client, 'state');
    void client.connect();
    for (let attempt = 0; attempt < 8; attempt += 1) {
      server.socket.drop(1006);
      const delay = states.at(-1)?.retryInMs ?? -1;
      expect(delay).toBe(Math.floor(0.999 * Math.min(1_000, 100 * 2 ** attempt)));
      await vi.advanceTimersByTimeAsync(delay);
    }
    expect(states.at(-1)?.retryInMs).toBe(999);
  });

  it('connect() during the backoff wait tries at once', async () => {
    const { server, client } = setup({ random: () => 0.99 });
    void client.connect();
    server.handshake();
    server.socket.drop(1006);
    expect(server.sockets).toHaveLength(1);

    const reconnected = client.connect();
    expect(server.sockets).toHaveLength(2);
    server.handshake();
    await expect(reconnected).resolves.toMatchObject({ type: 'welcome' });
    // The cancelled timer does not open a third socket.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.sockets).toHaveLength(2);
  });

  it.each([
    [4001, 'unauthorized'],
    [4002, 'session ended'],
    [4000, 'unsupported version'],
  ])('does not reconnect after close code %i (%s)', async (code) => {
    const { server, client } = setup();
    const states = record(client, 'state');
    void client.connect();
    server.handshake();
    const sending = client.send(CONV_A, 'will never go').catch((caught: unknown) => caught);

    server.socket.drop(code, 'bye');
    expect(client.state).toBe('closed');
    expect(states.at(-1)).toEqual({ state: 'closed', code, reason: 'bye' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.sockets).toHaveLength(1);

    const error = await sending;
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'closed', closeCode: code });
    await expect(client.send(CONV_A, 'after the end')).rejects.toMatchObject({ code: 'closed' });
  });

  it('rejects connect() when the server refuses the very first socket for good', async () => {
    const { server, client } = setup();
    const connecting = client.connect();
    server.socket.accept();
    server.socket.drop(4001, 'unauthorized');
    await expect(connecting).rejects.toMatchObject({ code: 'closed', closeCode: 4001 });
  });

  it('emits session.ended, then stays closed after 4002', async () => {
    const { server, client } = setup();
    const ended = record(client, 'session.ended');
    void client.connect();
    server.handshake();
    server.socket.push({ type: 'session.ended', reason: 'logout' });
    server.socket.drop(4002, 'session ended');
    expect(ended).toEqual([{ type: 'session.ended', reason: 'logout' }]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.sockets).toHaveLength(1);
    expect(client.state).toBe('closed');
  });

  it('close() stops reconnecting and ignores the old socket from then on', async () => {
    const { server, client } = setup();
    const messages = record(client, 'message');
    void client.connect();
    server.handshake(makeWelcome({ [CONV_A]: 0 }));
    const old = server.socket;

    client.close();
    expect(client.state).toBe('closed');
    expect(old.closeCalls).toEqual([{ code: 1000, reason: 'client closed' }]);
    old.push(messageFrame(makeMessage(CONV_A, 1)));
    old.drop(1006);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(messages).toEqual([]);
    expect(server.sockets).toHaveLength(1);
  });

  it('closes for good when no socket can be created', async () => {
    const { client } = setup({
      createSocket: () => {
        throw new Error('no WebSocket here');
      },
    });
    await expect(client.connect()).rejects.toThrow(/no WebSocket here/);
    expect(client.state).toBe('closed');
  });
});

describe('refused upgrades (HTTP 401 looks like a network failure to a browser)', () => {
  it('asks checkSession and closes for good when the session is gone', async () => {
    const checkSession = vi.fn(async () => false);
    const { server, client } = setup({ checkSession });
    const connecting = client.connect().catch((caught: unknown) => caught);
    server.socket.drop(1006);
    await vi.advanceTimersByTimeAsync(0);
    expect(checkSession).toHaveBeenCalledTimes(1);
    expect(client.state).toBe('closed');
    await expect(connecting).resolves.toMatchObject({ code: 'closed', closeCode: 4001 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.sockets).toHaveLength(1);
  });

  it('goes on reconnecting when the session is valid or the check itself fails', async () => {
    const answers = [async () => true, async () => Promise.reject(new Error('offline'))];
    const checkSession = vi.fn(() => (answers.shift() ?? (async () => true))());
    const { server, client } = setup({ checkSession });
    void client.connect();
    server.socket.drop(1006);
    await vi.advanceTimersByTimeAsync(125);
    server.socket.drop(1006);
    await vi.advanceTimersByTimeAsync(250);
    expect(checkSession).toHaveBeenCalledTimes(2);
    expect(server.sockets).toHaveLength(3);
    server.handshake();
    expect(client.state).toBe('open');
  });

  it('does not ask when the socket had opened (a drop, not a refusal)', async () => {
    const checkSession = vi.fn(async () => false);
    const { server, client } = setup({ checkSession });
    void client.connect();
    server.handshake();
    server.socket.drop(1006);
    await vi.advanceTimersByTimeAsync(0);
    expect(checkSession).not.toHaveBeenCalled();
    expect(client.state).toBe('connecting');
  });
});

describe('heartbeat', () => {
  it('replaces a socket that stays silent after a ping', async () => {
    const { server, client } = setup({ heartbeatIntervalMs: 1_000 });
    void client.connect();
    server.handshake();

    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.socket.lastSent('ping').ref).toMatch(/^hb:/);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.sockets[0]?.closeCalls).toHaveLength(1);
    expect(client.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(125);
    expect(server.sockets).toHaveLength(2);
  });

  it('keeps a socket that answers, and does not surface heartbeat pongs', async () => {
    const { server, client } = setup({ heartbeatIntervalMs: 1_000 });
    const pongs = record(client, 'pong');
    void client.connect();
    const socket = server.handshake();
    for (let tick = 0; tick < 10; tick += 1) {
      await vi.advanceTimersByTimeAsync(1_000);
      const ping = socket.sentOf('ping').at(-1);
      if (ping) socket.push({ type: 'pong', ref: ping.ref, serverTime: 1 });
    }
    expect(socket.sentOf('ping').length).toBeGreaterThan(0);
    expect(socket.closeCalls).toEqual([]);
    expect(server.sockets).toHaveLength(1);
    expect(client.state).toBe('open');
    expect(pongs).toEqual([]);
  });
});

describe('validation of server frames', () => {
  it('ignores and reports invalid frames, and keeps going', async () => {
    const { server, client } = setup();
    const invalid = record(client, 'invalid');
    const messages = record(client, 'message');
    const errors = record(client, 'error');
    void client.connect();
    const socket = server.handshake(makeWelcome({ [CONV_A]: 0 }));

    socket.pushRaw('{not json');
    socket.push({ type: 'message', message: { ...makeMessage(CONV_A, 1), seq: -1 } });
    socket.push({ type: 'no.such.frame' });
    socket.pushRaw(42);
    expect(invalid.map((event) => event.reason)).toEqual(['json', 'schema', 'schema', 'not_text']);
    expect(invalid[1]?.message).toMatch(/seq/);
    expect(messages).toEqual([]);
    expect(errors).toEqual([]);

    socket.push(messageFrame(makeMessage(CONV_A, 1)));
    expect(messages.map((event) => event.message.seq)).toEqual([1]);
    expect(client.state).toBe('open');
    expect(socket.closeCalls).toEqual([]);
  });

  it('reads text sent as bytes (ws hands binary-typed frames over as buffers)', () => {
    const { server, client } = setup();
    const messages = record(client, 'message');
    void client.connect();
    const socket = server.handshake(makeWelcome({ [CONV_A]: 0 }));
    socket.pushRaw(new TextEncoder().encode(JSON.stringify(messageFrame(makeMessage(CONV_A, 1)))));
    expect(messages).toHaveLength(1);
  });
});
