import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@switchboard/protocol';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../test/testServer.js';

describe.each(TEST_STORES)('accounts and sessions on %s', (store) => {
  let server: TestServer;
  let admin: TestUser;

  beforeAll(async () => {
    server = await startTestServer(store);
    admin = await server.createUser(['admin']);
  });
  afterAll(() => server.stop());

  it('returns the permissions with the login answer and sets a hardened cookie', async () => {
    const agent = await server.createUser(['agent']);
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: agent.username, password: agent.password }),
    });
    const body = (await response.json()) as LoginResponse;
    expect(body.permissions).toEqual(['im.chat', 'cs.agent']);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/sb_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(body.token).not.toBe(agent.token); // every login is a new session id
  });

  it('stores argon2id hashes with at least OWASP parameters', async () => {
    const user = await server.node.im.repos.users.findById(admin.id);
    expect(user?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/);
    const [, m, t] = /m=(\d+),t=(\d+)/.exec(user?.passwordHash ?? '') ?? [];
    expect(Number(m)).toBeGreaterThanOrEqual(19456);
    expect(Number(t)).toBeGreaterThanOrEqual(2);
  });

  it('rejects a wrong password and locks the account after repeated failures', async () => {
    const victim = await server.createUser();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await server.api(undefined, 'POST', '/api/auth/login', { username: victim.username, password: 'wrong-password' });
      expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });
    }
    const locked = await server.api(undefined, 'POST', '/api/auth/login', { username: victim.username, password: victim.password });
    expect(locked).toMatchObject({ status: 429, body: { error: { code: 'account_locked' } } });
  });

  it('logout ends the session for HTTP and WebSocket', async () => {
    const user = await server.createUser();
    const socket = await server.connect(user);
    expect((await server.api(user, 'POST', '/api/auth/logout')).status).toBe(204);
    expect(await socket.whenClosed()).toBe(4002);
    expect((await server.api(user, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('disabling a user ends their sessions at once', async () => {
    const user = await server.createUser();
    const socket = await server.connect(user);
    const update = await server.api(admin, 'PATCH', `/api/admin/users/${user.id}`, { disabled: true });
    expect(update.status).toBe(200);
    expect(socket.received('session.ended').length + (await socket.whenClosed() === 4002 ? 1 : 0)).toBeGreaterThan(0);
    expect((await server.api(user, 'GET', '/api/auth/me')).status).toBe(401);
    const relogin = await server.api(undefined, 'POST', '/api/auth/login', { username: user.username, password: user.password });
    expect(relogin.status).toBe(401);
  });

  it('a password change ends every other session', async () => {
    const user = await server.createUser();
    const other = await server.api<LoginResponse>(undefined, 'POST', '/api/auth/login', { username: user.username, password: user.password });
    const changed = await server.api(user, 'POST', '/api/auth/password', { currentPassword: user.password, newPassword: 'a-brand-new-password' });
    expect(changed.status).toBe(204);
    expect((await server.api({ ...user, token: other.body.token }, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await server.api(user, 'GET', '/api/auth/me')).status).toBe(200);
  });

  it('only admins reach the admin API, and every admin action is audited', async () => {
    const employee = await server.createUser();
    expect((await server.api(employee, 'GET', '/api/admin/users')).status).toBe(403);
    const created = await server.api<{ user: { id: string; roles: string[] } }>(admin, 'POST', '/api/admin/users', {
      username: 'new.agent',
      displayName: 'New Agent',
      password: 'a-long-enough-password',
      roles: ['agent'],
    });
    expect(created.status).toBe(201);
    expect(created.body.user.roles).toEqual(['agent']);
    const duplicate = await server.api(admin, 'POST', '/api/admin/users', { username: 'new.agent', displayName: 'Again', password: 'a-long-enough-password', roles: ['agent'] });
    expect(duplicate).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    const invalid = await server.api<{ error: { issues: { path: string }[] } }>(admin, 'POST', '/api/admin/users', { username: 'x', displayName: '', password: 'short', roles: [] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues.map((issue) => issue.path).sort()).toEqual(['displayName', 'password', 'roles', 'username']);
    const audit = await server.api<{ entries: { action: string; target: string }[] }>(admin, 'GET', '/api/admin/audit');
    expect(audit.body.entries).toContainEqual(expect.objectContaining({ action: 'user.created', target: 'new.agent' }));
    expect(audit.body.entries.some((entry) => entry.action === 'login')).toBe(true);
  });

  it('refuses a cookie-authenticated write from a foreign Origin (CSRF)', async () => {
    const user = await server.createUser();
    const response = await fetch(`${server.url}/api/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `sb_session=${user.token}`, origin: 'https://evil.example' },
      body: JSON.stringify({ kind: 'group', title: 'pwned', memberIds: [] }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('csrf');
  });
});
