import { LocalHandlers, type Bus } from './bus.js';
import { CLUSTER_CHANNELS, type BusChannel, type BusChannels } from './events.js';

interface Envelope {
  node: string;
  event: unknown;
}

export interface RedisBusOptions {
  url: string;
  /** Key prefix, so several deployments (or test runs) can share one Redis. */
  prefix: string;
  nodeId: string;
  onHandlerError: (error: unknown, channel: BusChannel) => void;
  onConnectionError: (error: unknown) => void;
  /**
   * Redis came back after an outage. Events published meanwhile were lost, so the caller makes
   * its clients resync from the database.
   */
  onRecovered: () => void;
}

/**
 * The cluster bus. Every event is handled on the publishing node at once; events on the cluster
 * channels are also published to Redis and handled by every other node. Redis pub/sub is
 * at-most-once: while Redis is down, publishes are dropped (never queued without bound) and
 * clients converge from the database when they resync. Events flagged `localOnly` stay here.
 */
export async function createRedisBus(options: RedisBusOptions): Promise<Bus> {
  // Loaded only in a cluster: a single node starts without it (a restart is that much shorter).
  const { Redis } = await import('ioredis');
  const handlers = new LocalHandlers(options.onHandlerError);
  const clusterChannels = new Set<BusChannel>(CLUSTER_CHANNELS);
  const channelKey = (channel: BusChannel) => `${options.prefix}:bus:${channel}`;
  const channelByKey = new Map(CLUSTER_CHANNELS.map((channel) => [channelKey(channel), channel]));

  const connection = { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000) };
  const publisher = new Redis(options.url, { ...connection, enableOfflineQueue: false });
  const subscriber = new Redis(options.url, { ...connection, enableOfflineQueue: true });
  publisher.on('error', options.onConnectionError);
  subscriber.on('error', options.onConnectionError);

  subscriber.on('messageBuffer', (key: Buffer, payload: Buffer) => {
    const channel = channelByKey.get(key.toString());
    if (!channel) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload.toString()) as Envelope;
    } catch (error) {
      options.onHandlerError(error, channel);
      return;
    }
    if (envelope.node === options.nodeId) return;
    handlers.dispatch(channel, envelope.event as BusChannels[typeof channel]);
  });

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
  await subscriber.subscribe(...CLUSTER_CHANNELS.map(channelKey));

  return {
    publish(channel, event) {
      handlers.dispatch(channel, event);
      if (!clusterChannels.has(channel) || (event as { localOnly?: boolean }).localOnly) return;
      const payload = JSON.stringify({ node: options.nodeId, event } satisfies Envelope);
      publisher.publish(channelKey(channel), payload).catch(options.onConnectionError);
    },
    subscribe: (channel, handler) => handlers.add(channel, handler),
    health: () => (publisher.status === 'ready' && subscriber.status === 'ready' ? 'ok' : 'down'),
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
