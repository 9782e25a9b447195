import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type ServerFrameOf } from '@switchboard/protocol';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../../test/testServer.js';
import type { TestSocket } from '../../test/testSocket.js';

/** Presence frames about `userId` that `socket` has received so far. */
function presenceOf(socket: TestSocket, userId: string): ServerFrameOf<'presence'>[] {
  return socket.received('presence').filter((frame) => frame.presence.userId === userId);
}

describe.each(TEST_STORES)('presence audience on %s', (store) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    server = await startTestServer(store);
    alice = await server.createUser();
    bob = await server.createUser();
    stranger = await server.createUser();
    await server.api(alice, 'POST', '/api/conversations', { kind: 'direct', userId: bob.id });
  });
  afterAll(() => server.stop());

  it('welcomes with the presence of contacts and yourself, not of the whole directory', async () => {
    const socket = await server.connect(alice);
    const welcome = socket.received('welcome')[0];
    const listed = new Set(welcome?.presence.map((entry) => entry.userId));
    expect(listed.has(alice.id)).toBe(true);
    expect(listed.has(bob.id)).toBe(true);
    expect(listed.has(stranger.id)).toBe(false);
    await socket.close();
  });

  it("tells a contact about a change and not someone who does not know the user", async () => {
    const watcher = await server.connect(alice);
    const outsider = await server.connect(stranger);
    const bobSocket = await server.connect(bob);
    // The change is queued for every audience socket before bob's welcome went out, so after a
    // round trip anything sent to the outsider would have arrived.
    await watcher.waitFor('presence', (frame) => frame.presence.userId === bob.id && frame.presence.status === 'online');
    await outsider.roundTrip();
    expect(presenceOf(outsider, bob.id)).toHaveLength(0);
    await bobSocket.close();
    await watcher.waitFor('presence', (frame) => frame.presence.userId === bob.id && frame.presence.status === 'offline');
    await outsider.roundTrip();
    expect(presenceOf(outsider, bob.id)).toHaveLength(0);
    await Promise.all([watcher.close(), outsider.close()]);
  });

  it('presence.subscribe answers with a snapshot, then sends changes until the subscription is replaced', async () => {
    const outsider = await server.connect(stranger);
    outsider.send({ type: 'presence.subscribe', ref: 'watch', userIds: [bob.id] });
    const snapshot = await outsider.next('presence.snapshot', (frame) => frame.ref === 'watch');
    expect(snapshot.presence).toEqual([expect.objectContaining({ userId: bob.id, status: 'offline' })]);

    const first = await server.connect(bob);
    await outsider.waitFor('presence', (frame) => frame.presence.userId === bob.id && frame.presence.status === 'online');
    await first.close();
    await outsider.waitFor('presence', (frame) => frame.presence.userId === bob.id && frame.presence.status === 'offline');

    outsider.send({ type: 'presence.subscribe', ref: 'none', userIds: [] });
    expect((await outsider.next('presence.snapshot', (frame) => frame.ref === 'none')).presence).toEqual([]);
    const seen = presenceOf(outsider, bob.id).length;
    const second = await server.connect(bob);
    await outsider.roundTrip();
    expect(presenceOf(outsider, bob.id)).toHaveLength(seen);
    await Promise.all([second.close(), outsider.close()]);
  });

  it('a contact who drops and comes back is shown online: a change waiting to be sent never outlives a newer one', async () => {
    const watcher = await server.connect(alice);
    const first = await server.connect(bob);
    await first.close();
    const second = await server.connect(bob);
    // A frame for the watcher sends every presence change still held for it first (presenceHold.ts).
    await watcher.roundTrip();
    const seen = presenceOf(watcher, bob.id);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)?.presence.status).toBe('online');
    await second.close();
    await watcher.waitFor('presence', (frame) => frame.presence.userId === bob.id && frame.presence.status === 'offline');
    await watcher.close();
  });

  it('a new conversation makes its members contacts at once', async () => {
    const carol = await server.createUser();
    const dave = await server.createUser();
    const carolSocket = await server.connect(carol);
    await server.api(dave, 'POST', '/api/conversations', { kind: 'direct', userId: carol.id });
    await carolSocket.waitFor('conversation');
    const daveSocket = await server.connect(dave);
    await carolSocket.waitFor('presence', (frame) => frame.presence.userId === dave.id && frame.presence.status === 'online');
    await Promise.all([carolSocket.close(), daveSocket.close()]);
  });

  it('refuses a subscription over the limit and keeps the socket open', async () => {
    const socket = await server.connect(stranger);
    const tooMany = Array.from({ length: LIMITS.maxPresenceSubscriptions + 1 }, () => crypto.randomUUID());
    socket.send({ type: 'presence.subscribe', ref: 'big', userIds: tooMany });
    expect((await socket.next('error', (frame) => frame.ref === 'big')).error.code).toBe('bad_frame');
    await socket.roundTrip();
    await socket.close();
  });
});
