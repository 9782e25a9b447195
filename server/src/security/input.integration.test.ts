import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_FRAME_TYPES,
  ClientFrame,
  ClientId,
  ErrorCode,
  LIMITS,
  newClientId,
  PROTOCOL_VERSION,
  VISITOR_CLIENT_FRAME_TYPES,
  VISITOR_PROTOCOL_VERSION,
  VisitorClientFrame,
  type ServerFrame,
} from '@switchboard/protocol';
import { findUnsafeText } from '../gateway/textSafety.js';
import { TestSocket } from '../test/testSocket.js';
import { TestVisitor } from '../test/testVisitor.js';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../test/testServer.js';
import { fuzzSeed, malformedText, mutate, nastyString, nastyValue, PROTO_KEYS, Rng } from './fuzz.js';
import { encodeAny, fillPath, prototypeFingerprint, routeTable, snapshotStore } from './kit.js';

/** How many hostile frames / requests one fuzz run sends per store (SWITCHBOARD_FUZZ_COUNT to change). */
const FUZZ_COUNT = Number(process.env.SWITCHBOARD_FUZZ_COUNT ?? 3000);
const ERROR_CODES = new Set<string>(ErrorCode.options);

/** Values that must never pass where an id is expected. */
function badIds(realId: string): unknown[] {
  return [
    ...PROTO_KEYS,
    '',
    `${realId}\u202e`,
    `\u200b${realId}`,
    `${realId}\u0000`,
    `${realId.slice(0, -1)}\ud800`,
    `${realId} `,
    `${realId}/../x`,
    'Ａ'.repeat(36),
    'x'.repeat(60_000),
    {},
    [],
    [realId],
    { $ne: null },
    { toString: realId },
    1,
    -1,
    null,
    true,
  ];
}

/** True when the server must refuse this text at the edge (it cannot be a well-formed frame). */
function refusedAtEdge(text: string, types = CLIENT_FRAME_TYPES, schema: { safeParse(value: unknown): { success: boolean } } = ClientFrame): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return true;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !types.includes(type)) return true;
  if (findUnsafeText(value)) return true;
  return !schema.safeParse(value).success;
}

/** The ref the server can read back from a frame, as the edge does it. */
function readableRef(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    const ref = typeof value === 'object' && value !== null ? (value as { ref?: unknown }).ref : undefined;
    return typeof ref === 'string' && ref.length > 0 && ref.length <= 64 ? ref : undefined;
  } catch {
    return undefined;
  }
}

const ANSWERS_TO_VALID_FRAMES = new Set<ServerFrame['type']>(['ack', 'ok', 'sync.batch', 'sync.done', 'welcome', 'message', 'message.updated', 'visitor.ack', 'duty']);

