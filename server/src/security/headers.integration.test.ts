import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_STORES, type TestServer } from '../test/testServer.js';
import { rawRequest } from './kit.js';

const store = TEST_STORES[0] ?? 'sqlite';
const SECRET = 'TOP-SECRET-OUTSIDE-THE-WEB-ROOT';

/** Parses a Content-Security-Policy into directive → sources. */
function csp(header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

describe(`security headers and static files on ${store}`, () => {
  let server: TestServer;
  let webRoot: string;

  beforeAll(async () => {
    // A stand-in for the built web apps, so these checks do not depend on a web build having run.
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-webroot-'));
    for (const app of ['app', 'admin', 'widget']) {
      fs.mkdirSync(path.join(webRoot, 'web', app, 'dist', 'assets'), { recursive: true });
      fs.writeFileSync(path.join(webRoot, 'web', app, 'dist', 'index.html'), `<!doctype html><title>${app}</title>`);
      fs.writeFileSync(path.join(webRoot, 'web', app, 'dist', 'assets', 'main.js'), 'console.log(1)');
    }
    fs.writeFileSync(path.join(webRoot, 'package.json'), SECRET);
    fs.writeFileSync(path.join(webRoot, 'web', 'secret.txt'), SECRET);
    server = await startTestServer(store, { SWITCHBOARD_WEB_ROOT: webRoot });
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  it('serves the IM client and the admin console with a strict CSP, no framing and nosniff — deep links included', async () => {
    for (const page of ['/app/', '/app/index.html', '/app/some/deep/link', '/admin/', '/admin/users/123']) {
      const response = await fetch(`${server.url}${page}`);
      expect(response.status, page).toBe(200);
      expect(response.headers.get('content-type'), page).toMatch(/^text\/html/);
      const policy = csp(response.headers.get('content-security-policy'));
      expect(policy.get('default-src'), page).toEqual(["'self'"]);
      // No script-src means scripts fall back to default-src 'self': no inline script, no eval, no other host.
      for (const directive of ['script-src', 'script-src-elem', 'script-src-attr']) {
        for (const source of policy.get(directive) ?? []) expect(["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:'], `${page} ${directive}`).not.toContain(source);
      }
      expect(policy.get('frame-ancestors'), page).toEqual(["'none'"]);
      expect(policy.get('base-uri'), page).toEqual(["'self'"]);
      expect(policy.get('form-action'), page).toEqual(["'self'"]);
      expect(policy.has('object-src') ? policy.get('object-src') : policy.get('default-src'), page).toEqual(["'self'"]);
      expect(response.headers.get('x-frame-options'), page).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), page).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), page).toBe('same-origin');
    }
  });

  it('sends nosniff and a JSON type on every API answer, errors included', async () => {
    for (const [method, route] of [
      ['GET', '/api/auth/me'],
      ['GET', '/healthz'],
      ['POST', '/api/conversations'],
      ['GET', '/api/nope'],
    ] as const) {
      const response = await fetch(`${server.url}${route}`, { method });
      expect(response.headers.get('x-content-type-options'), route).toBe('nosniff');
      expect(response.headers.get('content-type'), route).toMatch(/^application\/json/);
    }
    const script = await fetch(`${server.url}/app/assets/main.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never serves a file outside the web apps, however the path is spelled', async () => {
    const attempts = [
      '/app/../package.json',
      '/app/..%2f..%2f..%2fpackage.json',
      '/app/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/app/..%5c..%5c..%5cpackage.json',
      '/app/%252e%252e/%252e%252e/package.json',
      '/admin/....//....//....//package.json',
      '/widget/../secret.txt',
      '/widget/..%2f..%2fsecret.txt',
      '/app/%00../../package.json',
      '/app/assets/main.js%00.html',
    ];
    for (const attempt of attempts) {
      const answer = await rawRequest(server.url, `GET ${attempt} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(answer.status, attempt).toBeGreaterThan(0);
      expect(answer.body, attempt).not.toContain(SECRET);
      expect(answer.status, attempt).toBeLessThan(500);
    }
  });

  it('does not redirect anywhere but this server (no open redirect)', async () => {
    const attempts = ['//evil.example/', '/app//evil.example', '/%2F%2Fevil.example', '/\\evil.example', '/app/%2F%2Fevil.example', '/admin', '/app', '/'];
    for (const attempt of attempts) {
      const answer = await rawRequest(server.url, `GET ${attempt} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      const location = /\r\nlocation: ([^\r\n]*)/i.exec(answer.head)?.[1];
      if (location !== undefined) {
        expect(location, attempt).toMatch(/^\/[^/\\]/);
        expect(new URL(location, server.url).origin, attempt).toBe(server.url);
      }
    }
  });
});
