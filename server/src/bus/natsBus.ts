import type { Bus } from './bus.js';
import { ClusterRelay, type NetworkBusOptions } from './clusterRelay.js';
import type { BusChannel } from './events.js';
import { natsServerFromUrl } from './natsServer.js';

/**
 * The cluster bus on NATS core pub/sub (see ClusterRelay for what crosses nodes), at-most-once
 * like Redis pub/sub: while the connection is down, publishes are dropped and clients converge from
 * the database when they resync. One connection both publishes and listens.
 */
export async function createNatsBus(options: NetworkBusOptions): Promise<Bus> {
  // Loaded only in a cluster: a single node starts without it.
  const { connect, Events } = await import('nats');
  const relay = new ClusterRelay(options, (channel: BusChannel) => `${options.prefix}.bus.${channel}`);

  const connection = await connect({
    ...natsServerFromUrl(options.url),
    name: options.nodeId,
    // The default gives up after 10 attempts and closes for good; a node must wait for NATS forever.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    // Our own publishes are handled locally already; the server need not send them back.
    noEcho: true,
    // A path that died silently is noticed within ~30 s (the default takes 4 minutes).
    pingInterval: 10_000,
    maxPingOut: 3,
  });
  // The client keeps what is published while it is disconnected (until its next redial): we drop it at once instead.
  let connected = true;
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === Events.Disconnect) {
        connected = false;
        options.onConnectionError(new Error(`NATS connection to ${String(status.data)} lost`));
      } else if (status.type === Events.Reconnect) {
        // The client subscribes again by itself; once the server has answered a flush after those
        // subscriptions we hear the cluster again.
        connection.flush().then(() => {
          connected = true;
          options.onRecovered();
        }, options.onConnectionError);
      } else if (status.type === Events.Error) {
        options.onConnectionError(status.data);
      }
    }
  })();
  void connection.closed().then((error) => {
    connected = false;
    if (error) options.onConnectionError(error);
  });

  for (const address of relay.addresses) {
    connection.subscribe(address, {
      callback: (error, message) => {
        if (error) options.onConnectionError(error);
        else relay.receive(message.subject, message.string());
      },
    });
  }
  // The subscriptions are live once the server has answered a round trip after them.
  await connection.flush();

  return relay.busOver({
    send(subject, payload) {
      if (!connected) return;
      try {
        connection.publish(subject, payload);
      } catch (error) {
        // Larger than the server's max_payload, or the connection closed under us.
        options.onConnectionError(error);
      }
    },
    health: () => (connected ? 'ok' : 'down'),
    close: () => connection.close(),
  });
}
