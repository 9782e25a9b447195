import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@switchboard/protocol';
import { sessionIdFor } from '../im/auth.js';
import { hashPassword, verifyPassword } from '../im/passwords.js';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../test/testServer.js';
import { fuzzSeed, Rng } from './fuzz.js';

/** Near misses of a password: the guesses a real attacker (or a fat finger) makes first. */
function wrongPasswords(rng: Rng, right: string, count: number): string[] {
  const variants = new Set<string>([
    right.toUpperCase(),
    right.slice(0, -1),
    `${right} `,
    ` ${right}`,
    `${right}\n`,
    right + right,
    right.slice(1),
    right.normalize('NFD') === right ? `${right}\u0301` : right.normalize('NFD'),
    `${right.slice(0, 4)}\u200b${right.slice(4)}`,
    right.replace(/./, (char) => String.fromCharCode(char.charCodeAt(0) ^ 1)),
    '',
    'x',
    right.slice(0, 255),
  ]);
  while (variants.size < count) {
    const chars = [...right];
    const position = rng.int(chars.length + 1);
    switch (rng.int(4)) {
      case 0:
        chars.splice(position, 0, String.fromCharCode(32 + rng.int(95)));
        break;
      case 1:
        chars.splice(Math.min(position, chars.length - 1), 1);
        break;
      case 2:
        chars[Math.min(position, chars.length - 1)] = String.fromCharCode(0x20 + rng.int(0x2fff));
        break;
      default:
        chars.reverse();
    }
    variants.add(chars.join(''));
  }
  variants.delete(right);
  return [...variants].slice(0, count);
}

