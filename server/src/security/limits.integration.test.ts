import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/env.js';
import WebSocket from 'ws';
import { TestSocket } from '../test/testSocket.js';
import { TestVisitor } from '../test/testVisitor.js';
import { startTestServer, TEST_STORES, type TestServer, type TestUser } from '../test/testServer.js';
import { rawRequest } from './kit.js';

// Resource limits do not depend on the store; they run on the first one configured.
const store = TEST_STORES[0] ?? 'sqlite';

async function healthy(server: TestServer, withinMs = 2000): Promise<void> {
  const started = Date.now();
  const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(withinMs) });
  expect(response.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(withinMs);
}

describe(`resource limits on ${store}`, () => {
  it('ships with bounded defaults: head and request timeouts, head size, /api rate, WebSockets per address', () => {
    const { limits } = parseConfig({});
    expect(limits).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 72_000,
      maxHeaderBytes: 16_384,
      apiBurst: 600,
      apiPerSecond: 200,
      wsMaxPerIp: 200,
    });
    expect(() => parseConfig({ SWITCHBOARD_WS_MAX_PER_IP: '-1' })).toThrow(/SWITCHBOARD_WS_MAX_PER_IP/);
  });

  describe('with default limits', () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;

    beforeAll(async () => {
      server = await startTestServer(store);
      alice = await server.createUser();
      bob = await server.createUser();
    });
    afterAll(() => server.stop());

    it('applies them to the Node HTTP server', () => {
      const http = server.node.http.server;
      expect(http.headersTimeout).toBe(10_000);
      expect(http.requestTimeout).toBe(30_000);
      expect(http.keepAliveTimeout).toBe(72_000);
    });

    it('answers a body over the limit with a typed 413, plain or chunked, and keeps serving', async () => {
      const big = JSON.stringify({ kind: 'group', title: 'x', memberIds: [], filler: 'x'.repeat(300 * 1024) });
      const plain = await server.api<{ error: { code: string } }>(alice, 'POST', '/api/conversations', JSON.parse(big));
      expect(plain).toMatchObject({ status: 413, body: { error: { code: 'frame_too_large', retryable: false } } });

      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let index = 0; index < 40; index += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(16 * 1024)));
          controller.close();
        },
      });
      const chunked = await fetch(`${server.url}/api/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
        body: chunks,
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe('frame_too_large');
      await healthy(server);
    });

    it('refuses a huge request head or a flood of headers with 431, on /api and on the WebSocket upgrade, without hurting others', async () => {
      const bystander = await server.connect(bob);
      const huge = `GET /api/auth/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ${'a'.repeat(20 * 1024)}\r\n\r\n`;
      const many = `GET /api/auth/me HTTP/1.1\r\nHost: 127.0.0.1\r\n${Array.from({ length: 3000 }, (_, index) => `X-H${index}: v`).join('\r\n')}\r\n\r\n`;
      const upgrade = `GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer ${alice.token}\r\nX-Huge: ${'a'.repeat(20 * 1024)}\r\n\r\n`;
      const longUrl = `GET /api/conversations/${'a'.repeat(20 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
      for (const request of [huge, many, upgrade, longUrl]) {
        const answer = await rawRequest(server.url, request);
        expect(answer.status, request.slice(0, 60)).toBe(431);
        expect(answer.closed).toBe(true);
      }
      // Many parallel oversized heads at once.
      const answers = await Promise.all(Array.from({ length: 50 }, () => rawRequest(server.url, huge)));
      expect(answers.every((answer) => answer.status === 431)).toBe(true);
      await healthy(server);
      await bystander.roundTrip();
      await bystander.close();
    });

    it('closes a text frame that is not UTF-8 with 1007 and leaves other sockets alone', async () => {
      const bystander = await server.connect(bob);
      const offender = await server.connect(alice);
      offender.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
      expect(await offender.whenClosed()).toBe(1007);
      await bystander.roundTrip();
      await bystander.close();
      await healthy(server);
    });

    it('answers a frame flood with rate_limited errors, then closes the flooding socket with 1008; other sockets are unaffected', async () => {
      const bystander = await server.connect(bob);
      const flooder = await server.connect(alice);
      for (let index = 0; index < 3000; index += 1) flooder.ws.send(JSON.stringify({ type: 'ping', ref: `f${index}` }));
      expect(await flooder.whenClosed()).toBe(1008);
      const limited = flooder.received('error').filter((frame) => frame.error.code === 'rate_limited');
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0]?.error.retryable).toBe(true);
      expect(flooder.received('pong').length).toBeLessThan(3000);
      await bystander.roundTrip();
      await bystander.close();
      await healthy(server);
    });

    it('closes a socket that keeps flooding just above the frame limit (so a few frames always get through) with 1008 — IM and visitor sockets', async () => {
      const bystander = await server.connect(bob);
      const im = await server.connect(alice);
      const visitor = await TestVisitor.open(server.url, server.url);
      for (const [name, socket, ping] of [
        ['im', im.ws, (index: number) => JSON.stringify({ type: 'ping', ref: `s${index}` })],
        ['visitor', visitor.ws, (index: number) => JSON.stringify({ type: 'v.ping', ref: `s${index}` })],
      ] as const) {
        const started = Date.now();
        let index = 0;
        // About 600 frames a second, for as long as the socket stays open (at most 8 s).
        while (socket.readyState === WebSocket.OPEN && Date.now() - started < 8000) {
          for (let burst = 0; burst < 30; burst += 1) socket.send(ping((index += 1)));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(socket.readyState, `${name} socket still open after a sustained flood`).not.toBe(WebSocket.OPEN);
        expect(Date.now() - started, name).toBeLessThan(5000);
      }
      expect(await im.whenClosed()).toBe(1008);
      expect(await visitor.whenClosed()).toBe(1008);
      expect(im.received('error').some((frame) => frame.error.code === 'rate_limited')).toBe(true);
      await bystander.roundTrip();
      await bystander.close();
      await healthy(server);
    });

    it('refuses a bearer token far longer than any real one, on HTTP and on the upgrade', async () => {
      const response = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${'a'.repeat(8000)}` } });
      expect(response.status).toBe(401);
      await expect(TestSocket.open(server.wsUrl, { authorization: `Bearer ${'a'.repeat(8000)}` })).rejects.toThrow(/401/);
    });
  });

  describe('with tight limits', () => {
    let server: TestServer;
    let alice: TestUser;

    beforeAll(async () => {
      server = await startTestServer(store, {
        SWITCHBOARD_HEADERS_TIMEOUT_MS: '1000',
        SWITCHBOARD_REQUEST_TIMEOUT_MS: '2000',
        SWITCHBOARD_WS_MAX_PER_IP: '5',
        SWITCHBOARD_API_RATE_BURST: '50',
        SWITCHBOARD_API_RATE_PER_SECOND: '20',
      });
      alice = await server.createUser();
    });
    afterAll(() => server.stop());

    it('slow-loris: 200 connections dripping their headers are cut off after the headers timeout while everyone else is served', { timeout: 20_000 }, async () => {
      const started = Date.now();
      const drips: NodeJS.Timeout[] = [];
      const closedAt: number[] = [];
      const statuses: string[] = [];
      const slow = Array.from({ length: 200 }, (_, index) => {
        const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
        socket.on('error', () => {});
        socket.on('data', (chunk) => statuses.push(chunk.toString('latin1').split('\r\n')[0] ?? ''));
        socket.on('close', () => closedAt.push(Date.now() - started));
        socket.write(index % 4 === 0 ? 'POST /api/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{' : 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        drips.push(setInterval(() => socket.write(index % 4 === 0 ? ' ' : 'X-Slow: a\r\n'), 100));
        return socket;
      });
      try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Everyone else is served promptly while the slow clients hang on.
        await healthy(server, 1000);
        const socket = await server.connect(alice);
        await socket.roundTrip();
        await socket.close();
        // Every slow connection is closed by the server: heads after ~1 s, dripped bodies after ~2 s.
        const deadline = Date.now() + 8000;
        while (closedAt.length < slow.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(closedAt.length).toBe(slow.length);
        expect(Math.max(...closedAt)).toBeLessThan(6000);
        expect(statuses.filter((line) => line.includes('408')).length).toBeGreaterThan(0);
      } finally {
        for (const drip of drips) clearInterval(drip);
        for (const socket of slow) socket.destroy();
      }
      await healthy(server, 1000);
    });

    it('caps the WebSockets one address holds open (429 beyond it) without hurting the open ones; a closed one frees its slot', async () => {
      const sockets = [];
      for (let index = 0; index < 5; index += 1) sockets.push(await server.connect(alice));
      await expect(TestSocket.open(server.wsUrl, { authorization: `Bearer ${alice.token}` })).rejects.toThrow(/429/);
      // The cap covers every WebSocket path, the visitors' too.
      await expect(TestSocket.open(server.wsUrl.replace(/\/ws$/, '/visitor'), { origin: server.url })).rejects.toThrow(/429/);
      for (const socket of sockets) await socket.roundTrip();
      await sockets[0]?.close();
      const replacement = await server.connect(alice);
      await replacement.roundTrip();
      await replacement.close();
      for (const socket of sockets.slice(1)) await socket.close();
      // Refused and finished upgrades do not leak slots.
      const again = [];
      for (let index = 0; index < 5; index += 1) again.push(await server.connect(alice));
      for (const socket of again) await socket.close();
    });

    it('answers an /api flood from one address with typed 429s, keeps /healthz and pages up, and recovers', async () => {
      const answers = await Promise.all(Array.from({ length: 120 }, () => server.api<{ error?: { code: string; retryable: boolean } }>(alice, 'GET', '/api/auth/me')));
      const limited = answers.filter((answer) => answer.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0]?.body.error).toMatchObject({ code: 'rate_limited', retryable: true });
      expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(45);
      await healthy(server);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await server.api(alice, 'GET', '/api/auth/me')).status).toBe(200);
    });
  });
});
