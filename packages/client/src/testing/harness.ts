import { SwitchboardClient, type ClientEvents, type ClientOptions } from '../client.js';
import { CONV_A, CONV_B, FakeServer } from './fake-socket.js';

export const TEST_URL = 'ws://switchboard.test/ws';

/**
 * A client wired to a FakeServer. `random` is fixed at 0.5 so every backoff delay is exactly half its
 * ceiling (125, 250, 500 ms, …); the heartbeat is off unless a test turns it on.
 */
export function setup(options: Partial<ClientOptions> = {}): { server: FakeServer; client: SwitchboardClient } {
  const server = new FakeServer();
  const client = new SwitchboardClient({
    url: TEST_URL,
    createSocket: server.createSocket,
    random: () => 0.5,
    heartbeatIntervalMs: 0,
    ...options,
  });
  return { server, client };
}

/** Collects every event of one type into an array, in order. */
export function record<K extends keyof ClientEvents>(client: SwitchboardClient, type: K): Array<ClientEvents[K]> {
  const events: Array<ClientEvents[K]> = [];
  client.on(type, (event) => events.push(event));
  return events;
}

/** `A:7` (conversation CONV_A, seq 7) for each message event, to compare delivery order in one line. */
export function delivered(events: ReadonlyArray<ClientEvents['message']>): string[] {
  const label = (id: string) => (id === CONV_A ? 'A' : id === CONV_B ? 'B' : id);
  return events.map(({ message }) => `${label(message.conversationId)}:${message.seq}`);
}
