import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, TEST_STORES, type TestServer } from '../../test/testServer.js';
import { until } from '../../test/until.js';

/**
 * A client like a real one at a graceful stop: told "service restart" (1012), it reconnects at
 * once, and keeps trying while it is refused. Counts the sockets that opened.
 */
class EagerClient {
  opened = 0;
  readonly closeCodes: number[] = [];
  private stopped = false;
  private ws: WebSocket | undefined;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    /** Its own loopback address, so the per-address upgrade limits are not what is tested. */
    private readonly localAddress: string,
  ) {}

  /** Resolves once the first socket is open. */
  start(): Promise<void> {
    return new Promise((resolve) => this.open(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.ws?.terminate();
  }

  private open(onOpen?: () => void): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.url, { headers: this.headers, localAddress: this.localAddress });
    this.ws = ws;
    ws.on('open', () => {
      this.opened += 1;
      onOpen?.();
    });
    // Refused (503) or nobody listening any more: ws reports an error, then the close.
    ws.on('error', () => {});
    ws.on('close', (code) => {
      this.closeCodes.push(code);
      setTimeout(() => this.open(onOpen), 5);
    });
  }
}

describe.each(TEST_STORES)('socket lifecycle on %s', (store) => {
  let server: TestServer | undefined;
  let clients: EagerClient[] = [];
  afterEach(async () => {
    for (const client of clients) client.stop();
    clients = [];
    await server?.stop();
    server = undefined;
  });

  /** `count` IM clients (ten per user) and a quarter as many visitor sockets, all open. */
  async function eagerClients(count: number): Promise<EagerClient[]> {
    const users = await Promise.all(Array.from({ length: Math.ceil(count / 10) }, () => server!.createUser()));
    const address = (i: number) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
    const made = [
      ...Array.from({ length: count }, (_, i) => new EagerClient(server!.wsUrl, { authorization: `Bearer ${users[i % users.length]!.token}` }, address(i))),
      ...Array.from({ length: Math.ceil(count / 4) }, (_, i) => new EagerClient(`${server!.url.replace(/^http/, 'ws')}/visitor`, { origin: server!.url }, address(count + i))),
    ];
    clients.push(...made);
    await Promise.all(made.map((client) => client.start()));
    return made;
  }

  async function timedStop(): Promise<number> {
    const startedAt = performance.now();
    await server!.node.stop();
    return performance.now() - startedAt;
  }

  it('answers a client\'s ping with its payload, on /ws and /visitor', async () => {
    server = await startTestServer(store);
    const sockets = [(await server.connect(await server.createUser())).ws, (await server.visitor()).ws];
    for (const ws of sockets) {
      const pong = new Promise<string>((resolve) => ws.once('pong', (data) => resolve(data.toString())));
      ws.ping('are you there');
      expect(await pong).toBe('are you there');
    }
  });

  it('stops quickly with clients that reconnect at once: they are refused, not accepted behind the closing', async () => {
    server = await startTestServer(store);
    const eager = await eagerClients(100);
    const stopMs = await timedStop();
    // Every closing handshake is answered within milliseconds; nothing waits for the grace period.
    expect(stopMs).toBeLessThan(900);
    for (const client of eager) {
      expect(client.closeCodes[0]).toBe(1012);
      expect(client.opened).toBe(1);
    }
    // Each client's immediate reconnect is refused too (a fixed 50 ms wait here was flaky on a busy machine).
    await until(async () => eager.every((client) => client.closeCodes.length > 1), 'every reconnect refused', 3000);
    for (const client of eager) expect(client.opened).toBe(1);
  });

  it('a client that ignores the close holds the stop for the grace period only, and nobody gets in meanwhile', async () => {
    server = await startTestServer(store);
    const eager = await eagerClients(20);
    const deaf = await server.connect(await server.createUser());
    // It stops reading: the 1012 close frame is never answered.
    deaf.ws.pause();
    const stopMs = await timedStop();
    expect(stopMs).toBeGreaterThan(900);
    expect(stopMs).toBeLessThan(2500);
    for (const client of eager) expect(client.opened).toBe(1);
  });
});
