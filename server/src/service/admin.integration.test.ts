import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, type OfflineMessagesResponse, type ServiceAgentsResponse, type ServiceReport, type Site } from '@switchboard/protocol';
import { serviceKit } from '../test/serviceKit.js';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../test/testServer.js';

describe.each(TEST_STORES)('customer-service admin API on %s', (store) => {
  let server: TestServer;
  let kit: ReturnType<typeof serviceKit>;
  let admin: TestUser;

  beforeAll(async () => {
    server = await startTestServer(store, { SWITCHBOARD_SERVICE_SWEEP_MS: '50', SWITCHBOARD_VISITOR_GRACE_MS: '100' });
    kit = serviceKit(server);
    admin = await server.createUser(['admin']);
  });
  afterAll(() => server.stop());

  it('only admins with admin.service reach it; writes need an allowed Origin with the cookie', async () => {
    const agent = await server.createUser(['agent']);
    const employee = await server.createUser(['employee']);
    for (const user of [agent, employee]) {
      expect((await server.api(user, 'GET', '/api/admin/service/settings')).status).toBe(403);
      expect((await server.api(user, 'PATCH', '/api/admin/service/settings', { routingRule: 'random' })).status).toBe(403);
    }
    expect((await server.api(undefined, 'GET', '/api/admin/service/sites')).status).toBe(401);
    const forged = await fetch(`${server.url}/api/admin/service/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie: `sb_session=${admin.token}`, origin: 'https://evil.example' },
      body: JSON.stringify({ routingRule: 'random' }),
    });
    expect(forged.status).toBe(403);
  });

  it('first start: round_robin, 60 s reply timeout, the demo site and a General department', async () => {
    expect((await server.api(admin, 'GET', '/api/admin/service/settings')).body).toEqual({ settings: { routingRule: 'round_robin', replyTimeoutSeconds: 60 } });
    const sites = await server.api<{ sites: Site[] }>(admin, 'GET', '/api/admin/service/sites');
    expect(sites.body.sites).toContainEqual(expect.objectContaining({ siteKey: 'demo', allowedOrigins: ['self'] }));
    const departments = await server.api<{ departments: { name: string }[] }>(admin, 'GET', '/api/admin/service/departments');
    expect(departments.body.departments.map((department) => department.name)).toContain('General');
  });

  it('settings: the routing rule and reply timeout, validated', async () => {
    expect((await server.api(admin, 'PATCH', '/api/admin/service/settings', { routingRule: 'fastest' })).status).toBe(400);
    expect((await server.api(admin, 'PATCH', '/api/admin/service/settings', { replyTimeoutSeconds: -1 })).status).toBe(400);
    const changed = await server.api(admin, 'PATCH', '/api/admin/service/settings', { routingRule: 'least_busy', replyTimeoutSeconds: 90 });
    expect(changed.body).toEqual({ settings: { routingRule: 'least_busy', replyTimeoutSeconds: 90 } });
    await server.api(admin, 'PATCH', '/api/admin/service/settings', { routingRule: 'round_robin', replyTimeoutSeconds: 0 });
    const audit = await server.api<{ entries: { action: string }[] }>(admin, 'GET', '/api/admin/audit');
    expect(audit.body.entries.map((entry) => entry.action)).toContain('service.settings');
  });

  it('departments CRUD and agents: priority, capacity, departments', async () => {
    const created = await server.api<{ department: { id: string; name: string } }>(admin, 'POST', '/api/admin/service/departments', { name: 'Returns' });
    expect(created.status).toBe(201);
    expect((await server.api(admin, 'POST', '/api/admin/service/departments', { name: 'Returns' })).status).toBe(409);
    const id = created.body.department.id;
    expect((await server.api(admin, 'PATCH', `/api/admin/service/departments/${id}`, { name: 'Returns & Refunds' })).body).toEqual({ department: { id, name: 'Returns & Refunds' } });

    const agent = await server.createUser(['agent']);
    const employee = await server.createUser(['employee']);
    const listed = await server.api<ServiceAgentsResponse>(admin, 'GET', '/api/admin/service/agents');
    expect(listed.body.agents.find((entry) => entry.userId === agent.id)).toMatchObject({ dutyStatus: 'off', priority: 0, maxChats: 5, activeChats: 0, departmentIds: [] });
    expect(listed.body.agents.some((entry) => entry.userId === employee.id)).toBe(false);

    const updated = await server.api<{ agent: unknown }>(admin, 'PATCH', `/api/admin/service/agents/${agent.id}`, { priority: 7, maxChats: 2, departmentIds: [id] });
    expect(updated.body.agent).toMatchObject({ userId: agent.id, priority: 7, maxChats: 2, departmentIds: [id] });
    expect((await server.api(admin, 'PATCH', `/api/admin/service/agents/${agent.id}`, { departmentIds: [crypto.randomUUID()] })).status).toBe(404);
    expect((await server.api(admin, 'PATCH', `/api/admin/service/agents/${employee.id}`, { priority: 1 })).status).toBe(404);
    expect((await server.api(admin, 'PATCH', `/api/admin/service/agents/${agent.id}`, { maxChats: 1000 })).status).toBe(400);

    // Agents see departments and colleagues.
    const forAgents = await server.api<{ departments: { id: string }[] }>(agent, 'GET', '/api/service/departments');
    expect(forAgents.body.departments.map((department) => department.id)).toContain(id);
    const colleagues = await server.api<ServiceAgentsResponse>(agent, 'GET', '/api/service/agents');
    expect(colleagues.body.agents.find((entry) => entry.userId === agent.id)?.departmentIds).toEqual([id]);

    expect((await server.api(admin, 'DELETE', `/api/admin/service/departments/${id}`)).status).toBe(204);
    expect((await server.api(admin, 'DELETE', `/api/admin/service/departments/${id}`)).status).toBe(404);
    const after = await server.api<ServiceAgentsResponse>(admin, 'GET', '/api/admin/service/agents');
    expect(after.body.agents.find((entry) => entry.userId === agent.id)?.departmentIds).toEqual([]);
  });

  it('sites: create, validate, change the widget and its pre-chat form, delete', async () => {
    const bad = await server.api<{ error: { issues: { path: string }[] } }>(admin, 'POST', '/api/admin/service/sites', { name: 'Bad', allowedOrigins: ['https://ok.example', 'https://x.example/path', '*'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((issue) => issue.path).sort()).toEqual(['allowedOrigins.1', 'allowedOrigins.2']);
    const created = await server.api<{ site: Site }>(admin, 'POST', '/api/admin/service/sites', { name: 'Store', siteKey: 'store', allowedOrigins: ['self', 'https://store.example'] });
    expect(created.status).toBe(201);
    expect(created.body.site).toMatchObject({ siteKey: 'store', color: expect.stringMatching(/^#/), preChatEnabled: false });
    expect((await server.api(admin, 'POST', '/api/admin/service/sites', { name: 'Again', siteKey: 'store', allowedOrigins: [] })).status).toBe(409);

    const fields = [
      { key: 'name', label: 'Your name', kind: 'text', required: true },
      { key: 'order', label: 'Order number', kind: 'text', required: true },
    ];
    const patched = await server.api<{ site: Site }>(admin, 'PATCH', `/api/admin/service/sites/${created.body.site.id}`, { greeting: 'Welcome to Store', color: '#112233', preChatEnabled: true, preChatFields: fields });
    expect(patched.body.site).toMatchObject({ greeting: 'Welcome to Store', color: '#112233', preChatEnabled: true });
    const config = await fetch(`${server.url}/api/visitor/sites/store/config`, { headers: { origin: 'https://store.example' } });
    expect(((await config.json()) as { config: unknown }).config).toMatchObject({ greeting: 'Welcome to Store', color: '#112233', preChatEnabled: true, preChatFields: fields });

    // The pre-chat form is enforced.
    const agent = await kit.agent();
    const visitor = await server.visitor({ siteKey: 'store', origin: 'https://store.example' });
    const missing = await visitor.request({ type: 'v.start', fields: { order: '' } });
    expect(missing).toMatchObject({ type: 'v.error', error: { code: 'bad_request' } });
    expect(missing.type === 'v.error' ? missing.error.issues?.map((issue) => issue.path).sort() : []).toEqual(['fields.order', 'name']);
    expect(await visitor.request({ type: 'v.start', name: 'Pat', fields: { order: 'A-77', junk: 'ignored' } })).toMatchObject({ type: 'v.ok' });
    const chat = await kit.assignedTo(agent, 'Pat');
    expect(chat.chat.visitor.fields).toEqual({ order: 'A-77' });
    expect(chat.chat.siteId).toBe(created.body.site.id);
    await kit.reset();

    expect((await server.api(admin, 'PATCH', `/api/admin/service/sites/${created.body.site.id}`, { siteKey: 'demo' })).status).toBe(409);
    expect((await server.api(admin, 'PATCH', `/api/admin/service/sites/${created.body.site.id}`, { siteKey: 'store-2' })).body).toMatchObject({ site: { siteKey: 'store-2' } });
    expect((await fetch(`${server.url}/api/visitor/sites/store/config`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/visitor/sites/store-2/config`)).status).toBe(200);
    expect((await server.api(admin, 'DELETE', `/api/admin/service/sites/${created.body.site.id}`)).status).toBe(204);
    expect((await fetch(`${server.url}/api/visitor/sites/store-2/config`)).status).toBe(404);
  });

  it('offline messages inbox: list, mark handled', async () => {
    const visitor = await server.visitor();
    await visitor.request({ type: 'v.offline', name: 'Ina', email: 'ina@example.com', message: 'Call me about my order' });
    const open = await server.api<OfflineMessagesResponse>(admin, 'GET', '/api/admin/service/offline');
    const mine = open.body.messages.find((message) => message.email === 'ina@example.com');
    expect(mine).toMatchObject({ name: 'Ina', message: 'Call me about my order', handledAt: null, pageUrl: 'https://shop.example/pricing' });
    const handled = await server.api<{ message: { handledAt: number | null; handledBy: string | null } }>(admin, 'PATCH', `/api/admin/service/offline/${mine?.id}`, { handled: true });
    expect(handled.body.message).toMatchObject({ handledBy: admin.id });
    expect(handled.body.message.handledAt).not.toBeNull();
    const stillOpen = await server.api<OfflineMessagesResponse>(admin, 'GET', '/api/admin/service/offline?status=open');
    expect(stillOpen.body.messages.some((message) => message.id === mine?.id)).toBe(false);
    const done = await server.api<OfflineMessagesResponse>(admin, 'GET', '/api/admin/service/offline?status=handled');
    expect(done.body.messages.some((message) => message.id === mine?.id)).toBe(true);
    expect((await server.api(admin, 'PATCH', `/api/admin/service/offline/${crypto.randomUUID()}`, { handled: true })).status).toBe(404);
  });

  it('reports: chats per day, first response, wait, missed and offline, per agent', async () => {
    await kit.reset();
    const before = (await server.api<{ report: ServiceReport }>(admin, 'GET', '/api/admin/service/reports')).body.report;
    const agent = await kit.agent({ maxChats: 1 });
    const served = await kit.visitorChat('Served');
    const chatId = (await kit.assignedTo(agent, 'Served')).chat.id;
    agent.socket.send({ type: 'visitor.send', ref: 'r', chatId, clientId: newClientId(), body: 'Hello!' });
    await agent.socket.next('visitor.ack', (frame) => frame.ref === 'r');
    const missed = await kit.visitorChat('Gave up');
    expect(missed.chat.status).toBe('queued');
    await missed.visitor.request({ type: 'v.close' });
    await served.visitor.request({ type: 'v.offline', name: 'Off', email: 'off@example.com', message: 'later' });

    const report = (await server.api<{ report: ServiceReport }>(admin, 'GET', '/api/admin/service/reports')).body.report;
    expect(report.days).toHaveLength(7);
    expect(report.to).toBe(new Date().toISOString().slice(0, 10));
    expect(report.totals.chats - before.totals.chats).toBe(2);
    expect(report.totals.missed - before.totals.missed).toBe(1);
    expect(report.totals.offlineMessages - before.totals.offlineMessages).toBe(1);
    expect(report.totals.avgWaitMs).not.toBeNull();
    expect(report.totals.avgFirstResponseMs).not.toBeNull();
    expect(report.days.reduce((sum, day) => sum + day.chats, 0)).toBe(report.totals.chats);
    expect(report.agents.find((entry) => entry.agentId === agent.user.id)).toMatchObject({ chats: 1, displayName: `User ${agent.user.username}` });
    expect((await server.api(admin, 'GET', '/api/admin/service/reports?from=2026-02-01&to=2026-01-01')).status).toBe(400);
    expect((await server.api(admin, 'GET', '/api/admin/service/reports?from=2020-01-01&to=2026-01-01')).status).toBe(400);
    const ranged = await server.api<{ report: ServiceReport }>(admin, 'GET', '/api/admin/service/reports?from=2026-01-01&to=2026-01-03&tzOffsetMinutes=480');
    expect(ranged.body.report.days.map((day) => day.day)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
  });
});
