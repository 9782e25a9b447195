import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isForbiddenAddress, safeFetch, SafeFetchError, type ConnectTarget, type ResolvedAddress } from './safeFetch.js';

/*
 * No real network: DNS is an injected table, and `connect` — which receives the checked address —
 * is redirected to a local test server. So the tests see exactly which address the fetch would
 * have connected to, and the policy is never loosened for them.
 */

const PUBLIC_V4 = '93.184.216.34';
const PUBLIC_V6 = '2606:2800:220:1:248:1893:25c8:1946';

let upstream: http.Server;
let upstreamPort: number;
const seen: { url: string; host: string | undefined; authorization: string | undefined }[] = [];

beforeAll(async () => {
  upstream = http.createServer((request, response) => {
    seen.push({ url: request.url ?? '', host: request.headers.host, authorization: request.headers.authorization });
    const url = new URL(request.url ?? '/', 'http://upstream');
    const to = url.searchParams.get('to');
    if (url.pathname === '/redirect' && to) {
      response.writeHead(Number(url.searchParams.get('status') ?? 302), { location: to });
      return response.end();
    }
    if (url.pathname === '/loop') {
      response.writeHead(302, { location: '/loop' });
      return response.end();
    }
    if (url.pathname === '/big') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!response.write(chunk)) return response.once('drain', pump);
        }
        response.end();
      };
      return pump();
    }
    if (url.pathname === '/declared-big') {
      response.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      return response.write('x');
    }
    if (url.pathname === '/hang') return; // never answers
    if (url.pathname === '/slow-body') {
      response.writeHead(200);
      const drip = setInterval(() => response.write('.'), 50);
      response.on('close', () => clearInterval(drip));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(`hello ${request.method}`);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamPort = (upstream.address() as AddressInfo).port;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

/** A DNS table; an unknown name fails like NXDOMAIN. Records every lookup. */
function resolver(table: Record<string, string | string[]>) {
  const lookups: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    lookups.push(hostname);
    const entry = table[hostname];
    if (entry === undefined) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return (Array.isArray(entry) ? entry : [entry]).map((address) => ({ address, family: net.isIP(address) }));
  };
  return { resolve, lookups };
}

/** Connects every checked address to the local upstream, recording the address it was given. */
function connector() {
  const targets: ConnectTarget[] = [];
  const connect = (target: ConnectTarget) => {
    targets.push(target);
    return net.connect(upstreamPort, '127.0.0.1');
  };
  return { connect, targets };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SafeFetchError) return error.code;
    throw error;
  }
  throw new Error('expected the fetch to be refused');
}

