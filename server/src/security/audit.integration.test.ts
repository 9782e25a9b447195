import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse, User } from '@switchboard/protocol';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../test/testServer.js';

interface AuditEntry {
  actorId: string | null;
  action: string;
  target: string | null;
  detail?: unknown;
  ip?: string | null;
  at?: number;
}

describe.each(TEST_STORES)('audit log on %s', (store) => {
  let server: TestServer;
  let admin: TestUser;
  /** Every password and token used in this file; none may ever show up in the audit log. */
  const secrets: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(store);
    admin = await server.createUser(['admin'], 'audit.admin');
    secrets.push(admin.password, admin.token);
  });
  afterAll(() => server.stop());

  const entries = async () => (await server.api<{ entries: AuditEntry[] }>(admin, 'GET', '/api/admin/audit?limit=500')).body.entries;

  it('records logins, failed logins, user creation, updates, disabling, password changes and resets, with actor, target and address', async () => {
    const created = await server.api<{ user: User }>(admin, 'POST', '/api/admin/users', { username: 'audited', displayName: 'Audited', password: 'first-password-123', roles: ['employee'] });
    expect(created.status).toBe(201);
    secrets.push('first-password-123');
    const login = await server.api<LoginResponse>(undefined, 'POST', '/api/auth/login', { username: 'audited', password: 'first-password-123' });
    secrets.push(login.body.token);
    const failed = await server.api(undefined, 'POST', '/api/auth/login', { username: 'audited', password: 'wrong-password-999' });
    expect(failed.status).toBe(401);
    secrets.push('wrong-password-999');
    const user = { id: created.body.user.id, username: 'audited', password: 'first-password-123', token: login.body.token, login: login.body };
    expect((await server.api(user, 'POST', '/api/auth/password', { currentPassword: 'first-password-123', newPassword: 'second-password-456' })).status).toBe(204);
    secrets.push('second-password-456');
    expect((await server.api(admin, 'PATCH', `/api/admin/users/${user.id}`, { displayName: 'Audited Renamed' })).status).toBe(200);
    expect((await server.api(admin, 'PATCH', `/api/admin/users/${user.id}`, { password: 'third-password-789' })).status).toBe(200);
    secrets.push('third-password-789');
    expect((await server.api(admin, 'PATCH', `/api/admin/users/${user.id}`, { disabled: true })).status).toBe(200);

    const log = await entries();
    const about = (action: string) => log.filter((entry) => entry.action === action && entry.target === 'audited');
    expect(about('user.created')).toEqual([expect.objectContaining({ actorId: admin.id })]);
    expect(about('login')).toEqual([expect.objectContaining({ actorId: user.id, ip: expect.stringMatching(/127\.0\.0\.1/) })]);
    expect(about('login.failed')).toEqual([expect.objectContaining({ actorId: user.id, ip: expect.stringMatching(/127\.0\.0\.1/) })]);
    expect(about('password.changed')).toEqual([expect.objectContaining({ actorId: user.id })]);
    const updates = about('user.updated');
    expect(updates).toHaveLength(3);
    expect(updates.every((entry) => entry.actorId === admin.id)).toBe(true);
    const details = updates.map((entry) => (typeof entry.detail === 'string' ? JSON.parse(entry.detail) : entry.detail) as { changed: string[]; passwordReset: boolean });
    expect(details).toEqual(
      expect.arrayContaining([
        { changed: ['displayName'], passwordReset: false },
        { changed: [], passwordReset: true },
        { changed: ['disabled'], passwordReset: false },
      ]),
    );
    // An unknown username is recorded as a failed login too (spraying shows up), but not the name
    // itself: people type their password into the username field.
    await server.api(undefined, 'POST', '/api/auth/login', { username: 'Typed-My-Password-1', password: 'ghost-password-1' });
    secrets.push('ghost-password-1');
    const unknown = (await entries()).filter((entry) => entry.action === 'login.failed' && entry.actorId === null);
    expect(unknown.length).toBeGreaterThan(0);
    expect(JSON.stringify(await entries()).toLowerCase()).not.toContain('typed-my-password-1');
  });

  it('never contains a password or a session token, in the API answer or in the table itself', async () => {
    const viaApi = JSON.stringify(await entries());
    const rows = JSON.stringify(await server.node.store.db.selectFrom('audit_log').selectAll().execute());
    expect(rows.length).toBeGreaterThan(100);
    for (const secret of secrets) {
      expect(viaApi, 'a secret in the audit API').not.toContain(secret);
      expect(rows, 'a secret in audit_log').not.toContain(secret);
    }
    // Nor a password hash.
    expect(rows).not.toMatch(/\$argon2/);
    expect(viaApi).not.toMatch(/\$argon2/);
  });

  it('only admins read it', async () => {
    const employee = await server.createUser();
    secrets.push(employee.password, employee.token);
    const answer = await server.api<{ error: { code: string } }>(employee, 'GET', '/api/admin/audit');
    expect([answer.status, answer.body.error.code]).toEqual([403, 'forbidden']);
    expect((await server.api(undefined, 'GET', '/api/admin/audit')).status).toBe(401);
  });
});
