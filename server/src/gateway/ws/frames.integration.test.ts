import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, newClientId, type HistoryResponse } from '@switchboard/protocol';
import { TestSocket } from '../../test/testSocket.js';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../../test/testServer.js';

describe.each(TEST_STORES)('WebSocket edge on %s', (store) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let directId: string;

  beforeAll(async () => {
    server = await startTestServer(store);
    alice = await server.createUser();
    bob = await server.createUser();
    directId = (await server.api<{ conversation: { id: string } }>(alice, 'POST', '/api/conversations', { kind: 'direct', userId: bob.id })).body.conversation.id;
  });
  afterAll(() => server.stop());

  it('answers malformed, unknown and invalid frames with typed errors and keeps the socket open', async () => {
    const socket = await server.connect(alice);
    const cases: [unknown, string][] = [
      ['not json', 'bad_frame'],
      ['[1,2,3]', 'unknown_type'],
      ['null', 'unknown_type'],
      [{ type: 'launch.missiles' }, 'unknown_type'],
      [{ type: 'send', conversationId: directId, clientId: 'short', body: 'x' }, 'bad_frame'],
      [{ type: 'send', conversationId: '__proto__', clientId: newClientId(), body: 'x' }, 'bad_frame'],
      [{ type: 'send', conversationId: directId, clientId: '__proto__', body: 'x' }, 'bad_frame'],
      [{ type: 'send', conversationId: { $gt: '' }, clientId: newClientId(), body: 'x' }, 'bad_frame'],
      [{ type: 'send', conversationId: directId, clientId: newClientId(), body: ['array'] }, 'bad_frame'],
      [{ type: 'send', conversationId: directId, clientId: newClientId(), body: 'x'.repeat(LIMITS.maxMessageChars + 1) }, 'bad_frame'],
      ['{"type":"send","__proto__":{"admin":true},"conversationId":"x"}', 'bad_frame'],
      [{ type: 'ping', extra: 1 }, 'bad_frame'],
    ];
    for (const [frame, code] of cases) {
      socket.send(frame);
      const error = await socket.next('error');
      expect(error.error.code, JSON.stringify(frame).slice(0, 80)).toBe(code);
    }
    await socket.roundTrip();
    const history = await server.api<HistoryResponse>(alice, 'GET', `/api/conversations/${directId}/messages`);
    expect(history.body.messages).toHaveLength(0);
    await socket.close();
  });

  it('closes an oversized frame with 1009 and leaves other sockets working', async () => {
    const bystander = await server.connect(bob);
    const offender = await server.connect(alice);
    offender.send('x'.repeat(LIMITS.maxFrameBytes + 1));
    expect(await offender.whenClosed()).toBe(1009);
    await bystander.roundTrip();
    await bystander.close();
  });

  it('refuses frames before hello and a wrong protocol version', async () => {
    const socket = await TestSocket.open(server.wsUrl, { authorization: `Bearer ${alice.token}` });
    socket.send({ type: 'ping', ref: 'early' });
    expect((await socket.next('error')).error.code).toBe('not_ready');
    socket.send({ type: 'hello', protocol: 999 });
    expect((await socket.next('error')).error.code).toBe('unsupported_version');
    expect(await socket.whenClosed()).toBe(4000);
  });

  it('refuses an upgrade without a valid session', async () => {
    await expect(TestSocket.open(server.wsUrl)).rejects.toThrow(/401/);
    await expect(TestSocket.open(server.wsUrl, { authorization: 'Bearer forged-token' })).rejects.toThrow(/401/);
  });

  it('refuses a cookie-authenticated upgrade from a foreign Origin (cross-site WebSocket hijacking)', async () => {
    const cookie = `sb_session=${alice.token}`;
    await expect(TestSocket.open(server.wsUrl, { cookie, origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(TestSocket.open(server.wsUrl, { cookie })).rejects.toThrow(/403/);
    const sameOrigin = await TestSocket.open(server.wsUrl, { cookie, origin: server.url });
    expect((await sameOrigin.hello()).user.id).toBe(alice.id);
    await sameOrigin.close();
  });

  it('a non-member learns nothing: the same not_found for a real and a made-up conversation', async () => {
    const outsider = await server.createUser();
    const socket = await server.connect(outsider);
    for (const conversationId of [directId, crypto.randomUUID()]) {
      socket.send({ type: 'send', ref: 'probe', conversationId, clientId: newClientId(), body: 'let me in' });
      const error = await socket.next('error', (frame) => frame.ref === 'probe');
      expect(error.error).toMatchObject({ code: 'not_found', message: 'Conversation was not found.' });
      const history = await server.api(outsider, 'GET', `/api/conversations/${conversationId}/messages`);
      expect(history).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: 'Conversation was not found.' } } });
    }
    socket.send({ type: 'sync', cursors: [{ conversationId: directId, afterSeq: 0 }] });
    await socket.waitFor('sync.done');
    expect(socket.received('sync.batch')).toHaveLength(0);
    await socket.close();
  });
});