describe('isForbiddenAddress', () => {
  it('refuses loopback, private, link-local, metadata, CGNAT, multicast, reserved and documentation addresses', () => {
    const forbidden = [
      '127.0.0.1', '127.255.255.254', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.0.1', '192.168.255.255',
      '169.254.169.254', '169.254.0.1', '0.0.0.0', '0.1.2.3', '100.64.0.1', '100.127.255.255', '192.0.0.8', '192.0.2.1', '198.18.0.1',
      '198.51.100.7', '203.0.113.9', '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255',
      '::', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:a9fe:a9fe', '::ffff:169.254.169.254', '::ffff:10.0.0.1', '::ffff:192.168.1.1',
      '::127.0.0.1', '::8.8.8.8', '64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::1', '2002:7f00:1::', '2002:a9fe:a9fe::1', '2002:0a00:0001::',
      'fc00::1', 'fd12:3456:789a::1', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fec0::1', 'ff02::1', '2001:db8::1', '2001::1', '100::1', '[::1]',
      'not-an-ip', '', '1.2.3', '0177.0.0.1', '0x7f000001', '2130706433', '1.2.3.4.5', '::ffff:999.0.0.1', '1::2::3',
    ];
    for (const address of forbidden) expect(isForbiddenAddress(address), address).toBe(true);
  });

  it('allows public unicast addresses, including public IPv4 behind NAT64 and 6to4', () => {
    const allowed = [PUBLIC_V4, '8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '192.169.0.1', '100.63.255.255', '100.128.0.1', '169.253.255.255', '223.255.255.255',
      PUBLIC_V6, '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '[2606:4700::1111]'];
    for (const address of allowed) expect(isForbiddenAddress(address), address).toBe(false);
  });
});

describe('safeFetch', () => {
  it('refuses loopback, private and metadata hosts in every spelling, before resolving or connecting', async () => {
    const dns = resolver({});
    const { connect, targets } = connector();
    const urls = [
      'http://127.0.0.1/', 'http://127.1/', 'http://2130706433/', 'http://0x7f000001/', 'http://0x7f.0.0.1/', 'http://0177.0.0.1/', 'http://017700000001/',
      'http://0/', 'http://0.0.0.0:8080/', 'http://[::]/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[0:0:0:0:0:ffff:127.0.0.1]/',
      'http://169.254.169.254/latest/meta-data/', 'http://2852039166/', 'http://0xa9.0xfe.0xa9.0xfe/', 'http://[::ffff:169.254.169.254]/', 'http://[fd00:ec2::254]/',
      'http://10.0.0.1/', 'http://172.16.5.4/', 'http://192.168.1.1/', 'http://[fc00::1]/', 'http://[fe80::1]/', 'http://[64:ff9b::7f00:1]/', 'http://[2002:7f00:1::]/',
      'http://localhost/', 'http://LOCALHOST./', 'http://api.localhost/', 'https://127.0.0.1:443/', 'http://127.0.0.1.:80/',
    ];
    for (const url of urls) expect(await refusal(safeFetch(url, { resolve: dns.resolve, connect })), url).toBe('forbidden_address');
    expect(dns.lookups).toEqual([]);
    expect(targets).toEqual([]);
  });

  it('refuses other schemes and URLs with credentials', async () => {
    const { connect, targets } = connector();
    for (const url of ['file:///etc/passwd', 'ftp://example.com/', 'gopher://example.com:70/', 'data:text/plain,hi', 'javascript:alert(1)', 'ws://example.com/', 'http://user:pass@example.com/', 'http://@example.com@127.0.0.1/', 'not a url']) {
      expect(await refusal(safeFetch(url, { resolve: resolver({ 'example.com': PUBLIC_V4 }).resolve, connect })), url).toMatch(/bad_url|forbidden_address/);
    }
    expect(targets).toEqual([]);
  });

  it('refuses a name that resolves to a forbidden address — any one of them — and one that does not resolve', async () => {
    const dns = resolver({
      'internal.example': '10.0.0.5',
      'metadata.example': '169.254.169.254',
      'v6loop.example': '::1',
      'mapped.example': '::ffff:127.0.0.1',
      'mixed.example': [PUBLIC_V4, '127.0.0.1'],
      'mixed6.example': [PUBLIC_V6, 'fd00::1'],
    });
    const { connect, targets } = connector();
    for (const host of ['internal.example', 'metadata.example', 'v6loop.example', 'mapped.example', 'mixed.example', 'mixed6.example']) {
      expect(await refusal(safeFetch(`http://${host}/`, { resolve: dns.resolve, connect })), host).toBe('forbidden_address');
    }
    expect(await refusal(safeFetch('http://nowhere.example/', { resolve: dns.resolve, connect }))).toBe('dns_failed');
    expect(targets).toEqual([]);
  });

  it('fetches a public host by connecting to exactly the checked address, with the original Host header', async () => {
    const dns = resolver({ 'public.example': [PUBLIC_V4, PUBLIC_V6] });
    const { connect, targets } = connector();
    const answer = await safeFetch('http://public.example:8080/path?q=1', { resolve: dns.resolve, connect });
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('hello GET');
    expect(targets).toEqual([{ address: PUBLIC_V4, port: 8080, hostname: 'public.example', tls: false }]);
    expect(seen.at(-1)).toMatchObject({ url: '/path?q=1', host: 'public.example:8080' });
    expect(dns.lookups).toEqual(['public.example']);
  });

  it('checks every redirect again: to a metadata address, a private name or another scheme is refused before connecting', async () => {
    const dns = resolver({ 'public.example': PUBLIC_V4, 'evil.example': PUBLIC_V4, 'internal.example': '192.168.0.10' });
    for (const to of ['http://169.254.169.254/latest/meta-data/iam/', 'http://internal.example/admin', 'http://[::ffff:127.0.0.1]:8080/', 'http://2130706433/', 'file:///etc/passwd', 'http://localhost/']) {
      const { connect, targets } = connector();
      for (const status of [301, 302, 303, 307, 308]) {
        const url = `http://evil.example/redirect?status=${status}&to=${encodeURIComponent(to)}`;
        expect(await refusal(safeFetch(url, { resolve: dns.resolve, connect })), `${status} → ${to}`).toMatch(/forbidden_address|bad_url/);
      }
      // Only the first hop was ever connected.
      expect(targets.every((target) => target.hostname === 'evil.example')).toBe(true);
    }
  });

  it('follows a few honest redirects, drops credentials across origins, and stops a loop', async () => {
    const dns = resolver({ 'a.example': PUBLIC_V4, 'b.example': '8.8.8.8' });
    const { connect, targets } = connector();
    const answer = await safeFetch(`http://a.example/redirect?to=${encodeURIComponent('http://b.example/done')}`, {
      resolve: dns.resolve,
      connect,
      headers: { authorization: 'Bearer secret' },
    });
    expect(answer.status).toBe(200);
    expect(answer.url).toBe('http://b.example/done');
    expect(answer.redirects).toEqual([`http://a.example/redirect?to=${encodeURIComponent('http://b.example/done')}`]);
    expect(targets.map((target) => target.address)).toEqual([PUBLIC_V4, '8.8.8.8']);
    expect(seen.at(-2)?.authorization).toBe('Bearer secret');
    expect(seen.at(-1)?.authorization).toBeUndefined();
    expect(await refusal(safeFetch('http://a.example/loop', { resolve: dns.resolve, connect, maxRedirects: 3 }))).toBe('too_many_redirects');
  });

  it('resolves once per hop and connects to what it checked, so DNS rebinding cannot swap in a private address', async () => {
    let calls = 0;
    const rebinding = async (): Promise<ResolvedAddress[]> => {
      calls += 1;
      return [{ address: calls === 1 ? PUBLIC_V4 : '127.0.0.1', family: 4 }];
    };
    const { connect, targets } = connector();
    const answer = await safeFetch('http://rebind.example/', { resolve: rebinding, connect });
    expect(answer.status).toBe(200);
    expect(calls).toBe(1);
    expect(targets.map((target) => target.address)).toEqual([PUBLIC_V4]);
    // A redirect back to the same name resolves again, and this time the private answer is refused.
    expect(await refusal(safeFetch('http://rebind.example/redirect?to=/again', { resolve: rebinding, connect }))).toBe('forbidden_address');
  });

  it('gives up at the deadline: a server that never answers, a dripping body, a DNS that never answers', async () => {
    const dns = resolver({ 'slow.example': PUBLIC_V4 });
    const { connect } = connector();
    for (const path of ['/hang', '/slow-body']) {
      const started = Date.now();
      expect(await refusal(safeFetch(`http://slow.example${path}`, { resolve: dns.resolve, connect, timeoutMs: 300 })), path).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2000);
    }
    const started = Date.now();
    expect(await refusal(safeFetch('http://slow.example/', { resolve: () => new Promise(() => {}), connect, timeoutMs: 300 }))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('caps the body: a declared or streamed answer over maxBytes is refused', async () => {
    const dns = resolver({ 'big.example': PUBLIC_V4 });
    const { connect } = connector();
    expect(await refusal(safeFetch('http://big.example/declared-big', { resolve: dns.resolve, connect, maxBytes: 1024 * 1024 }))).toBe('too_large');
    expect(await refusal(safeFetch('http://big.example/big', { resolve: dns.resolve, connect, maxBytes: 1024 * 1024 }))).toBe('too_large');
    const small = await safeFetch('http://big.example/', { resolve: dns.resolve, connect, maxBytes: 100 });
    expect(small.body.toString()).toBe('hello GET');
  });
});
