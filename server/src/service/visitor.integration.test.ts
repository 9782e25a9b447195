import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, newClientId, VISITOR_PROTOCOL_VERSION, type ChatHistoryResponse } from '@switchboard/protocol';
import { serviceKit } from '../test/serviceKit.js';
import { startTestServer, TEST_STORES, type TestServer } from '../test/testServer.js';
import { TestVisitor } from '../test/testVisitor.js';
import { until } from '../test/until.js';
import { queuedChat } from './store/chats.js';
import type { ServiceDatabase } from './store/schema.js';
import type { Trx } from './store/writes.js';
import { visitorTokenHash } from './visitorSessions.js';

describe.each(TEST_STORES)('visitors on %s', (store) => {
  let server: TestServer;
  let kit: ReturnType<typeof serviceKit>;

  beforeAll(async () => {
    server = await startTestServer(store, {
      SWITCHBOARD_VISITOR_GRACE_MS: '300',
      SWITCHBOARD_SERVICE_SWEEP_MS: '50',
      SWITCHBOARD_VISITOR_HEARTBEAT_MS: '150',
      SWITCHBOARD_CHAT_ABANDON_MS: '1500',
    });
    kit = serviceKit(server);
  });
  afterEach(() => kit.reset());
  afterAll(() => server.stop());

  it('a reload (new socket, same token) and a second tab keep the same chat and its history', async () => {
    const agent = await kit.agent();
    const { visitor, chat } = await kit.visitorChat('Reloader', { message: 'question one' });
    const assigned = await kit.assignedTo(agent, 'Reloader');
    agent.socket.send({ type: 'visitor.send', ref: 'r', chatId: assigned.chat.id, clientId: newClientId(), body: 'answer one' });
    agent.socket.send({ type: 'visitor.note', ref: 'n', chatId: assigned.chat.id, clientId: newClientId(), body: 'secret note' });
    await agent.socket.next('visitor.ack', (frame) => frame.ref === 'n');
    const token = visitor.token ?? '';
    await visitor.close();

    const reloaded = await server.visitor({ token });
    const welcome = reloaded.received('v.welcome')[0];
    expect(welcome?.token).toBe(token);
    expect(welcome?.chat).toMatchObject({ id: chat.id, status: 'assigned', agentName: `User ${agent.user.username}`, closed: false });
    expect(welcome?.messages.map((message) => message.body)).toEqual(expect.arrayContaining(['question one', 'answer one']));
    expect(welcome?.messages.some((message) => message.body === 'secret note' || message.author === 'note')).toBe(false);
    expect(welcome?.messages.every((message) => message.agentId === null)).toBe(true);

    const secondTab = await server.visitor({ token });
    agent.socket.send({ type: 'visitor.send', ref: 'both', chatId: chat.id, clientId: newClientId(), body: 'to both tabs' });
    await reloaded.waitFor('v.message', (frame) => frame.message.body === 'to both tabs');
    await secondTab.waitFor('v.message', (frame) => frame.message.body === 'to both tabs');
    // The visitor never counted as gone.
    expect((await kit.service.repos.visitors.find(assigned.chat.visitor.id))?.online).toBe(true);
  });

  it('two tabs starting a chat at the same moment get the same one', async () => {
    await kit.agent();
    const first = await server.visitor();
    const second = await server.visitor({ token: first.token ?? '' });
    const answers = await Promise.all([first, second].map((tab) => tab.request({ type: 'v.start', name: 'Twin', message: 'hi' })));
    // Any error answer whole, so a failure shows its code and message.
    expect(answers.filter((answer) => answer.type !== 'v.ok')).toEqual([]);
    const ids = [first, second].map((tab) => tab.received('v.chat').at(-1)?.chat.id);
    expect(ids[0]).toBeDefined();
    expect(ids[1]).toBe(ids[0]);
  });

  // PostgreSQL only: the test holds a transaction open, which SQLite's one writer cannot serve.
  it.skipIf(store !== 'postgres')('a start racing the unit that stores another tab\'s chat ends in that chat, without a deadlock', async () => {
    await kit.agent();
    const tab = await server.visitor();
    const visitor = await kit.service.repos.visitors.findByTokenHash(visitorTokenHash(tab.token ?? ''));
    if (!visitor) throw new Error('the tab said hello without a visitor row');
    const db = server.node.store.db as unknown as Kysely<ServiceDatabase>;
    const other = queuedChat({ id: randomUUID(), siteId: visitor.siteId, visitorId: visitor.id, departmentId: null }, Date.now());
    await db.connection().execute(async (otherTab) => {
      // The other tab's unit has stored its chat and, as a start that seats its chat does, will
      // update the visitor's row next. A deadlock is found at once and fails the test.
      await sql`begin`.execute(otherTab);
      await sql`set local deadlock_timeout = '10ms'`.execute(otherTab);
      const [{ pid } = { pid: 0 }] = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(otherTab)).rows;
      await kit.service.repos.chats.createIn(otherTab as unknown as Trx, other, Date.now());
      const starting = kit.service.visitors.start(visitor.id, { name: 'Twin' });
      await until(async () => {
        const blocked = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))`.execute(db);
        return (blocked.rows[0]?.n ?? 0) > 0;
      }, 'the start waiting on the other tab');
      await sql`update cs_visitors set last_agent_id = last_agent_id where id = ${visitor.id}`.execute(otherTab);
      await sql`commit`.execute(otherTab);
      expect(await starting).toMatchObject({ chat: { id: other.id }, created: false });
    });
  });

  it('a new conversation only after the old one was closed; the agent sees who ended it', async () => {
    const agent = await kit.agent();
    const { visitor, chat } = await kit.visitorChat('Closer');
    await kit.assignedTo(agent, 'Closer');
    // System lines say what happened as a code with params (localized by each client) and in English.
    const joined = await visitor.waitFor('v.message', (frame) => frame.message.author === 'system' && frame.message.event?.code === 'agent_joined');
    expect(joined.message).toMatchObject({ body: `User ${agent.user.username} joined the chat.`, event: { code: 'agent_joined', params: { agent: `User ${agent.user.username}` } } });
    // Starting again while a chat is open returns the open chat.
    const again = visitor.next('v.chat');
    await visitor.request({ type: 'v.start', name: 'Closer' });
    expect((await again).chat.id).toBe(chat.id);

    expect(await visitor.request({ type: 'v.close' })).toMatchObject({ type: 'v.ok' });
    const closed = await agent.socket.waitFor('visitor.chat', (frame) => frame.chat.id === chat.id && frame.chat.status === 'closed');
    expect(closed.chat).toMatchObject({ closedBy: 'visitor', assigneeId: agent.user.id });
    const ended = await agent.socket.waitFor('visitor.message', (frame) => frame.message.chatId === chat.id && frame.message.author === 'system' && frame.message.event?.code !== 'agent_joined');
    expect(ended.message).toMatchObject({ body: 'The visitor ended the chat.', event: { code: 'chat_closed_by_visitor', params: {} } });
    expect((await kit.service.repos.agents.find(agent.user.id))?.activeChats).toBe(0);
    // Stored with the line: the history (and a reload of the widget) has the same events.
    const history = await server.api<ChatHistoryResponse>(agent.user, 'GET', `/api/service/chats/${chat.id}/messages`);
    expect(history.body.messages.filter((message) => message.author === 'system').map((message) => message.event)).toEqual([
      { code: 'agent_joined', params: { agent: `User ${agent.user.username}` } },
      { code: 'chat_closed_by_visitor', params: {} },
    ]);
    expect(history.body.messages.find((message) => message.author === 'visitor')?.event).toBeUndefined();

    const reloaded = await server.visitor({ token: visitor.token ?? '' });
    expect(reloaded.received('v.welcome')[0]?.chat).toBeNull();
    const next = reloaded.next('v.chat');
    await reloaded.request({ type: 'v.start', name: 'Closer', message: 'one more thing' });
    expect((await next).chat.id).not.toBe(chat.id);
  });

  it('a visitor token reaches only its own chat: wrong, empty or another site\'s token gets nothing', async () => {
    await kit.agent();
    const { visitor, chat } = await kit.visitorChat('Owner', { message: 'my private order 4711' });
    const ownerToken = visitor.token ?? '';

    const guesses = [undefined, 'A'.repeat(43), `${ownerToken.slice(0, -1)}${ownerToken.endsWith('A') ? 'B' : 'A'}`];
    for (const token of guesses) {
      const stranger = await server.visitor(token ? { token } : {});
      const welcome = stranger.received('v.welcome')[0];
      expect(welcome?.chat).toBeNull();
      expect(welcome?.messages).toEqual([]);
      expect(welcome?.token).not.toBe(ownerToken);
      expect(JSON.stringify(stranger.frames)).not.toContain('4711');
      expect(await stranger.request({ type: 'v.send', clientId: newClientId(), body: 'let me in' })).toMatchObject({ type: 'v.error', error: { code: 'not_found' } });
      expect(await stranger.request({ type: 'v.close' })).toMatchObject({ type: 'v.error', error: { code: 'not_found' } });
    }
    // A malformed token is a bad frame, nothing more.
    const malformed = await TestVisitor.open(server.url, server.url);
    malformed.send({ type: 'v.hello', ref: 'h', protocol: VISITOR_PROTOCOL_VERSION, siteKey: 'demo', token: 'short', page: { url: 'https://x.example/' } });
    expect((await malformed.next('v.error')).error.code).toBe('bad_frame');
    malformed.terminate();

    // The same token on another site is a stranger there.
    const admin = await server.createUser(['admin']);
    await server.api(admin, 'POST', '/api/admin/service/sites', { name: 'Other', siteKey: 'other-site', allowedOrigins: ['self'] });
    const elsewhere = await server.visitor({ siteKey: 'other-site', token: ownerToken });
    expect(elsewhere.received('v.welcome')[0]?.chat).toBeNull();
    expect(elsewhere.token).not.toBe(ownerToken);

    // The owner still has their chat.
    const owner = await server.visitor({ token: ownerToken });
    expect(owner.received('v.welcome')[0]?.chat?.id).toBe(chat.id);
  });

  it('visitor tokens never appear in agent frames or API answers, and only their hash is stored', async () => {
    const admin = await server.createUser(['admin']);
    const agent = await kit.agent();
    const { visitor, chat } = await kit.visitorChat('Secretive', { email: 'secret@example.com' });
    await kit.assignedTo(agent, 'Secretive');
    const token = visitor.token ?? '';
    const hash = createHash('sha256').update(token).digest('base64url');
    await visitor.request({ type: 'v.send', clientId: newClientId(), body: 'hello' });
    await visitor.request({ type: 'v.close' });
    await agent.socket.waitFor('visitor.chat', (frame) => frame.chat.status === 'closed');

    const visitorId = (await kit.service.repos.chats.find(chat.id))?.visitorId ?? '';
    const answers = await Promise.all([
      server.api(agent.user, 'GET', '/api/service/chats'),
      server.api(agent.user, 'GET', `/api/service/chats/${chat.id}`),
      server.api(agent.user, 'GET', `/api/service/chats/${chat.id}/messages`),
      server.api(agent.user, 'GET', `/api/service/visitors/${visitorId}/chats`),
      server.api(agent.user, 'GET', '/api/service/transcripts?q=secret'),
      server.api(admin, 'GET', '/api/admin/service/agents'),
      server.api(admin, 'GET', '/api/admin/service/offline?status=all'),
    ]);
    for (const answer of answers) expect(answer.status).toBe(200);
    const everything = JSON.stringify([answers, agent.socket.frames]);
    expect(everything).toContain('Secretive');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(hash);

    const row = await (server.node.store.db as unknown as Kysely<ServiceDatabase>)
      .selectFrom('cs_visitors')
      .selectAll()
      .where('id', '=', visitorId)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hash);
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('a page whose Origin is not allowed is refused, at the upgrade and at v.hello', async () => {
    await expect(TestVisitor.open(server.url, 'https://evil.example', '?siteKey=demo')).rejects.toThrow(/403/);
    await expect(TestVisitor.open(server.url, undefined)).rejects.toThrow(/403/);
    const sneaky = await TestVisitor.open(server.url, 'https://evil.example');
    sneaky.send({ type: 'v.hello', ref: 'h', protocol: VISITOR_PROTOCOL_VERSION, siteKey: 'demo', page: { url: 'https://evil.example/' } });
    expect((await sneaky.next('v.error')).error.code).toBe('origin_forbidden');
    expect(await sneaky.whenClosed()).toBe(1008);

    // A site that allows exactly https://shop.example.
    const admin = await server.createUser(['admin']);
    const created = await server.api<{ site: { siteKey: string } }>(admin, 'POST', '/api/admin/service/sites', { name: 'Shop', allowedOrigins: ['https://shop.example'] });
    const siteKey = created.body.site.siteKey;
    const shop = await server.visitor({ siteKey, origin: 'https://shop.example' });
    expect(shop.received('v.welcome')[0]?.config.siteKey).toBe(siteKey);
    const notSelf = await TestVisitor.open(server.url, server.url);
    notSelf.send({ type: 'v.hello', protocol: VISITOR_PROTOCOL_VERSION, siteKey, page: { url: `${server.url}/` } });
    expect((await notSelf.next('v.error')).error.code).toBe('origin_forbidden');

    // The widget config over HTTP: CORS only for an allowed origin.
    const allowed = await fetch(`${server.url}/api/visitor/sites/${siteKey}/config`, { headers: { origin: 'https://shop.example' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(((await allowed.json()) as { config: { name: string } }).config.name).toBe('Shop');
    const foreign = await fetch(`${server.url}/api/visitor/sites/${siteKey}/config`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${server.url}/api/visitor/sites/nope/config`)).status).toBe(404);
    const preflight = await fetch(`${server.url}/api/visitor/offline`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('validates visitor frames at the edge with typed errors', async () => {
    const raw = await TestVisitor.open(server.url, server.url);
    raw.send({ type: 'v.send', ref: 'early', clientId: newClientId(), body: 'hi' });
    expect((await raw.next('v.error')).error.code).toBe('not_ready');
    const welcome = raw.next('v.welcome');
    raw.send({ type: 'v.hello', protocol: VISITOR_PROTOCOL_VERSION, siteKey: 'demo', page: { url: 'https://shop.example/' } });
    await welcome;
    const cases: [unknown, string][] = [
      ['not json', 'bad_frame'],
      [{ type: 'hello' }, 'unknown_type'],
      [{ type: 'v.send', clientId: newClientId(), body: '   ' }, 'bad_frame'],
      [{ type: 'v.send', clientId: '__proto__', body: 'x' }, 'bad_frame'],
      [{ type: 'v.start', email: 'not-an-email' }, 'bad_frame'],
      [{ type: 'v.ping', extra: true }, 'bad_frame'],
    ];
    for (const [frame, code] of cases) {
      raw.send(frame);
      expect((await raw.next('v.error')).error.code, JSON.stringify(frame)).toBe(code);
    }
    raw.send('x'.repeat(LIMITS.maxFrameBytes + 1));
    expect(await raw.whenClosed()).toBe(1009);
  });

  it('a closed page: beacon plus grace period, then the agent sees "visitor left"; coming back within the grace continues the chat', async () => {
    const agent = await kit.agent();
    const { visitor, chat } = await kit.visitorChat('Leaver');
    const assigned = await kit.assignedTo(agent, 'Leaver');
    const token = visitor.token ?? '';
    const visitorId = assigned.chat.visitor.id;

    // Back within the grace period: same chat, never counted as gone.
    const beacon = await fetch(`${server.url}/api/visitor/leave`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', origin: server.url }, body: JSON.stringify({ siteKey: 'demo', token }) });
    expect(beacon.status).toBe(204);
    await visitor.close();
    // The closed socket schedules the departure as well (the periodic presence report may have
    // called off the beacon's): a write the server makes after the close, so it is awaited.
    await until(async () => ((await kit.service.repos.visitors.find(visitorId))?.leaveDueAt ?? null) !== null, 'the departure to be scheduled');
    const back = await server.visitor({ token });
    expect(back.received('v.welcome')[0]?.chat?.id).toBe(chat.id);
    expect(await kit.service.repos.visitors.find(visitorId)).toMatchObject({ online: true, leaveDueAt: null });

    // Gone for good: after the grace period the agent is told.
    await fetch(`${server.url}/api/visitor/leave`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ siteKey: 'demo', token }) });
    await back.close();
    const left = await agent.socket.waitFor('visitor.chat', (frame) => frame.chat.id === chat.id && !frame.chat.visitor.online);
    expect(left.chat.status).toBe('assigned');
    const leftLine = await agent.socket.waitFor('visitor.message', (frame) => frame.message.chatId === chat.id && frame.message.body === 'The visitor left the page.');
    expect(leftLine.message.event).toEqual({ code: 'visitor_left', params: {} });

    // And back later: the open chat continues, the agent sees them online again.
    const later = await server.visitor({ token });
    expect(later.received('v.welcome')[0]?.chat?.id).toBe(chat.id);
    await agent.socket.waitFor('visitor.chat', (frame) => frame.chat.id === chat.id && frame.chat.visitor.online);
    const backLine = await agent.socket.waitFor('visitor.message', (frame) => frame.message.chatId === chat.id && frame.message.event?.code === 'visitor_returned');
    expect(backLine.message.body).toBe('The visitor is back.');

    // Gone for longer than SWITCHBOARD_CHAT_ABANDON_MS: the chat ends and the agent's seat is free.
    await later.close();
    const ended = await agent.socket.waitFor('visitor.chat', (frame) => frame.chat.id === chat.id && frame.chat.status === 'closed', 8000);
    expect(ended.chat.closedBy).toBe('system');
    const closedLine = await agent.socket.waitFor('visitor.message', (frame) => frame.message.chatId === chat.id && frame.message.event?.code === 'chat_closed_abandoned');
    expect(closedLine.message).toMatchObject({ body: 'The chat was closed: the visitor left.', event: { params: {} } });
    expect((await kit.service.repos.agents.find(agent.user.id))?.activeChats).toBe(0);
  });

  it('one tab closing while another stays open does not count as leaving; a dead socket (no pongs) does', async () => {
    const agent = await kit.agent();
    const { visitor, chat } = await kit.visitorChat('TwoTabs');
    await kit.assignedTo(agent, 'TwoTabs');
    const token = visitor.token ?? '';
    const visitorId = (await kit.service.repos.chats.find(chat.id))?.visitorId ?? '';
    const otherTab = await server.visitor({ token });
    await fetch(`${server.url}/api/visitor/leave`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ siteKey: 'demo', token }) });
    await visitor.close();
    // The open tab's node reports the visitor present and calls the departure off.
    await until(async () => (await kit.service.repos.visitors.find(visitorId))?.leaveDueAt === null, 'the departure to be called off');
    expect((await kit.service.repos.visitors.find(visitorId))?.online).toBe(true);

    // The remaining tab stops answering pings (frozen, network gone): dropped, then gone after the grace.
    (otherTab.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await agent.socket.waitFor('visitor.chat', (frame) => frame.chat.id === chat.id && !frame.chat.visitor.online, 8000);
  });

  it('a queued visitor who leaves ends the chat as missed', async () => {
    await kit.agent({ maxChats: 1 });
    await kit.visitorChat('Busy');
    const { visitor, chat } = await kit.visitorChat('Waiting');
    expect(chat.status).toBe('queued');
    await visitor.close();
    await until(async () => (await kit.service.repos.chats.find(chat.id))?.status === 'closed', 'the queued chat to close');
    expect(await kit.service.repos.chats.find(chat.id)).toMatchObject({ closedBy: 'system', firstAssignedAt: null });
  });

  it('the offline form is stored when nobody is on duty, over the socket and over HTTP', async () => {
    const visitor = await server.visitor();
    expect(visitor.received('v.welcome')[0]?.config.online).toBe(false);
    expect(await visitor.request({ type: 'v.offline', name: 'Olga', email: 'olga@example.com', message: 'Please call me' })).toMatchObject({ type: 'v.ok' });
    const http = await fetch(`${server.url}/api/visitor/offline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ siteKey: 'demo', token: visitor.token, name: 'Olga', email: 'olga@example.com', message: 'Second try', page: { url: 'https://shop.example/contact' } }),
    });
    expect(http.status).toBe(201);
    const inbox = await kit.service.offline.list('open', undefined, 50);
    const mine = inbox.messages.filter((message) => message.email === 'olga@example.com');
    expect(mine.map((message) => message.message).sort()).toEqual(['Please call me', 'Second try']);
    expect(mine.every((message) => message.visitorId !== null)).toBe(true);
    const foreign = await fetch(`${server.url}/api/visitor/offline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ siteKey: 'demo', name: 'Eve', email: 'eve@example.com', message: 'spam' }),
    });
    expect(foreign.status).toBe(403);
  });
});

describe.each(TEST_STORES)('visitor rate limits on %s', (store) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(store, { SWITCHBOARD_VISITOR_CHATS_PER_MINUTE: '2', SWITCHBOARD_VISITOR_OFFLINE_PER_MINUTE: '1' });
  });
  afterAll(() => server.stop());

  it('limits chats and offline messages per address', async () => {
    const kit = serviceKit(server);
    await kit.agent();
    await kit.visitorChat('One');
    await kit.visitorChat('Two');
    const third = await server.visitor();
    expect(await third.request({ type: 'v.start', name: 'Three' })).toMatchObject({ type: 'v.error', error: { code: 'rate_limited', retryable: true } });
    expect(await third.request({ type: 'v.offline', name: 'A', email: 'a@example.com', message: 'm' })).toMatchObject({ type: 'v.ok' });
    expect(await third.request({ type: 'v.offline', name: 'A', email: 'a@example.com', message: 'm' })).toMatchObject({ type: 'v.error', error: { code: 'rate_limited' } });
  });
});
