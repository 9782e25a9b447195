import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, type HealthResponse } from '@switchboard/protocol';
import { startTestServer, type TestServer, type TestUser } from '../test/testServer.js';
import { TestSocket } from '../test/testSocket.js';

const BUSES: [name: string, url: string][] = [
  ['Redis', process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'],
  ['NATS', process.env.SWITCHBOARD_TEST_NATS_URL ?? 'nats://127.0.0.1:4222'],
];

/** Two nodes on one PostgreSQL schema and one bus (its own key or subject prefix), as in a real cluster. */
describe.each(BUSES)('cluster of two nodes (PostgreSQL + %s)', (_name, url) => {
  let node1: TestServer;
  let node2: TestServer;
  let ann: TestUser;
  let ben: TestUser;
  let agent: TestUser;

  beforeAll(async () => {
    const bus = { SWITCHBOARD_BUS: url, SWITCHBOARD_BUS_PREFIX: `sbtest-${randomBytes(4).toString('hex')}` };
    node1 = await startTestServer('postgres', bus);
    node2 = await node1.peer(bus);
    ann = await node1.createUser(['employee']);
    ben = await node1.createUser(['employee']);
    agent = await node1.createUser(['agent']);
  });
  afterAll(() => node1?.stop());

  it('both nodes report a healthy bus', async () => {
    for (const node of [node1, node2]) {
      const health = await node.api<HealthResponse>(undefined, 'GET', '/healthz');
      expect(health.body).toMatchObject({ status: 'ok', bus: 'ok', store: 'ok' });
    }
  });

  it('an employee on node 1 and one on node 2 chat live, and presence crosses', async () => {
    const a = await node1.connect(ann);
    a.send({ type: 'presence.subscribe', ref: 'watch', userIds: [ben.id] });
    await a.next('presence.snapshot', (frame) => frame.ref === 'watch');
    const b = await node2.connect(ben);
    await a.waitFor('presence', (frame) => frame.presence.userId === ben.id && frame.presence.status === 'online');
    const direct = await node1.api<{ conversation: { id: string } }>(ann, 'POST', '/api/conversations', { kind: 'direct', userId: ben.id });
    const id = direct.body.conversation.id;

    a.send({ type: 'send', ref: 'hi', conversationId: id, clientId: newClientId(), body: 'hello across nodes' });
    await a.next('ack', (frame) => frame.ref === 'hi');
    expect((await b.waitFor('message', (frame) => frame.message.body === 'hello across nodes')).message.senderId).toBe(ann.id);

    b.send({ type: 'typing', conversationId: id, state: 'start' });
    await a.waitFor('typing', (frame) => frame.userId === ben.id);
    b.send({ type: 'send', ref: 'back', conversationId: id, clientId: newClientId(), body: 'hello back' });
    await a.waitFor('message', (frame) => frame.message.body === 'hello back');

    await b.close();
    await a.waitFor('presence', (frame) => frame.presence.userId === ben.id && frame.presence.status === 'offline');
    await a.close();
  });

  it('a visitor on node 2 is routed to an agent on node 1 and they talk', async () => {
    const agentSocket = await node1.connect(agent);
    await agentSocket.waitFor('duty');
    agentSocket.send({ type: 'duty.set', ref: 'duty', status: 'available' });
    await agentSocket.next('ok', (frame) => frame.ref === 'duty');

    const visitor = await node2.visitor();
    const started = await visitor.request({ type: 'v.start', name: 'Cross-node visitor', message: 'Is anyone there?', clientId: newClientId() });
    expect(started.type).toBe('v.ok');
    const assigned = await agentSocket.waitFor('visitor.chat', (frame) => frame.chat.visitor.name === 'Cross-node visitor' && frame.chat.assigneeId === agent.id);
    const history = await node1.api<{ messages: { body: string; author: string }[] }>(agent, 'GET', `/api/service/chats/${assigned.chat.id}/messages`);
    expect(history.body.messages).toContainEqual(expect.objectContaining({ author: 'visitor', body: 'Is anyone there?' }));

    agentSocket.send({ type: 'visitor.send', ref: 'reply', chatId: assigned.chat.id, clientId: newClientId(), body: 'Yes, how can I help?' });
    await agentSocket.waitFor('visitor.ack', (frame) => frame.ref === 'reply');
    const reply = await visitor.waitFor('v.message', (frame) => frame.message.body === 'Yes, how can I help?');
    expect(reply.message.author).toBe('agent');
    await agentSocket.close();
  });

  it('stopping node 2 sends its clients to node 1, which resumes them without loss', async () => {
    const direct = await node1.api<{ conversation: { id: string } }>(ann, 'POST', '/api/conversations', { kind: 'direct', userId: ben.id });
    const id = direct.body.conversation.id;
    const a = await node1.connect(ann);
    const b = await node2.connect(ben);
    a.send({ type: 'send', ref: 'before', conversationId: id, clientId: newClientId(), body: 'before the stop' });
    const seen = await b.waitFor('message', (frame) => frame.message.body === 'before the stop');

    // A graceful stop (SIGTERM): sockets are told "service restart" (1012) and reconnect elsewhere.
    const stopping = node2.node.stop();
    expect(await b.whenClosed()).toBe(1012);
    await stopping;
    const sentWhileMoving: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const body = `while moving ${i}`;
      sentWhileMoving.push(body);
      a.send({ type: 'send', ref: body, conversationId: id, clientId: newClientId(), body });
      await a.next('ack', (frame) => frame.ref === body);
    }

    const resumed = await TestSocket.open(node1.wsUrl, { authorization: `Bearer ${ben.token}` });
    await resumed.hello();
    resumed.send({ type: 'sync', ref: 'resume', cursors: [{ conversationId: id, afterSeq: seen.message.seq }] });
    const batch = await resumed.waitFor('sync.batch', (frame) => frame.conversationId === id);
    expect(batch.messages.map((message) => message.body)).toEqual(sentWhileMoving);
    expect(batch.messages.map((message) => message.seq)).toEqual(sentWhileMoving.map((_, i) => seen.message.seq + 1 + i));
    resumed.terminate();
    await a.close();
  });
});