describe.each(TEST_STORES)('accounts and sessions under attack on %s', (store) => {
  let server: TestServer;
  let admin: TestUser;

  beforeAll(async () => {
    server = await startTestServer(store);
    admin = await server.createUser(['admin']);
  });
  afterAll(() => server.stop());

  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) });

  it('property: a wrong password is always refused — near misses against the hash, and over HTTP with the same answer as an unknown user', { timeout: 60_000 }, async () => {
    const seed = fuzzSeed();
    const rng = new Rng(seed);
    const replay = `seed ${seed} (replay: SWITCHBOARD_FUZZ_SEED=${seed})`;
    const right = `Correct-Horse-${rng.int(1e9)}-Battery`;
    const hash = await hashPassword(right);
    expect(await verifyPassword(hash, right)).toBe(true);
    for (const wrong of wrongPasswords(rng, right, 40)) expect(await verifyPassword(hash, wrong), `${JSON.stringify(wrong)} — ${replay}`).toBe(false);
    expect(await verifyPassword('not-a-hash', right)).toBe(false);

    // Over HTTP on a server of its own: the per-address login budget (30 per 15 minutes) is part of the defence.
    const own = await startTestServer(store);
    try {
      const victim = await own.createUser();
      const attempt = (username: string, password: string) =>
        fetch(`${own.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      // Four misses at a time, then the right password (which clears the failure count before the lockout).
      const misses = wrongPasswords(rng, victim.password, 40).filter((miss) => miss.length > 0).slice(0, 12);
      for (let index = 0; index < misses.length; index += 1) {
        const response = await attempt(victim.username, misses[index] as string);
        const body = (await response.json()) as { error: unknown };
        const unknown = await attempt(`nobody-${rng.int(1e9)}`, misses[index] as string);
        expect([response.status, body], `${JSON.stringify(misses[index])} — ${replay}`).toEqual([unknown.status, await unknown.json()]);
        expect(response.status, `${JSON.stringify(misses[index])} — ${replay}`).toBe(401);
        if (index % 4 === 3) expect((await attempt(victim.username, victim.password)).status).toBe(200);
      }
    } finally {
      await own.stop();
    }
  });

  it('a login issues a new session and ends the one the browser came with (rotation), whoever it belonged to', async () => {
    const user = await server.createUser();
    const other = await server.createUser();
    const oldSocket = await server.connect(user);
    const again = await login(user.username, user.password, { cookie: `sb_session=${user.token}`, origin: server.url });
    const fresh = ((await again.json()) as LoginResponse).token;
    expect(fresh).not.toBe(user.token);
    expect(again.headers.get('set-cookie')).toContain(`sb_session=${fresh}`);
    expect((await server.api(user, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await server.api({ ...user, token: fresh }, 'GET', '/api/auth/me')).status).toBe(200);
    expect(await oldSocket.whenClosed()).toBe(4002);

    // A shared computer: the next person's login ends the previous person's session too.
    const switched = await login(other.username, other.password, { cookie: `sb_session=${fresh}`, origin: server.url });
    expect(switched.status).toBe(200);
    expect((await server.api({ ...user, token: fresh }, 'GET', '/api/auth/me')).status).toBe(401);
    // A planted or stale cookie is harmless: the login still works and issues its own id.
    const planted = await login(user.username, user.password, { cookie: 'sb_session=attacker-chosen-session-id', origin: server.url });
    expect(planted.status).toBe(200);
    expect(((await planted.json()) as LoginResponse).token).not.toBe('attacker-chosen-session-id');
  });

  it('session tokens are 256 random bits and only their hash is stored', async () => {
    const user = await server.createUser();
    expect(user.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await server.node.store.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).execute();
    expect(rows.map((row) => row.id)).toEqual([sessionIdFor(user.token)]);
    const everything = JSON.stringify(await server.node.store.db.selectFrom('sessions').selectAll().execute());
    expect(everything).not.toContain(user.token);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, expiring with the session, not Secure over plain http; logout clears it', async () => {
    const user = await server.createUser();
    const response = await login(user.username, user.password);
    const body = (await response.json()) as LoginResponse;
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sb_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
    expect(cookie).not.toMatch(/;\s*Domain=/i);
    const expires = /Expires=([^;]+)/i.exec(cookie)?.[1];
    expect(Math.abs(new Date(expires ?? 0).getTime() - body.expiresAt)).toBeLessThan(2000);
    // X-Forwarded-Proto is not trusted (trustProxy is off): a client cannot talk the server into anything by it.
    const spoofed = await login(user.username, user.password, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.0.0.1' });
    expect(spoofed.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);

    const logout = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: `sb_session=${body.token}`, origin: server.url } });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/^sb_session=;.*Expires=Thu, 01 Jan 1970/i);
  });

  it('marks the cookie Secure when SWITCHBOARD_SECURE_COOKIES=true (behind a TLS proxy)', async () => {
    const secure = await startTestServer(store, { SWITCHBOARD_SECURE_COOKIES: 'true' });
    try {
      const user = await secure.createUser();
      const response = await fetch(`${secure.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.username, password: user.password }) });
      const cookie = response.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    } finally {
      await secure.stop();
    }
  });

  it('a password change needs the current password; a wrong one changes nothing and ends nothing', async () => {
    const user = await server.createUser();
    const other = (await (await login(user.username, user.password)).json()) as LoginResponse;
    const refused = await server.api<{ error: { code: string } }>(user, 'POST', '/api/auth/password', { currentPassword: 'not-the-password', newPassword: 'a-brand-new-password' });
    expect([refused.status, refused.body.error.code]).toEqual([401, 'invalid_credentials']);
    expect((await server.api({ ...user, token: other.token }, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await login(user.username, user.password)).status).toBe(200);
    expect((await login(user.username, 'a-brand-new-password')).status).toBe(401);
  });

  it('an admin password reset ends every session of that user, sockets included', async () => {
    const user = await server.createUser();
    const socket = await server.connect(user);
    const reset = await server.api(admin, 'PATCH', `/api/admin/users/${user.id}`, { password: 'reset-by-the-admin' });
    expect(reset.status).toBe(200);
    expect(await socket.whenClosed()).toBe(4002);
    expect((await server.api(user, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await login(user.username, user.password)).status).toBe(401);
    expect((await login(user.username, 'reset-by-the-admin')).status).toBe(200);
  });

  it('locks out guessing from one address across usernames (password spraying)', async () => {
    const sprayed = await startTestServer(store);
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 35; index += 1) {
        const response = await fetch(`${sprayed.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: `victim${index}`, password: 'Winter2024!' }),
        });
        statuses.push(response.status);
      }
      expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
      expect(statuses.slice(30).every((status) => status === 429)).toBe(true);
    } finally {
      await sprayed.stop();
    }
  });
});
