import net from 'node:net';
import { GROUP_COMMIT_TAG } from '../store/repositories/postgresAppend.js';

/*
 * A loopback TCP proxy the tests put between two parties (server ↔ PostgreSQL, client ↔ server)
 * to break the network on purpose:
 *   cut()        every connection is reset now and new ones are refused (a database that went away);
 *   blackhole()  bytes stop flowing both ways and nobody is told (a dropped network path);
 *   failNextCommit()  the next PostgreSQL commit (a COMMIT, or the group commit's statement, its
 *                own transaction) reaches the database and commits, but its answer is swallowed
 *                and the connection reset: the writer cannot know it committed.
 *   restore()    back to normal for new connections.
 */

type Mode = 'open' | 'cut' | 'blackhole';

interface Pair {
  client: net.Socket;
  upstream: net.Socket | undefined;
}

/** The simple-protocol Query message `commit` as node-postgres sends Kysely's COMMIT. */
const PG_COMMIT = Buffer.concat([Buffer.from('Q'), Buffer.from([0, 0, 0, 11]), Buffer.from('commit\0', 'latin1')]);
const PG_GROUP_COMMIT = Buffer.from(GROUP_COMMIT_TAG, 'latin1');
/** ReadyForQuery: the database is done with the request, its transaction committed. */
const PG_READY = Buffer.from([0x5a, 0, 0, 0, 5]);

export class TcpProxy {
  private mode: Mode = 'open';
  private readonly pairs = new Set<Pair>();
  private commitTrap: { onTrip: () => void } | undefined;
  connectionsAccepted = 0;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const proxy = new TcpProxy(server, typeof address === 'object' && address ? address.port : 0, targetPort, targetHost);
    server.on('connection', (socket) => proxy.accept(socket));
    return proxy;
  }

  get url(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Resets every connection and refuses new ones until restore(). */
  cut(): void {
    this.mode = 'cut';
    for (const pair of this.pairs) this.destroy(pair);
  }

  /** Stops forwarding in both directions without telling either side. */
  blackhole(): void {
    this.mode = 'blackhole';
  }

  /** New connections work again; connections silenced by blackhole() are reset (the peer forgot them). */
  restore(): void {
    const wasBlackhole = this.mode === 'blackhole';
    this.mode = 'open';
    if (wasBlackhole) for (const pair of this.pairs) this.destroy(pair);
  }

  /** Arms the commit trap for the next COMMIT that passes through; resolves when it tripped. */
  failNextCommit(): Promise<void> {
    return new Promise((resolve) => {
      this.commitTrap = { onTrip: resolve };
    });
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) this.destroy(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.connectionsAccepted += 1;
    client.on('error', () => {});
    if (this.mode === 'cut') {
      client.destroy();
      return;
    }
    const pair: Pair = { client, upstream: undefined };
    this.pairs.add(pair);
    if (this.mode === 'blackhole') {
      // Accepted by "the network" and never answered.
      client.on('close', () => this.pairs.delete(pair));
      return;
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    pair.upstream = upstream;
    upstream.on('error', () => {});
    let swallowing = false;
    client.on('data', (chunk: Buffer) => {
      if (this.mode === 'blackhole') return;
      if (this.commitTrap && (chunk.includes(PG_COMMIT) || chunk.includes(PG_GROUP_COMMIT))) {
        swallowing = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.mode === 'blackhole') return;
      if (swallowing) {
        // Once the database says it is ready again the commit is durable, and the writer never hears so.
        if (!chunk.includes(PG_READY)) return;
        const trap = this.commitTrap;
        this.commitTrap = undefined;
        this.destroy(pair);
        trap?.onTrip();
        return;
      }
      client.write(chunk);
    });
    const closeBoth = () => {
      // A lost path in blackhole mode tells nobody; otherwise a close travels through.
      if (this.mode === 'blackhole') return;
      this.destroy(pair);
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
  }

  private destroy(pair: Pair): void {
    this.pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}
