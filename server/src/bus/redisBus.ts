import type { Bus } from './bus.js';
import { ClusterRelay, type NetworkBusOptions } from './clusterRelay.js';
import type { BusChannel } from './events.js';

/**
 * The cluster bus on Redis pub/sub (see ClusterRelay for what crosses nodes). Redis pub/sub is
 * at-most-once: while Redis is down, publishes are dropped (never queued without bound) and
 * clients converge from the database when they resync.
 */
export async function createRedisBus(options: NetworkBusOptions): Promise<Bus> {
  // Loaded only in a cluster: a single node starts without it (a restart is that much shorter).
  const { Redis } = await import('ioredis');
  const relay = new ClusterRelay(options, (channel: BusChannel) => `${options.prefix}:bus:${channel}`);

  const connection = { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000) };
  const publisher = new Redis(options.url, { ...connection, enableOfflineQueue: false });
  const subscriber = new Redis(options.url, { ...connection, enableOfflineQueue: true });
  publisher.on('error', options.onConnectionError);
  subscriber.on('error', options.onConnectionError);
  subscriber.on('messageBuffer', (key: Buffer, payload: Buffer) => relay.receive(key.toString(), payload.toString()));

  let lostConnection = false;
  subscriber.on('close', () => {
    lostConnection = true;
  });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  lostConnection = false;
  // ioredis subscribes again by itself on reconnect; 'ready' then means we hear the cluster again.
  subscriber.on('ready', () => {
    if (!lostConnection) return;
    lostConnection = false;
    options.onRecovered();
  });
  await subscriber.subscribe(...relay.addresses);

  return relay.busOver({
    send: (key, payload) => void publisher.publish(key, payload).catch(options.onConnectionError),
    health: () => (publisher.status === 'ready' && subscriber.status === 'ready' ? 'ok' : 'down'),
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  });
}
