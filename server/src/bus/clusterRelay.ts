import { LocalHandlers, type Bus } from './bus.js';
import { CLUSTER_CHANNELS, type BusChannel, type BusChannels } from './events.js';

/** Settings every networked bus (Redis, NATS) takes. */
export interface NetworkBusOptions {
  url: string;
  /** Key or subject prefix, so several deployments (or test runs) can share one server. */
  prefix: string;
  nodeId: string;
  onHandlerError: (error: unknown, channel: BusChannel) => void;
  onConnectionError: (error: unknown) => void;
  /**
   * The bus came back after an outage. Events published meanwhile were lost, so the caller makes
   * its clients resync from the database.
   */
  onRecovered: () => void;
}

/** What crosses the network: the event and the node that published it. */
interface Envelope {
  node: string;
  event: unknown;
}

/** How a networked bus reaches the other nodes. */
export interface ClusterLink {
  /** Sends one payload to every node listening on `address`; dropped (never queued) while disconnected. */
  send(address: string, payload: string): void;
  health(): 'ok' | 'down';
  close(): Promise<void>;
}

/**
 * The part of a networked bus that does not depend on the server behind it. Every event is handled
 * on the publishing node at once; events on the cluster channels also go out on the link, under
 * one address per channel, and are handled by every other node (a node skips its own envelopes).
 * Events flagged `localOnly` stay here.
 */
export class ClusterRelay {
  private readonly handlers: LocalHandlers;
  private readonly clusterChannels = new Set<BusChannel>(CLUSTER_CHANNELS);
  private readonly channelByAddress: Map<string, BusChannel>;

  constructor(
    private readonly options: NetworkBusOptions,
    private readonly addressOf: (channel: BusChannel) => string,
  ) {
    this.handlers = new LocalHandlers(options.onHandlerError);
    this.channelByAddress = new Map(CLUSTER_CHANNELS.map((channel) => [addressOf(channel), channel]));
  }

  /** Where to listen: one address per cluster channel. */
  get addresses(): string[] {
    return [...this.channelByAddress.keys()];
  }

  /** A payload heard on `address`: handled here unless this node published it. */
  receive(address: string, payload: string): void {
    const channel = this.channelByAddress.get(address);
    if (!channel) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch (error) {
      this.options.onHandlerError(error, channel);
      return;
    }
    if (envelope.node === this.options.nodeId) return;
    this.handlers.dispatch(channel, envelope.event as BusChannels[typeof channel]);
  }

  /** The bus that handles events here and sends the cluster's share over `link`. */
  busOver(link: ClusterLink): Bus {
    return {
      publish: (channel, event) => {
        this.handlers.dispatch(channel, event);
        if (!this.clusterChannels.has(channel) || (event as { localOnly?: boolean }).localOnly) return;
        link.send(this.addressOf(channel), JSON.stringify({ node: this.options.nodeId, event } satisfies Envelope));
      },
      subscribe: (channel, handler) => this.handlers.add(channel, handler),
      health: () => link.health(),
      close: () => link.close(),
    };
  }
}
