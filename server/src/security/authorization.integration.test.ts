import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, type Conversation } from '@switchboard/protocol';
import type { TestSocket } from '../test/testSocket.js';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../test/testServer.js';
import { fillPath, routeTable, snapshotStore, type Route } from './kit.js';

/** Routes anyone may call without a session. Everything else under /api must answer 401 first. */
const PUBLIC_ROUTES = new Set(['POST /api/auth/login']);
const PUBLIC_PREFIXES = ['/api/visitor/'];

/** A valid body for each conversation route, so the request gets past validation to the membership check. */
function bodyFor(route: Route, ids: { outsider: string; member: string }): unknown {
  const key = `${route.method} ${route.path}`;
  const bodies: Record<string, unknown> = {
    'GET /api/conversations/:id': undefined,
    'GET /api/conversations/:id/messages': undefined,
    'PATCH /api/conversations/:id': { title: 'taken over' },
    'POST /api/conversations/:id/members': { userIds: [ids.outsider] },
    'DELETE /api/conversations/:id/members/:userId': undefined,
  };
  if (!(key in bodies)) throw new Error(`new conversation route ${key}: add a valid body here so its authorisation is tested`);
  return bodies[key];
}

describe.each(TEST_STORES)('authorisation on %s', (store) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let outsider: TestUser;
  let groupId: string;
  let directId: string;
  let aliceMessageId: string;
  let aliceSocket: TestSocket;

  beforeAll(async () => {
    server = await startTestServer(store);
    [alice, bob, carol, outsider] = [await server.createUser(), await server.createUser(), await server.createUser(), await server.createUser()];
    groupId = (await server.api<{ conversation: Conversation }>(alice, 'POST', '/api/conversations', { kind: 'group', title: 'Secret plans', memberIds: [bob.id, carol.id] })).body.conversation.id;
    directId = (await server.api<{ conversation: Conversation }>(alice, 'POST', '/api/conversations', { kind: 'direct', userId: bob.id })).body.conversation.id;
    aliceSocket = await server.connect(alice);
    aliceSocket.send({ type: 'send', conversationId: groupId, clientId: newClientId(), body: 'the secret' });
    aliceMessageId = (await aliceSocket.next('ack')).messageId;
  });
  afterAll(() => server.stop());

  /** Asks every conversation route about `conversationId` as `user`; returns each answer. */
  async function askRoutes(user: TestUser, conversationId: string) {
    const routes = routeTable(server.node.http).filter((route) => route.path.startsWith('/api/conversations/:id'));
    expect(routes.length).toBeGreaterThanOrEqual(5);
    const answers: Record<string, { status: number; body: unknown }> = {};
    for (const route of routes) {
      const path = fillPath(route.path, { id: conversationId, userId: alice.id });
      answers[`${route.method} ${route.path}`] = await server.api(user, route.method, path, bodyFor(route, { outsider: user.id, member: alice.id }));
    }
    return answers;
  }

  /** Sends every conversation frame about `conversationId`; returns the error each got. */
  async function askFrames(socket: TestSocket, conversationId: string, messageId: string) {
    const frames: Record<string, Record<string, unknown>> = {
      send: { type: 'send', conversationId, clientId: newClientId(), body: 'let me in' },
      edit: { type: 'edit', conversationId, messageId, body: 'defaced' },
      delete: { type: 'delete', conversationId, messageId },
      typing: { type: 'typing', conversationId, state: 'start' },
      read: { type: 'read', conversationId, seq: 1 },
    };
    const answers: Record<string, unknown> = {};
    for (const [name, frame] of Object.entries(frames)) {
      const ref = `${name}-${crypto.randomUUID()}`;
      socket.send({ ...frame, ref });
      const answer = await Promise.race([socket.next('error', (candidate) => candidate.ref === ref), socket.next('ok', (candidate) => candidate.ref === ref), socket.next('ack', (candidate) => candidate.ref === ref)]);
      answers[name] = answer.type === 'error' ? answer.error : answer.type;
    }
    const ref = `sync-${crypto.randomUUID()}`;
    socket.send({ type: 'sync', ref, cursors: [{ conversationId, afterSeq: 0 }] });
    await socket.next('sync.done', (frame) => frame.ref === ref);
    answers.sync = socket.received('sync.batch').filter((frame) => frame.ref === ref).length;
    return answers;
  }

  it('a non-member gets exactly the same answer for a real conversation as for a made-up one, on every conversation route', async () => {
    const before = await snapshotStore(server.node.store, server.node.config.databaseSchema);
    for (const conversationId of [groupId, directId]) {
      const real = await askRoutes(outsider, conversationId);
      const madeUp = await askRoutes(outsider, crypto.randomUUID());
      expect(real).toEqual(madeUp);
      for (const [route, answer] of Object.entries(real)) {
        expect(answer, route).toEqual({ status: 404, body: { error: { code: 'not_found', message: expect.any(String), retryable: false } } });
      }
    }
    expect(await snapshotStore(server.node.store, server.node.config.databaseSchema)).toEqual(before);
  });

  it('a non-member gets exactly the same answer for a real conversation and message as for made-up ones, on every conversation frame, and no sync batch', async () => {
    const socket = await server.connect(outsider);
    const before = await snapshotStore(server.node.store, server.node.config.databaseSchema);
    const real = await askFrames(socket, groupId, aliceMessageId);
    const madeUp = await askFrames(socket, crypto.randomUUID(), crypto.randomUUID());
    expect(real).toEqual(madeUp);
    for (const [frame, answer] of Object.entries(real)) {
      if (frame === 'sync') expect(answer).toBe(0);
      else expect(answer, frame).toMatchObject({ code: 'not_found' });
    }
    expect(await snapshotStore(server.node.store, server.node.config.databaseSchema)).toEqual(before);
    await socket.close();
  });

  it('a non-member receives nothing live: no message, typing, read receipt, conversation or update of it', async () => {
    const watcher = await server.connect(outsider);
    const bobSocket = await server.connect(bob);
    aliceSocket.send({ type: 'typing', conversationId: groupId, state: 'start' });
    aliceSocket.send({ type: 'send', ref: 'live', conversationId: groupId, clientId: newClientId(), body: 'still secret' });
    const ack = await aliceSocket.next('ack', (frame) => frame.ref === 'live');
    bobSocket.send({ type: 'read', conversationId: groupId, seq: ack.seq });
    aliceSocket.send({ type: 'edit', ref: 'live-edit', conversationId: groupId, messageId: ack.messageId, body: 'edited secret' });
    await aliceSocket.next('ok', (frame) => frame.ref === 'live-edit');
    await server.api(alice, 'PATCH', `/api/conversations/${groupId}`, { title: 'Renamed plans' });
    await bobSocket.waitFor('conversation', (frame) => frame.conversation.title === 'Renamed plans');
    await watcher.roundTrip();
    const leaked = watcher.frames.filter((frame) => JSON.stringify(frame).includes(groupId) || JSON.stringify(frame).includes('secret'));
    expect(leaked).toEqual([]);
    const welcome = await server.connect(outsider);
    expect(welcome.received('welcome')[0]?.conversations.map((conversation) => conversation.id)).not.toContain(groupId);
    await Promise.all([watcher.close(), bobSocket.close(), welcome.close()]);
  });

  it('a member removed from a group learns nothing more, exactly like someone who never was in it', async () => {
    const removed = await server.api(alice, 'DELETE', `/api/conversations/${groupId}/members/${carol.id}`);
    expect(removed.status).toBe(204);
    const carolSocket = await server.connect(carol);
    expect(await askRoutes(carol, groupId)).toEqual(await askRoutes(carol, crypto.randomUUID()));
    expect(await askFrames(carolSocket, groupId, aliceMessageId)).toEqual(await askFrames(carolSocket, crypto.randomUUID(), crypto.randomUUID()));
    await carolSocket.close();
  });

  it('members cannot change other members\' messages, and only the owner removes others', async () => {
    const bobSocket = await server.connect(bob);
    bobSocket.send({ type: 'edit', ref: 'e', conversationId: groupId, messageId: aliceMessageId, body: 'defaced' });
    expect((await bobSocket.next('error', (frame) => frame.ref === 'e')).error.code).toBe('forbidden');
    bobSocket.send({ type: 'delete', ref: 'd', conversationId: groupId, messageId: aliceMessageId });
    expect((await bobSocket.next('error', (frame) => frame.ref === 'd')).error.code).toBe('forbidden');
    const history = await server.api<{ messages: { id: string; body: string; deletedAt: number | null }[] }>(alice, 'GET', `/api/conversations/${groupId}/messages`);
    expect(history.body.messages.find((message) => message.id === aliceMessageId)).toMatchObject({ body: 'the secret', deletedAt: null });
    const kick = await server.api<{ error: { code: string } }>(bob, 'DELETE', `/api/conversations/${groupId}/members/${alice.id}`);
    expect([kick.status, kick.body.error.code]).toEqual([403, 'forbidden']);
    await bobSocket.close();
  });

  it('every /api route but login and the visitor widget\'s needs a session, and admin and agent routes need their permission', async () => {
    const routes = routeTable(server.node.http).filter((route) => route.path.startsWith('/api/') && route.method !== 'OPTIONS');
    const employee = outsider;
    const before = await snapshotStore(server.node.store, server.node.config.databaseSchema);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (PUBLIC_ROUTES.has(key) || PUBLIC_PREFIXES.some((prefix) => route.path.startsWith(prefix))) continue;
      const path = fillPath(route.path, {}, crypto.randomUUID());
      for (const token of [undefined, 'forged-token', `${employee.token}x`, employee.token.slice(0, -1)]) {
        const answer = await server.api<{ error: { code: string } }>(token === undefined ? undefined : { ...employee, token }, route.method, path, route.method === 'GET' ? undefined : {});
        expect([answer.status, answer.body.error.code], `${key} with ${token === undefined ? 'no token' : 'a bad token'}`).toEqual([401, 'unauthorized']);
      }
      if (route.path.startsWith('/api/admin/') || route.path.startsWith('/api/service/')) {
        const answer = await server.api<{ error: { code: string } }>(employee, route.method, path, route.method === 'GET' ? undefined : {});
        expect([answer.status, answer.body.error.code], `${key} as an employee`).toEqual([403, 'forbidden']);
      }
    }
    expect(await snapshotStore(server.node.store, server.node.config.databaseSchema)).toEqual(before);
  });
});
