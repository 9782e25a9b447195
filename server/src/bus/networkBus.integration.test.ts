import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpProxy } from '../reliability/tcpProxy.js';
import { until } from '../test/until.js';
import type { Bus } from './bus.js';
import type { NetworkBusOptions } from './clusterRelay.js';
import { createNetworkBus } from './networkBus.js';

const BUSES: [name: string, scheme: string, port: number][] = [
  ['Redis', 'redis', Number(process.env.SWITCHBOARD_TEST_REDIS_PORT ?? 6379)],
  ['NATS', 'nats', Number(process.env.SWITCHBOARD_TEST_NATS_PORT ?? 4222)],
];

/** The bus alone, between two "nodes" in this process; node a reaches the server through a proxy the test cuts. */
describe.each(BUSES)('%s bus between two nodes', (_name, scheme, port) => {
  const opened: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const resource of opened.splice(0)) await resource.close();
  });

  async function node(nodeId: string, url: string, prefix: string) {
    const seen = { reasons: [] as string[], recovered: 0, handlerErrors: [] as unknown[] };
    const options: NetworkBusOptions = {
      url,
      prefix,
      nodeId,
      onHandlerError: (error) => seen.handlerErrors.push(error),
      onConnectionError: () => {},
      onRecovered: () => (seen.recovered += 1),
    };
    const bus: Bus = await createNetworkBus(options);
    opened.push(bus);
    bus.subscribe('sessions.ended', (event) => seen.reasons.push(event.reason));
    return { bus, seen };
  }

  async function twoNodes() {
    const proxy = await TcpProxy.start(port);
    opened.push(proxy);
    const prefix = `sbbus-${randomBytes(4).toString('hex')}`;
    const a = await node('a', `${scheme}://${proxy.url}`, prefix);
    const b = await node('b', `${scheme}://127.0.0.1:${port}`, prefix);
    return { proxy, a, b };
  }

  const ended = (reason: string) => ({ sessionIds: [], reason });

  it('handles an event on its own node at once and on the other node once, never its own twice', async () => {
    const { a, b } = await twoNodes();
    const agentEvents: unknown[] = [];
    b.bus.subscribe('im.agent', (event) => agentEvents.push(event));

    a.bus.publish('sessions.ended', ended('from a'));
    expect(a.seen.reasons).toEqual(['from a']);
    await until(async () => b.seen.reasons.includes('from a'), 'b to hear a');

    b.bus.publish('sessions.ended', ended('from b'));
    a.bus.publish('im.agent', { kind: 'alive', nodeId: 'a', agentIds: [] });
    await until(async () => a.seen.reasons.includes('from b'), 'a to hear b');
    // a heard b's event, so the server has fanned it out; a later event from a reaches b after any echo of it.
    a.bus.publish('sessions.ended', ended('barrier'));
    await until(async () => b.seen.reasons.includes('barrier'), 'b to hear the barrier');

    expect(b.seen.reasons).toEqual(['from a', 'from b', 'barrier']);
    expect(a.seen.reasons).toEqual(['from a', 'from b', 'barrier']);
    expect(agentEvents).toEqual([]);
    expect([...a.seen.handlerErrors, ...b.seen.handlerErrors]).toEqual([]);
  });

  it('drops what is published while the server is unreachable, says down, and recovers once', async () => {
    const { proxy, a, b } = await twoNodes();
    a.bus.publish('sessions.ended', ended('before'));
    await until(async () => b.seen.reasons.includes('before'), 'b to hear "before"');

    proxy.cut();
    await until(async () => a.bus.health() === 'down', 'a to report the bus down');
    a.bus.publish('sessions.ended', ended('during'));
    expect(a.seen.reasons).toContain('during');

    proxy.restore();
    await until(async () => a.seen.recovered === 1 && a.bus.health() === 'ok', 'a to recover', 10_000);
    a.bus.publish('sessions.ended', ended('after'));
    await until(async () => b.seen.reasons.includes('after'), 'b to hear "after"');

    expect(b.seen.reasons).toEqual(['before', 'after']);
    expect(a.seen.recovered).toBe(1);
    expect(b.seen.recovered).toBe(0);
  });
});
