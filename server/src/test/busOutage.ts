import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, type HealthResponse } from '@switchboard/protocol';
import { startTestServer, type TestServer, type TestUser } from './testServer.js';
import { TestSocket } from './testSocket.js';
import { TcpProxy } from '../reliability/tcpProxy.js';

/** Polls /healthz until it reports `status`; a deadline turns "never" into a failure. */
async function healthBecomes(node: TestServer, status: HealthResponse['status'], timeoutMs = 10_000): Promise<HealthResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await node.api<HealthResponse>(undefined, 'GET', '/healthz');
    if (health.body.status === status) return health.body;
    if (Date.now() > deadline) throw new Error(`health stayed ${JSON.stringify(health.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A bus server the outage test cuts off: its name, URL scheme and port on 127.0.0.1. */
export interface BusServer {
  name: string;
  scheme: 'redis' | 'nats';
  port: number;
}

/**
 * Fault 3: the bus of a two-node cluster goes away and comes back. Pass rule: every send is acked
 * (the database is fine) and stored once, health says degraded while the bus is down, and after
 * the bus returns every client converges to exactly the stored messages, in order.
 */
export function describeBusOutage(server: BusServer): void {
  describe(`fault 3: ${server.name} down in cluster mode, then back`, () => {
    let proxy: TcpProxy;
    let node1: TestServer;
    let node2: TestServer;
    let ann: TestUser;
    let ben: TestUser;

    beforeAll(async () => {
      proxy = await TcpProxy.start(server.port);
      const bus = { SWITCHBOARD_BUS: `${server.scheme}://${proxy.url}`, SWITCHBOARD_BUS_PREFIX: `sbfault-${randomBytes(4).toString('hex')}` };
      node1 = await startTestServer('postgres', bus);
      node2 = await node1.peer(bus);
      ann = await node1.createUser();
      ben = await node1.createUser();
    });
    afterAll(async () => {
      await node1?.stop();
      await proxy?.close();
    });

    it('acks and stores while the bus is down, then every client converges', async () => {
      const id = (await node1.api<{ conversation: { id: string } }>(ann, 'POST', '/api/conversations', { kind: 'direct', userId: ben.id })).body.conversation.id;
      const a = await node1.connect(ann);
      const b = await node2.connect(ben);
      a.send({ type: 'send', ref: 'live', conversationId: id, clientId: newClientId(), body: 'before the outage' });
      const seen = await b.waitFor('message', (frame) => frame.message.body === 'before the outage');

      proxy.cut();
      await healthBecomes(node1, 'degraded');
      await healthBecomes(node2, 'degraded');
      const during: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const body = `during the outage ${i}`;
        during.push(body);
        a.send({ type: 'send', ref: body, conversationId: id, clientId: newClientId(), body });
        await a.next('ack', (frame) => frame.ref === body);
      }

      proxy.restore();
      await healthBecomes(node1, 'ok');
      await healthBecomes(node2, 'ok');
      // The nodes ask their clients to catch up from the database: a "service restart" close.
      expect(await b.whenClosed()).toBe(1012);
      const again = await TestSocket.open(node2.wsUrl, { authorization: `Bearer ${ben.token}` });
      await again.hello();
      again.send({ type: 'sync', cursors: [{ conversationId: id, afterSeq: seen.message.seq }] });
      const batch = await again.waitFor('sync.batch', (frame) => frame.conversationId === id);
      expect(batch.messages.map((message) => message.body)).toEqual(during);
      expect(batch.messages.map((message) => message.seq)).toEqual(during.map((_, i) => seen.message.seq + 1 + i));

      // Live delivery across nodes works again.
      const fresh = await TestSocket.open(node1.wsUrl, { authorization: `Bearer ${ann.token}` });
      await fresh.hello();
      fresh.send({ type: 'send', ref: 'after', conversationId: id, clientId: newClientId(), body: 'after the outage' });
      await again.waitFor('message', (frame) => frame.message.body === 'after the outage');
      again.terminate();
      fresh.terminate();
    });
  });
}