describe.each(TEST_STORES)('hostile input on %s', (store) => {
  let server: TestServer;
  let visitorServer: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  let directId: string;
  let groupId: string;
  let messageId: string;

  beforeAll(async () => {
    // The fuzz sends thousands of requests from one address; the /api rate limit has its own test.
    server = await startTestServer(store, { SWITCHBOARD_API_RATE_BURST: '1000000', SWITCHBOARD_API_RATE_PER_SECOND: '1000000' });
    // Visitors get a server of their own: the CS system's timers update visitor rows in the
    // background, which must not disturb the "nothing stored changed" checks of the other tests.
    visitorServer = await startTestServer(store, { SWITCHBOARD_VISITOR_CONNECTS_PER_MINUTE: '1000000' });
    alice = await server.createUser();
    bob = await server.createUser();
    admin = await server.createUser(['admin', 'agent']);
    directId = (await server.api<{ conversation: { id: string } }>(alice, 'POST', '/api/conversations', { kind: 'direct', userId: bob.id })).body.conversation.id;
    groupId = (await server.api<{ conversation: { id: string } }>(alice, 'POST', '/api/conversations', { kind: 'group', title: 'Group', memberIds: [bob.id] })).body.conversation.id;
    const socket = await server.connect(alice);
    socket.send({ type: 'send', conversationId: directId, clientId: newClientId(), body: 'first' });
    messageId = (await socket.next('ack')).messageId;
    await socket.close();
  });
  afterAll(async () => {
    await server.stop();
    await visitorServer.stop();
  });

  it('answers prototype keys, unicode oddities and wrong types where ids are expected with a typed error, over WebSocket and HTTP', async () => {
    const socket = await server.connect(alice);
    const frames: [string, (bad: unknown) => Record<string, unknown>][] = [
      ['send.conversationId', (bad) => ({ type: 'send', conversationId: bad, clientId: newClientId(), body: 'x' })],
      ['send.clientId', (bad) => ({ type: 'send', conversationId: directId, clientId: bad, body: 'x' })],
      ['edit.messageId', (bad) => ({ type: 'edit', conversationId: directId, messageId: bad, body: 'x' })],
      ['delete.conversationId', (bad) => ({ type: 'delete', conversationId: bad, messageId })],
      ['typing.conversationId', (bad) => ({ type: 'typing', conversationId: bad, state: 'start' })],
      ['read.conversationId', (bad) => ({ type: 'read', conversationId: bad, seq: 1 })],
      ['sync.cursors.conversationId', (bad) => ({ type: 'sync', cursors: [{ conversationId: bad, afterSeq: 0 }] })],
      ['visitor.send.chatId', (bad) => ({ type: 'visitor.send', chatId: bad, clientId: newClientId(), body: 'x' })],
    ];
    let probe = 0;
    for (const [name, build] of frames) {
      for (const bad of badIds(directId)) {
        if (name === 'send.clientId' && ClientId.safeParse(bad).success) continue;
        const ref = `p${(probe += 1)}`;
        socket.send({ ...build(bad), ref });
        const error = await socket.next('error', (frame) => frame.ref === ref);
        expect(error.error.code, `${name} = ${JSON.stringify(bad).slice(0, 60)}`).toBe('bad_frame');
      }
    }
    await socket.roundTrip();
    await socket.close();

    const stringIds = badIds(directId).filter((bad): bad is string => typeof bad === 'string' && bad.length > 0 && bad.length < 1000);
    for (const bad of stringIds) {
      for (const route of ['/api/conversations/:id', '/api/conversations/:id/messages', '/api/admin/users/:id']) {
        const path = fillPath(route, { id: bad });
        const answer = await server.api<{ error: { code: string } }>(admin, route.startsWith('/api/admin') ? 'PATCH' : 'GET', path, route.startsWith('/api/admin') ? { displayName: 'x' } : undefined);
        expect([answer.status, answer.body.error.code], `${route} with ${JSON.stringify(bad)}`).toEqual([400, 'bad_request']);
      }
    }
    for (const bad of badIds(bob.id)) {
      const direct = await server.api<{ error: { code: string } }>(alice, 'POST', '/api/conversations', { kind: 'direct', userId: bad });
      expect([direct.status, direct.body.error.code], `userId ${JSON.stringify(bad).slice(0, 60)}`).toEqual([400, 'bad_request']);
      const members = await server.api<{ error: { code: string } }>(alice, 'POST', `/api/conversations/${groupId}/members`, { userIds: [bad] });
      expect([members.status, members.body.error.code], `userIds [${JSON.stringify(bad).slice(0, 60)}]`).toEqual([400, 'bad_request']);
    }
    const history = await server.api<{ messages: unknown[] }>(alice, 'GET', `/api/conversations/${directId}/messages`);
    expect(history.body.messages).toHaveLength(1);

    // Client ids that name Object.prototype members are legal; they must work like any other (no map confusion).
    const again = await server.connect(alice);
    for (const clientId of ['hasOwnProperty', '__lookupGetter__', 'toString', 'valueOf_', '__defineSetter__']) {
      const acks = [];
      for (let attempt = 0; attempt < 2; attempt += 1) {
        again.send({ type: 'send', ref: `${clientId}-${attempt}`, conversationId: groupId, clientId, body: `id ${clientId}` });
        acks.push(await again.next('ack', (frame) => frame.ref === `${clientId}-${attempt}`));
      }
      expect(acks[1]?.messageId, clientId).toBe(acks[0]?.messageId);
    }
    const group = await server.api<{ messages: { body: string }[] }>(alice, 'GET', `/api/conversations/${groupId}/messages`);
    expect(group.body.messages.map((message) => message.body)).toEqual(['hasOwnProperty', '__lookupGetter__', 'toString', 'valueOf_', '__defineSetter__'].map((id) => `id ${id}`));
    await again.close();
  });

  it('refuses NUL and unpaired surrogates in any text with a typed error (PostgreSQL cannot store them), while bidi and zero-width text round-trips unchanged', async () => {
    const socket = await server.connect(alice);
    const before = await snapshotStore(server.node.store, server.node.config.databaseSchema);
    for (const body of ['a\u0000b', '\u0000', 'x\ud800y', 'x\udc00', 'end\ud83d']) {
      socket.send({ type: 'send', ref: 'nul', conversationId: directId, clientId: newClientId(), body });
      const error = await socket.next('error', (frame) => frame.ref === 'nul');
      expect(error.error, JSON.stringify(body)).toMatchObject({ code: 'bad_frame', retryable: false, issues: [{ path: 'body' }] });
      socket.send({ type: 'edit', ref: 'nul-edit', conversationId: directId, messageId, body });
      expect((await socket.next('error', (frame) => frame.ref === 'nul-edit')).error.code).toBe('bad_frame');
    }
    const requests: [string, string, unknown][] = [
      ['POST', '/api/conversations', { kind: 'group', title: 'a\u0000b', memberIds: [] }],
      ['POST', '/api/conversations', { kind: 'group', title: 'lone \udc00', memberIds: [] }],
      ['PATCH', `/api/conversations/${groupId}`, { title: 'x\u0000' }],
      ['POST', '/api/auth/login', { username: 'admin\u0000', password: 'whatever-password' }],
      ['POST', '/api/auth/login', { username: 'admin', password: 'pass\u0000word' }],
      ['POST', '/api/admin/users', { username: 'nul.user', displayName: 'Nul\u0000Name', password: 'a-long-enough-password', roles: ['employee'] }],
      ['PATCH', `/api/admin/users/${bob.id}`, { displayName: '\ud800' }],
      ['POST', '/api/conversations', { kind: 'group', title: 'ok', memberIds: [], 'key\u0000': 1 }],
    ];
    for (const [method, route, body] of requests) {
      const answer = await server.api<{ error: { code: string } }>(method === 'POST' && route.startsWith('/api/auth') ? undefined : admin, method, route, body);
      expect([answer.status, answer.body.error?.code], `${method} ${route} ${JSON.stringify(body)}`).toEqual([400, 'bad_request']);
    }
    const query = await server.api<{ error: { code: string } }>(alice, 'GET', `/api/conversations/${directId}/messages?limit=1%00`);
    expect(query.status).toBe(400);
    expect(await snapshotStore(server.node.store, server.node.config.databaseSchema)).toEqual(before);
    // The visitor widget's socket and routes (public, no login) refuse them the same way.
    const visitor = await visitorServer.visitor();
    const beforeVisitor = await snapshotStore(visitorServer.node.store, visitorServer.node.config.databaseSchema);
    for (const frame of [
      { type: 'v.offline', name: 'Nul', email: 'nul@example.com', message: 'a\u0000b' },
      { type: 'v.offline', name: 'N\u0000', email: 'nul@example.com', message: 'hello' },
      { type: 'v.start', name: 'x\ud800', message: 'hello' },
      { type: 'v.send', clientId: newClientId(), body: '\u0000' },
    ]) {
      const answer = await visitor.request(frame);
      expect(answer, JSON.stringify(frame)).toMatchObject({ type: 'v.error', error: { code: 'bad_frame' } });
    }
    const offline = await fetch(`${visitorServer.url}/api/visitor/offline`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: visitorServer.url },
      body: JSON.stringify({ siteKey: 'demo', name: 'N\u0000', email: 'nul@example.com', message: 'hello' }),
    });
    expect(offline.status).toBe(400);
    expect(await snapshotStore(visitorServer.node.store, visitorServer.node.config.databaseSchema)).toEqual(beforeVisitor);

    // Honest text with bidi controls, zero-width joiners, BOMs and astral characters is stored exactly.
    const tricky = ['مرحبا \u202eevil.exe\u202c', 'zero\u200bwidth\u200c\u200d', '\ufeffbom', '👩‍👩‍👧 𝔘𝔫𝔦', '<script>alert(1)</script>'];
    for (const body of tricky) {
      socket.send({ type: 'send', ref: 'ok', conversationId: directId, clientId: newClientId(), body });
      await socket.next('ack', (frame) => frame.ref === 'ok');
    }
    const history = await server.api<{ messages: { body: string }[] }>(alice, 'GET', `/api/conversations/${directId}/messages`);
    expect(history.body.messages.slice(-tricky.length).map((message) => message.body)).toEqual(tricky);
    const titled = await server.api<{ conversation: { title: string } }>(alice, 'POST', '/api/conversations', { kind: 'group', title: 'ﺍﻟﻔﺮﻳﻖ \u202e\u200b team', memberIds: [] });
    expect(titled.body.conversation.title).toBe('ﺍﻟﻔﺮﻳﻖ \u202e\u200b team');
    await socket.close();
  });

  it('fuzz: thousands of malformed WebSocket frames each get one typed error, the socket and the server stay up, and nothing is stored', { timeout: 120_000 }, async () => {
    const seed = fuzzSeed();
    const rng = new Rng(seed);
    const replay = `seed ${seed} (replay: SWITCHBOARD_FUZZ_SEED=${seed})`;
    const before = await snapshotStore(server.node.store, server.node.config.databaseSchema);
    const prototypeBefore = prototypeFingerprint();
    const bystander = await server.connect(bob);
    const otherChat = crypto.randomUUID();
    const templates = (): Record<string, unknown>[] => [
      { type: 'hello', ref: 'h', protocol: PROTOCOL_VERSION },
      { type: 'sync', ref: 's', cursors: [{ conversationId: directId, afterSeq: 0 }], limit: 10 },
      { type: 'send', ref: 'm', conversationId: rng.pick([directId, groupId]), clientId: newClientId(), body: 'hello' },
      { type: 'edit', ref: 'e', conversationId: directId, messageId, body: 'edited' },
      { type: 'delete', ref: 'd', conversationId: directId, messageId },
      { type: 'typing', conversationId: groupId, state: 'start' },
      { type: 'read', conversationId: directId, seq: 1 },
      { type: 'presence.set', status: 'away' },
      { type: 'ping', ref: 'p' },
      { type: 'duty.set', status: 'available' },
      { type: 'visitor.send', chatId: otherChat, clientId: newClientId(), body: 'hi' },
      { type: 'visitor.note', chatId: otherChat, clientId: newClientId(), body: 'note' },
      { type: 'visitor.typing', chatId: otherChat, state: 'stop' },
      { type: 'visitor.close', chatId: otherChat },
      { type: 'visitor.transfer', chatId: otherChat, to: { kind: 'agent', agentId: bob.id } },
      { type: 'visitor.invite', chatId: otherChat, agentId: bob.id },
    ];
    const next = (): string | Buffer => {
      if (rng.chance(0.02)) return Buffer.from(nastyString(rng));
      for (;;) {
        const text = rng.chance(0.15) ? malformedText(rng) : mutate(rng, rng.pick(templates()));
        if (Buffer.byteLength(text) < LIMITS.maxFrameBytes && refusedAtEdge(text)) return text;
      }
    };

    let sent = 0;
    let socket: TestSocket | undefined;
    let onSocket = 0;
    while (sent < FUZZ_COUNT) {
      // A fresh socket every 150 frames keeps each within its frame budget (the flood limit has its own test).
      if (!socket || onSocket >= 150) {
        if (socket) await socket.close();
        socket = await TestSocket.open(server.wsUrl, { authorization: `Bearer ${alice.token}` });
        onSocket = 0;
        // Some garbage before hello too: refused the same way.
        for (let index = 0; index < 5; index += 1) sendRaw(socket, next());
        await waitForErrors(socket, 5, replay);
        await socket.hello();
        onSocket += 6;
      }
      const batch = Array.from({ length: Math.min(30, FUZZ_COUNT - sent) }, next);
      const start = socket.frames.length;
      for (const frame of batch) sendRaw(socket, frame);
      const ref = `fuzz-${sent}`;
      socket.send({ type: 'ping', ref });
      await socket.next('pong', (frame) => frame.ref === ref, 10_000).catch(() => {
        throw new Error(`no answer to a ping after a fuzz batch (a hang) — ${replay}`);
      });
      const answers = socket.frames.slice(start);
      const errors = answers.filter((frame) => frame.type === 'error');
      expect(errors.length, `one error per frame — ${replay}; batch: ${batch.map((frame) => String(frame).slice(0, 80)).join(' | ')}`).toBe(batch.length);
      errors.forEach((frame, index) => {
        const input = batch[index] as string | Buffer;
        const where = `${replay}; frame: ${String(input).slice(0, 200)}`;
        expect(['bad_frame', 'unknown_type'], where).toContain(frame.error.code);
        expect(ERROR_CODES.has(frame.error.code), where).toBe(true);
        if (typeof input === 'string') expect(frame.ref, where).toBe(readableRef(input));
      });
      expect(answers.filter((frame) => ANSWERS_TO_VALID_FRAMES.has(frame.type)).map((frame) => frame.type), replay).toEqual([]);
      expect(socket.closeCode, replay).toBeUndefined();
      sent += batch.length;
      onSocket += batch.length + 1;
    }
    await socket?.close();

    await bystander.roundTrip();
    await bystander.close();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await snapshotStore(server.node.store, server.node.config.databaseSchema), replay).toEqual(before);
    expect(prototypeFingerprint(), replay).toBe(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted, replay).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin, replay).toBeUndefined();
  });

  it('fuzz: thousands of malformed frames on the public visitor socket, before and after v.hello, each get one typed error and store nothing', { timeout: 120_000 }, async () => {
    const seed = fuzzSeed();
    const rng = new Rng(seed);
    const replay = `seed ${seed} (replay: SWITCHBOARD_FUZZ_SEED=${seed})`;
    const page = { url: 'https://shop.example/', title: 'Shop', referrer: '' };
    const templates = (): Record<string, unknown>[] => [
      { type: 'v.hello', ref: 'h', protocol: VISITOR_PROTOCOL_VERSION, siteKey: 'demo', page },
      { type: 'v.start', ref: 's', name: 'Visitor', email: 'v@example.com', message: 'hello', clientId: newClientId() },
      { type: 'v.send', ref: 'm', clientId: newClientId(), body: 'hi' },
      { type: 'v.typing', state: 'start' },
      { type: 'v.page', page },
      { type: 'v.read', seq: 1 },
      { type: 'v.close', ref: 'c' },
      { type: 'v.offline', ref: 'o', name: 'Visitor', email: 'v@example.com', message: 'call me' },
      { type: 'v.ping', ref: 'p' },
    ];
    const next = (): string => {
      for (;;) {
        const text = rng.chance(0.15) ? malformedText(rng) : mutate(rng, rng.pick(templates()));
        if (Buffer.byteLength(text) < LIMITS.maxFrameBytes && refusedAtEdge(text, VISITOR_CLIENT_FRAME_TYPES, VisitorClientFrame)) return text;
      }
    };
    const counts = async () => {
      const snapshot = await snapshotStore(visitorServer.node.store, visitorServer.node.config.databaseSchema);
      return Object.fromEntries(Object.entries(snapshot).map(([table, rows]) => [table, rows.length]));
    };
    const prototypeBefore = prototypeFingerprint();
    const fullBefore = await snapshotStore(visitorServer.node.store, visitorServer.node.config.databaseSchema);

    /** Sends a batch, then a ping; every fuzz frame must have drawn exactly one v.error. */
    const batch = async (visitor: TestVisitor, size: number, hello: boolean) => {
      const frames = Array.from({ length: size }, next);
      const start = visitor.frames.length;
      for (const frame of frames) visitor.send(frame);
      const ref = `end-${rng.int(1e9)}`;
      visitor.send({ type: 'v.ping', ref });
      // Before v.hello the ping itself is refused with not_ready; after it, it is answered.
      const deadline = Date.now() + 10_000;
      while (!visitor.frames.slice(start).some((frame) => 'ref' in frame && frame.ref === ref)) {
        if (Date.now() > deadline) throw new Error(`no answer to a ping after a fuzz batch (a hang) — ${replay}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const answers = visitor.frames.slice(start).filter((frame) => !('ref' in frame && frame.ref === ref));
      const errors = answers.filter((frame) => frame.type === 'v.error');
      expect(errors.length, `one error per frame — ${replay}; batch: ${frames.map((frame) => frame.slice(0, 80)).join(' | ')}`).toBe(frames.length);
      errors.forEach((frame, index) => {
        const where = `${replay}; frame: ${String(frames[index]).slice(0, 200)}`;
        expect(['bad_frame', 'unknown_type'], where).toContain(frame.type === 'v.error' ? frame.error.code : frame.type);
      });
      expect(answers.filter((frame) => ['v.ack', 'v.ok', 'v.chat', 'v.message', 'v.welcome'].includes(frame.type)), replay).toEqual([]);
      if (hello) expect(visitor.frames.slice(start).some((frame) => frame.type === 'v.pong'), replay).toBe(true);
    };

    // Before v.hello: nothing is stored at all.
    let sent = 0;
    while (sent < FUZZ_COUNT / 2) {
      const visitor = await TestVisitor.open(visitorServer.url, visitorServer.url);
      for (let round = 0; round < 2; round += 1) await batch(visitor, 20, false);
      sent += 40;
      await visitor.close();
    }
    expect(await snapshotStore(visitorServer.node.store, visitorServer.node.config.databaseSchema), replay).toEqual(fullBefore);

    // After v.hello (one visitor, resumed by token on each socket): no chat, message or visitor is added.
    const first = await visitorServer.visitor();
    const token = first.token ?? '';
    await first.close();
    const countsBefore = await counts();
    while (sent < FUZZ_COUNT) {
      const visitor = await TestVisitor.open(visitorServer.url, visitorServer.url);
      await visitor.hello({ token });
      for (let round = 0; round < 2; round += 1) await batch(visitor, 25, true);
      sent += 50;
      await visitor.close();
    }
    expect(await counts(), replay).toEqual(countsBefore);
    expect((await fetch(`${visitorServer.url}/healthz`)).status).toBe(200);
    expect(prototypeFingerprint(), replay).toBe(prototypeBefore);
  });

  it('fuzz: malformed bodies, params and queries to every HTTP route get a typed 4xx, never a 500 or a hang, and nothing is stored', { timeout: 120_000 }, async () => {
    const seed = fuzzSeed();
    const rng = new Rng(seed);
    const replay = `seed ${seed} (replay: SWITCHBOARD_FUZZ_SEED=${seed})`;
    const routes = routeTable(server.node.http).filter((route) => route.path.startsWith('/api/') || route.path === '/healthz');
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining(['POST /api/auth/login', 'POST /api/conversations', 'PATCH /api/conversations/:id', 'DELETE /api/conversations/:id/members/:userId', 'GET /api/admin/audit']),
    );
    const before = await snapshotStore(server.node.store, server.node.config.databaseSchema);
    const prototypeBefore = prototypeFingerprint();
    const bodyTemplates: Record<string, unknown>[] = [
      { username: alice.username, password: alice.password },
      { kind: 'group', title: 'fuzz', memberIds: [bob.id] },
      { kind: 'direct', userId: bob.id },
      { title: 'renamed' },
      { userIds: [bob.id] },
      { username: 'fuzzed', displayName: 'Fuzz', password: 'a-long-enough-password', roles: ['admin'] },
      { displayName: 'x', roles: ['admin'], disabled: true, password: 'a-long-enough-password' },
      { currentPassword: admin.password, newPassword: 'another-long-password' },
      { siteKey: 'default', token: 'x'.repeat(40), name: 'n', email: 'a@b.c', message: 'm' },
      { handled: true },
      { name: 'dept' },
      { userId: bob.id, note: 'n' },
      {},
    ];
    // Writes that take no input at all would succeed with any body; they are fuzzed without a session.
    const noInputWrites = new Set(['POST /api/auth/logout']);

    const urlPart = (): string =>
      rng.chance(0.1) ? rng.pick(['%ED%A0%80', '%ZZ', '%', '%00', '%C0%AE%C0%AE', '..%2F..%2F', '%2e%2e', '%u0000']) : encodeAny(nastyString(rng).slice(0, 300));
    const query = (): string => {
      switch (rng.int(6)) {
        case 0:
          return '';
        case 1:
          return `?${rng.pick(['__proto__[polluted]=1', 'constructor[prototype][polluted]=1', '__proto__.polluted=1', 'limit=1e400', 'limit[]=1&limit[]=2', 'before=-1', '%%%', '&&&==', 'a=%ED%A0%80'])}`;
        case 2:
          return `?${'a=1&'.repeat(rng.pick([10, 500, 1500]))}`;
        default:
          return `?${Array.from({ length: rng.int(4) + 1 }, () => `${rng.chance(0.3) ? rng.pick(PROTO_KEYS) : urlPart()}=${urlPart()}`).join('&')}`;
      }
    };
    const withUnknownKey = (text: string): string => {
      const unknownKey = JSON.stringify(`${rng.pick(PROTO_KEYS)}${rng.int(1000)}`);
      return text === '{}' ? `{${unknownKey}:1}` : text.startsWith('{') ? `{${unknownKey}:1,${text.slice(1)}` : text;
    };
    const body = (): { text?: string; type?: string } => {
      switch (rng.int(8)) {
        case 0:
          return { text: '', type: rng.pick(['application/json', 'text/plain']) };
        case 1:
          return { text: malformedText(rng), type: 'application/json' };
        case 2:
          return { text: withUnknownKey(JSON.stringify(nastyValue(rng))), type: rng.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) };
        case 3:
          return { text: JSON.stringify({ filler: 'x'.repeat(300 * 1024) }), type: 'application/json' };
        default: {
          // Built from a plausible body, then given a field no request schema knows, so it can never be valid.
          return { text: withUnknownKey(mutate(rng, rng.pick(bodyTemplates))), type: 'application/json' };
        }
      }
    };

    // The whole plan is drawn from the seed first, so a replay sends the same requests whatever the timing.
    const plan = Array.from({ length: FUZZ_COUNT }, (_, index) => {
      const route = rng.pick(routes);
      const key = `${route.method} ${route.path}`;
      const path = route.path.replace(/:(\w+)/g, () => urlPart() || '%20');
      const payload = route.method === 'GET' ? {} : body();
      const credentials = noInputWrites.has(key) ? rng.pick(['none', 'forged']) : rng.pick(['admin', 'admin', 'admin', 'alice', 'none', 'forged', 'cookie']);
      const headers: Record<string, string> = {};
      if (credentials === 'admin') headers.authorization = `Bearer ${admin.token}`;
      if (credentials === 'alice') headers.authorization = `Bearer ${alice.token}`;
      if (credentials === 'forged') headers.authorization = `Bearer ${urlPart().slice(0, 200)}`;
      if (credentials === 'cookie') headers.cookie = `sb_session=${admin.token}`;
      if (payload.type) headers['content-type'] = payload.type;
      const target = `${server.url}${path}${query()}`;
      const where = `#${index} ${route.method} ${target.slice(0, 300)} body ${String(payload.text).slice(0, 300)} as ${credentials} — ${replay}`;
      return { method: route.method, target, headers, payload, where };
    });

    const send = async ({ method, target, headers, payload, where }: (typeof plan)[number]) => {
      let response: Response;
      try {
        response = await fetch(target, { method, headers, ...(payload.text !== undefined ? { body: payload.text } : {}), signal: AbortSignal.timeout(10_000) });
      } catch (error) {
        throw new Error(`no answer (${String(error)}): ${where}`, { cause: error });
      }
      const text = await response.text();
      expect(response.status, where).toBeLessThan(500);
      if (method !== 'GET' && method !== 'OPTIONS') expect(response.status, `a hostile write succeeded: ${where}`).toBeGreaterThanOrEqual(400);
      if (response.status >= 400) {
        const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; retryable?: unknown } };
        expect(ERROR_CODES.has(String(parsed.error?.code)), `untyped error ${text.slice(0, 200)}: ${where}`).toBe(true);
        expect(typeof parsed.error?.message, where).toBe('string');
        expect(typeof parsed.error?.retryable, where).toBe('boolean');
      }
    };

    let issued = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (issued < plan.length) {
          const request = plan[issued] as (typeof plan)[number];
          issued += 1;
          await send(request);
        }
      }),
    );

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await server.api(alice, 'GET', '/api/auth/me')).status).toBe(200);
    expect(await snapshotStore(server.node.store, server.node.config.databaseSchema), replay).toEqual(before);
    expect(prototypeFingerprint(), replay).toBe(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted, replay).toBeUndefined();
  });
});

/** Waits until `count` error frames arrived on the socket (since it opened). */
async function waitForErrors(socket: TestSocket, count: number, replay: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (socket.received('error').length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} errors before hello, got ${socket.received('error').length} — ${replay}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  for (const frame of socket.received('error')) expect(['bad_frame', 'unknown_type'], replay).toContain(frame.error.code);
}

function sendRaw(socket: TestSocket, frame: string | Buffer): void {
  if (Buffer.isBuffer(frame)) socket.ws.send(frame, { binary: true });
  else socket.send(frame);
}
