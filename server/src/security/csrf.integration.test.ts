import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSocket } from '../test/testSocket.js';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../test/testServer.js';
import { fillPath, routeTable, snapshotStore, type Route } from './kit.js';

/**
 * Routes meant for pages on other sites (the visitor widget): no cookie is read there, so there
 * is no ambient authority for a forged request to borrow. The test proves that instead.
 */
const COOKIELESS_PREFIXES = ['/api/visitor/'];
const isWrite = (route: Route) => !['GET', 'HEAD', 'OPTIONS'].includes(route.method);

describe.each(TEST_STORES)('cross-site request forgery and WebSocket hijacking on %s', (store) => {
  let server: TestServer;
  let boss: TestUser;
  let writes: Route[];
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer(store);
    // Every permission there is, so a route missing its CSRF guard cannot hide behind a 403 forbidden.
    boss = await server.createUser(['admin', 'agent']);
    origin = server.url;
    writes = routeTable(server.node.http).filter((route) => route.path.startsWith('/api/') && isWrite(route));
  });
  afterAll(() => server.stop());

  const foreignOrigins = () => [
    'https://evil.example',
    'null',
    `${origin}.evil.example`,
    `${origin.replace('127.0.0.1', 'localhost')}`,
    `http://evil.example#${origin.replace('http://', '')}`,
    origin.replace('http://', 'http://evil.example@'),
    origin.replace('http:', 'https:').replace(/:\d+$/, ''),
  ];

  it('finds the write routes to check (the table is read from Fastify, so new routes are covered)', () => {
    const names = writes.map((route) => `${route.method} ${route.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'POST /api/auth/logout',
        'POST /api/auth/password',
        'POST /api/conversations',
        'PATCH /api/conversations/:id',
        'POST /api/conversations/:id/members',
        'DELETE /api/conversations/:id/members/:userId',
        'POST /api/admin/users',
        'PATCH /api/admin/users/:id',
      ]),
    );
  });

  it('every cookie-authenticated write route refuses a foreign, a missing and a look-alike Origin with 403 csrf, and nothing changes', async () => {
    const before = await snapshotStore(server.node.store, server.node.config.databaseSchema);
    for (const route of writes.filter((candidate) => !COOKIELESS_PREFIXES.some((prefix) => candidate.path.startsWith(prefix)))) {
      const path = fillPath(route.path, {}, crypto.randomUUID());
      for (const foreign of [...foreignOrigins(), undefined]) {
        const response = await fetch(`${server.url}${path}`, {
          method: route.method,
          headers: { cookie: `sb_session=${boss.token}`, 'content-type': 'application/json', ...(foreign !== undefined ? { origin: foreign } : {}) },
          body: JSON.stringify({ username: boss.username, password: boss.password, title: 'pwned', kind: 'group', memberIds: [] }),
        });
        const body = (await response.json()) as { error?: { code: string } };
        expect([response.status, body.error?.code], `${route.method} ${route.path} from ${foreign ?? '(no Origin)'}`).toEqual([403, 'csrf']);
      }
    }
    expect(await snapshotStore(server.node.store, server.node.config.databaseSchema)).toEqual(before);
    // The cookie itself is still good: the refusal was about where the request came from.
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: `sb_session=${boss.token}` } })).status).toBe(200);
  });

  it('the same writes from the page\'s own origin pass the CSRF guard (it is not a blanket refusal)', async () => {
    for (const route of writes.filter((candidate) => !COOKIELESS_PREFIXES.some((prefix) => candidate.path.startsWith(prefix)))) {
      if (route.path === '/api/auth/logout') continue; // would end the session the rest of the suite uses; see the logout check below
      const path = fillPath(route.path, {}, 'not-a-uuid');
      const response = await fetch(`${server.url}${path}`, {
        method: route.method,
        headers: { cookie: `sb_session=${boss.token}`, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ __csrf_probe__: true }),
      });
      const body = (await response.json()) as { error?: { code: string } };
      expect(body.error?.code, `${route.method} ${route.path}`).not.toBe('csrf');
      expect(response.status, `${route.method} ${route.path}`).toBeGreaterThanOrEqual(400);
    }
    const throwaway = await server.api<{ token: string }>(undefined, 'POST', '/api/auth/login', { username: boss.username, password: boss.password });
    const logout = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: `sb_session=${throwaway.body.token}`, origin } });
    expect(logout.status).toBe(204);
  });

  it('routes for other sites read no cookie: a cookie on a forged request changes nothing about the answer', async () => {
    const cookieless = writes.filter((route) => COOKIELESS_PREFIXES.some((prefix) => route.path.startsWith(prefix)));
    for (const route of cookieless) {
      const ask = (withCookie: boolean) =>
        fetch(`${server.url}${fillPath(route.path, {}, 'x')}`, {
          method: route.method,
          headers: { 'content-type': 'application/json', origin: 'https://evil.example', ...(withCookie ? { cookie: `sb_session=${boss.token}` } : {}) },
          body: JSON.stringify({ siteKey: 'nope', token: 'x'.repeat(43) }),
        }).then(async (response) => ({ status: response.status, body: await response.text() }));
      expect(await ask(true), `${route.method} ${route.path}`).toEqual(await ask(false));
    }
  });

  it('a cookie-authenticated WebSocket upgrade from any foreign or look-alike Origin is refused (cross-site WebSocket hijacking)', async () => {
    const cookie = `sb_session=${boss.token}`;
    for (const foreign of foreignOrigins()) {
      await expect(TestSocket.open(server.wsUrl, { cookie, origin: foreign }), foreign).rejects.toThrow(/403/);
    }
    await expect(TestSocket.open(server.wsUrl, { cookie })).rejects.toThrow(/403/);
    const own = await TestSocket.open(server.wsUrl, { cookie, origin });
    expect((await own.hello()).user.id).toBe(boss.id);
    await own.close();
  });

  it('a login form on another site cannot log the browser in (login CSRF)', async () => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ username: boss.username, password: boss.password }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('answers carry no CORS grant for other origins, so a foreign page cannot read them', async () => {
    const read = await fetch(`${server.url}/api/auth/me`, { headers: { cookie: `sb_session=${boss.token}`, origin: 'https://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    expect(read.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await fetch(`${server.url}/api/conversations`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
