/**
 * The SDK against a real server (SQLite and PostgreSQL), over real sockets with the `ws` package
 * and bearer tokens, as the integration tests and the load bench use it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../../../server/src/test/testServer.js';
import { createApi, SwitchboardClient, type ClientEvents, type ClientOptions } from './index.js';

interface Harness {
  client: SwitchboardClient;
  api: ReturnType<typeof createApi>;
  /** Every socket the client opened, newest last, so a test can cut one. */
  sockets: WebSocket[];
}

function next<K extends keyof ClientEvents>(client: SwitchboardClient, type: K, where: (event: ClientEvents[K]) => boolean = () => true, timeoutMs = 10_000): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${type} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.on(type, (event) => {
      if (!where(event)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

describe.each(TEST_STORES)('SwitchboardClient against a real server on %s', (store) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  const clients: SwitchboardClient[] = [];

  function open(user: TestUser, options: Partial<ClientOptions> = {}): Harness {
    const sockets: WebSocket[] = [];
    const api = createApi({ baseUrl: server.url, token: user.token });
    const client = new SwitchboardClient({
      url: server.wsUrl,
      createSocket: (url) => {
        const socket = new WebSocket(url, { headers: { authorization: `Bearer ${user.token}` } });
        sockets.push(socket);
        return socket;
      },
      checkSession: api.hasSession,
      reconnect: { baseMs: 50, capMs: 500 },
      ...options,
    });
    clients.push(client);
    return { client, api, sockets };
  }

  beforeAll(async () => {
    server = await startTestServer(store);
    alice = await server.createUser();
    bob = await server.createUser();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    // Undefined when the server failed to start; that failure is already reported.
    if (server) await server.stop();
  });

  it('acks, delivers live, and after a drop catches up over several sync pages in order, once each', async () => {
    const a = open(alice);
    const b = open(bob);
    await Promise.all([a.client.connect(), b.client.connect()]);
    const conversation = await a.api.createConversation({ kind: 'direct', userId: bob.id });
    const seen: number[] = [];
    b.client.on('message', ({ message }) => {
      if (message.conversationId === conversation.id) seen.push(message.seq);
    });

    const live = next(b.client, 'message');
    const ack = await a.client.send(conversation.id, 'hello bob');
    expect((await live).message).toMatchObject({ id: ack.messageId, seq: ack.seq, body: 'hello bob' });

    b.sockets.at(-1)?.terminate();
    await next(b.client, 'state', (event) => event.state === 'connecting');
    const synced = next(b.client, 'synced');
    const total = 230; // more than one sync page (200)
    await Promise.all(Array.from({ length: total }, (_, index) => a.client.send(conversation.id, `missed ${index}`)));
    await synced;
    await b.client.ping(); // everything sent before the pong has arrived
    expect(seen).toEqual(Array.from({ length: total + 1 }, (_, index) => index + 1));
  });

  it('re-sends after a drop between send and ack, resolving once and storing one copy', async () => {
    const a = open(alice);
    await a.client.connect();
    const conversation = await a.api.createConversation({ kind: 'direct', userId: bob.id });
    const sending = a.client.send(conversation.id, 'exactly once');
    a.sockets.at(-1)?.terminate();
    const ack = await sending;
    const history = await a.api.history(conversation.id, { limit: 200 });
    expect(history.messages.filter((message) => message.clientId === ack.clientId)).toHaveLength(1);
    expect(a.sockets.length).toBeGreaterThan(1);
  });

  it('gets past the server frame rate limit without waiting for ack timeouts', async () => {
    // With a 60 s ack timeout, only the rate-limit recovery can finish this within the test timeout.
    const a = open(alice, { requestTimeoutMs: 60_000 });
    await a.client.connect();
    const conversation = await a.api.createConversation({ kind: 'group', title: 'burst', memberIds: [bob.id] });
    const limited = next(a.client, 'error', (frame) => frame.error.code === 'rate_limited');
    const acks = await Promise.all(Array.from({ length: 300 }, (_, index) => a.client.send(conversation.id, `burst ${index}`)));
    await limited;
    expect(new Set(acks.map((ack) => ack.seq)).size).toBe(300);
    const history = await a.api.history(conversation.id, { limit: 200 });
    expect(history.messages.at(-1)?.seq).toBe(300);
  });

  it('answers edit, delete, read, typing, presence and ping', async () => {
    const a = open(alice);
    const b = open(bob);
    await Promise.all([a.client.connect(), b.client.connect()]);
    const conversation = await a.api.createConversation({ kind: 'direct', userId: bob.id });
    const ack = await a.client.send(conversation.id, 'typo');

    const updated = next(b.client, 'message.updated');
    await a.client.edit(conversation.id, ack.messageId, 'fixed');
    expect((await updated).message.body).toBe('fixed');
    await a.client.remove(conversation.id, ack.messageId);
    await b.client.markRead(conversation.id, ack.seq);
    await expect(a.client.typing(conversation.id, 'start')).resolves.toBe(true);
    await expect(a.client.typing(conversation.id, 'start')).resolves.toBe(false);
    await a.client.setPresence('away');
    await expect(a.client.ping()).resolves.toMatchObject({ serverTime: expect.any(Number) });
    await expect(b.client.edit(conversation.id, ack.messageId, 'not mine')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('stops for good when the session ends, and does not retry a dead token', async () => {
    const carol = await server.createUser();
    const c = open(carol);
    await c.client.connect();
    const closed = next(c.client, 'state', (event) => event.state === 'closed');
    await c.api.logout();
    expect(await closed).toMatchObject({ code: 4002 });

    // The server refuses the upgrade with HTTP 401; checkSession turns that into a final close.
    const again = open(carol);
    await expect(again.client.connect()).rejects.toMatchObject({ code: 'closed', closeCode: 4001 });
    // A retry may have started while the check was in flight; none may follow (the cap is 500 ms).
    const attempts = again.sockets.length;
    expect(attempts).toBeLessThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(again.sockets).toHaveLength(attempts);
    expect(again.client.state).toBe('closed');
  });
});
