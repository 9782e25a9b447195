import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, type HistoryResponse } from '@switchboard/protocol';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../test/testServer.js';

describe.each(TEST_STORES)('messaging on %s', (store) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let directId: string;

  beforeAll(async () => {
    server = await startTestServer(store);
    alice = await server.createUser();
    bob = await server.createUser();
    const created = await server.api<{ conversation: { id: string } }>(alice, 'POST', '/api/conversations', { kind: 'direct', userId: bob.id });
    directId = created.body.conversation.id;
  });
  afterAll(() => server.stop());

  it('D1: acks after commit and delivers to the other member live', async () => {
    const a = await server.connect(alice);
    const b = await server.connect(bob);
    const clientId = newClientId();
    a.send({ type: 'send', ref: 'r1', conversationId: directId, clientId, body: 'hello bob' });
    const ack = await a.next('ack', (frame) => frame.ref === 'r1');
    const delivered = await b.waitFor('message', (frame) => frame.message.clientId === clientId);
    expect(delivered.message).toMatchObject({ id: ack.messageId, seq: ack.seq, body: 'hello bob', senderId: alice.id });
    const history = await server.api<HistoryResponse>(bob, 'GET', `/api/conversations/${directId}/messages`);
    expect(history.body.messages.filter((message) => message.clientId === clientId)).toHaveLength(1);
    await a.close();
    await b.close();
  });

  it('D2: a socket dropped between send and ack, then a resend, stores exactly one copy', async () => {
    const watcher = await server.connect(bob);
    const first = await server.connect(alice);
    const clientId = newClientId();
    const frame = JSON.stringify({ type: 'send', conversationId: directId, clientId, body: 'sent once, acked never' });
    // Written to the kernel, then the socket is destroyed before any ack can be read.
    await new Promise<void>((resolve) => first.ws.send(frame, () => resolve()));
    first.terminate();
    const original = await watcher.waitFor('message', (message) => message.message.clientId === clientId);

    const second = await server.connect(alice);
    second.send({ type: 'send', ref: 'again', conversationId: directId, clientId, body: 'sent once, acked never' });
    const ack = await second.next('ack', (ackFrame) => ackFrame.ref === 'again');
    expect(ack.messageId).toBe(original.message.id);
    expect(ack.seq).toBe(original.message.seq);

    await watcher.roundTrip();
    expect(watcher.received('message').filter((message) => message.message.clientId === clientId)).toHaveLength(1);
    const history = await server.api<HistoryResponse>(alice, 'GET', `/api/conversations/${directId}/messages?limit=200`);
    expect(history.body.messages.filter((message) => message.clientId === clientId)).toHaveLength(1);
    await second.close();
    await watcher.close();
  });

  it('D3/store-then-forward: messages to an offline user arrive on next login, in order, once', async () => {
    const carol = await server.createUser();
    const conversation = await server.api<{ conversation: { id: string } }>(alice, 'POST', '/api/conversations', { kind: 'direct', userId: carol.id });
    const id = conversation.body.conversation.id;
    const a = await server.connect(alice);
    for (const body of ['one', 'two', 'three']) {
      a.send({ type: 'send', ref: body, conversationId: id, clientId: newClientId(), body });
      await a.next('ack', (frame) => frame.ref === body);
    }
    const c = await server.connect(carol);
    const welcome = c.received('welcome')[0];
    const summary = welcome?.conversations.find((item) => item.id === id);
    expect(summary).toMatchObject({ lastSeq: 3, unread: 3 });
    c.send({ type: 'sync', ref: 's', cursors: [{ conversationId: id, afterSeq: 0 }] });
    const batch = await c.next('sync.batch', (frame) => frame.conversationId === id);
    expect(batch.messages.map((message) => [message.seq, message.body])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    expect(batch.hasMore).toBe(false);
    await c.waitFor('sync.done');
    await a.close();
    await c.close();
  });

  it('D3: sequences are gapless and ordered under concurrent senders', async () => {
    const group = await server.api<{ conversation: { id: string } }>(alice, 'POST', '/api/conversations', { kind: 'group', title: 'busy', memberIds: [bob.id] });
    const id = group.body.conversation.id;
    const a = await server.connect(alice);
    const b = await server.connect(bob);
    const count = 60;
    for (let i = 0; i < count; i += 1) {
      a.send({ type: 'send', ref: `a${i}`, conversationId: id, clientId: newClientId(), body: `a${i}` });
      b.send({ type: 'send', ref: `b${i}`, conversationId: id, clientId: newClientId(), body: `b${i}` });
    }
    await a.waitFor('ack', (frame) => frame.ref === `a${count - 1}`);
    await b.waitFor('ack', (frame) => frame.ref === `b${count - 1}`);
    const history = await server.api<HistoryResponse>(alice, 'GET', `/api/conversations/${id}/messages?limit=200`);
    expect(history.body.messages.map((message) => message.seq)).toEqual(Array.from({ length: count * 2 }, (_, i) => i + 1));
    // Each sender's own messages keep the order they were sent in.
    const aliceBodies = history.body.messages.filter((message) => message.senderId === alice.id).map((message) => message.body);
    expect(aliceBodies).toEqual(Array.from({ length: count }, (_, i) => `a${i}`));
    await a.close();
    await b.close();
  });

  it('D4: a reconnecting client catches up exactly what it missed with sync', async () => {
    const b = await server.connect(bob);
    const a = await server.connect(alice);
    a.send({ type: 'send', ref: 'seen', conversationId: directId, clientId: newClientId(), body: 'seen live' });
    const seen = await b.waitFor('message', (frame) => frame.message.body === 'seen live');
    await b.close();
    for (const body of ['missed 1', 'missed 2']) {
      a.send({ type: 'send', ref: body, conversationId: directId, clientId: newClientId(), body });
      await a.next('ack', (frame) => frame.ref === body);
    }
    const again = await server.connect(bob);
    again.send({ type: 'sync', cursors: [{ conversationId: directId, afterSeq: seen.message.seq }] });
    const batch = await again.next('sync.batch');
    expect(batch.messages.map((message) => message.body)).toEqual(['missed 1', 'missed 2']);
    expect(batch.messages.map((message) => message.seq)).toEqual([seen.message.seq + 1, seen.message.seq + 2]);
    await again.close();
    await a.close();
  });

  it('pages back through thousands of messages without gaps', async () => {
    const group = await server.api<{ conversation: { id: string } }>(alice, 'POST', '/api/conversations', { kind: 'group', title: 'archive', memberIds: [] });
    const id = group.body.conversation.id;
    const total = 2500;
    const requests = Array.from({ length: total }, (_, i) => ({ conversationId: id, senderId: alice.id, clientId: newClientId(), kind: 'text' as const, body: `m${i + 1}` }));
    await Promise.all(requests.map((request) => server.node.im.sender.send(request)));
    const seqs: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await server.api<HistoryResponse>(alice, 'GET', `/api/conversations/${id}/messages?limit=200${before ? `&before=${before}` : ''}`);
      seqs.unshift(...page.body.messages.map((message) => message.seq));
      if (!page.body.hasMore) break;
      before = page.body.messages[0]?.seq;
    }
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('typing, read receipts and edit/delete reach the other member', async () => {
    const a = await server.connect(alice);
    const b = await server.connect(bob);
    a.send({ type: 'typing', conversationId: directId, state: 'start' });
    expect(await b.next('typing')).toMatchObject({ conversationId: directId, userId: alice.id, state: 'start' });

    a.send({ type: 'send', ref: 'x', conversationId: directId, clientId: newClientId(), body: 'to edit' });
    const ack = await a.next('ack', (frame) => frame.ref === 'x');
    b.send({ type: 'read', conversationId: directId, seq: ack.seq });
    expect(await a.waitFor('read', (frame) => frame.userId === bob.id && frame.seq === ack.seq)).toBeTruthy();

    a.send({ type: 'edit', ref: 'e', conversationId: directId, messageId: ack.messageId, body: 'edited' });
    await a.next('ok', (frame) => frame.ref === 'e');
    expect((await b.waitFor('message.updated', (frame) => frame.message.id === ack.messageId)).message).toMatchObject({ body: 'edited' });

    b.send({ type: 'delete', ref: 'not-mine', conversationId: directId, messageId: ack.messageId });
    expect((await b.next('error', (frame) => frame.ref === 'not-mine')).error.code).toBe('forbidden');

    a.send({ type: 'delete', ref: 'd', conversationId: directId, messageId: ack.messageId });
    await a.next('ok', (frame) => frame.ref === 'd');
    const deleted = await b.waitFor('message.updated', (frame) => frame.message.id === ack.messageId && frame.message.deletedAt !== null);
    expect(deleted.message.body).toBe('');
    await a.close();
    await b.close();
  });
});
