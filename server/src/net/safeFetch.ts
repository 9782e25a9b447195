import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/*
 * Server-side fetch of a URL someone else chose (webhooks, link previews, avatars by URL): the
 * defence against server-side request forgery. Every hop is checked before a byte is sent:
 *  - only http: and https:, no credentials in the URL;
 *  - the host is resolved once, and every address it resolves to must be a public unicast
 *    address — loopback, private, link-local (the cloud metadata service at 169.254.169.254),
 *    CGNAT, multicast, reserved and documentation ranges are refused, and IPv6 forms that embed
 *    an IPv4 address (mapped, NAT64, 6to4) are judged by that address;
 *  - the connection goes to exactly the address that was checked (no second DNS lookup, so DNS
 *    rebinding cannot swap it), with the Host header and TLS name of the original host;
 *  - redirects are followed by hand, each one checked the same way, at most `maxRedirects`;
 *  - one deadline covers DNS, connecting, every hop and the body; the body is capped in bytes.
 * IPv4 spellings in decimal, octal or hex (http://2130706433/, http://0x7f.1/, http://0177.0.0.1/)
 * are normalised by the WHATWG URL parser before the check, so they are judged as 127.0.0.1.
 */

export type SafeFetchErrorCode = 'bad_url' | 'forbidden_address' | 'dns_failed' | 'too_many_redirects' | 'timeout' | 'too_large' | 'network';

export class SafeFetchError extends Error {
  override name = 'SafeFetchError';
  constructor(
    readonly code: SafeFetchErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface ConnectTarget {
  /** The checked IP address to connect to. */
  address: string;
  port: number;
  /** The host name of the URL (for TLS SNI and certificate checks). */
  hostname: string;
  tls: boolean;
}

export interface SafeFetchOptions {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** One deadline for everything (DNS, connect, redirects, body). Default 5 s. */
  timeoutMs?: number;
  /** Largest response body read, in bytes. Default 1 MiB. */
  maxBytes?: number;
  /** Default 3. */
  maxRedirects?: number;
  /** Every address of a host name. Default: the system resolver. Tests inject one. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Opens the connection to a checked address. Default: TCP, or TLS for https. Tests inject one. */
  connect?: (target: ConnectTarget) => Duplex;
}

export interface SafeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The URL finally answered (after redirects). */
  url: string;
  /** Every URL visited before it. */
  redirects: string[];
}

const DEFAULTS = { timeoutMs: 5000, maxBytes: 1024 * 1024, maxRedirects: 3 };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function safeFetch(input: string, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  const maxRedirects = options.maxRedirects ?? DEFAULTS.maxRedirects;
  const resolve = options.resolve ?? systemResolve;
  const connect = options.connect ?? defaultConnect;
  const deadline = Date.now() + timeoutMs;

  let url = parseUrl(input);
  let method = options.method ?? 'GET';
  let body = options.body;
  let headers = { ...options.headers };
  const redirects: string[] = [];
  for (;;) {
    const address = await withDeadline(checkedAddress(url, resolve), deadline);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const answer = await request(url, address, port, { method, headers, body, maxBytes, deadline, connect });
    const location = answer.headers.location;
    if (!REDIRECTS.has(answer.status) || typeof location !== 'string') return { ...answer, url: url.href, redirects };
    if (redirects.length >= maxRedirects) throw new SafeFetchError('too_many_redirects', `More than ${maxRedirects} redirects.`);
    redirects.push(url.href);
    let next: URL;
    try {
      next = parseUrl(new URL(location, url).href);
    } catch (error) {
      if (error instanceof SafeFetchError) throw error;
      throw new SafeFetchError('bad_url', 'The redirect points nowhere valid.');
    }
    if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
    // Credentials meant for one origin never follow a redirect to another.
    if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^(authorization|cookie|proxy-authorization)$/i.test(name)));
    url = next;
  }
}

/** Parses and vets a URL: http(s) only, no credentials, a host that is not obviously local. */
export function parseUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SafeFetchError('bad_url', 'Not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SafeFetchError('bad_url', 'Only http and https URLs can be fetched.');
  if (url.username || url.password) throw new SafeFetchError('bad_url', 'URLs with credentials are not fetched.');
  const host = hostOf(url);
  if (host === '' || host === 'localhost' || host.endsWith('.localhost')) throw new SafeFetchError('forbidden_address', 'Local addresses are not fetched.');
  return url;
}

/** The host of a URL without IPv6 brackets or a trailing dot, lower case. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

/** The one address to connect to, after every address of the host passed the check. */
async function checkedAddress(url: URL, resolve: NonNullable<SafeFetchOptions['resolve']>): Promise<string> {
  const host = hostOf(url);
  let addresses: string[];
  if (net.isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await resolve(host)).map((entry) => entry.address);
    } catch {
      throw new SafeFetchError('dns_failed', `Could not resolve ${host}.`);
    }
    if (addresses.length === 0) throw new SafeFetchError('dns_failed', `${host} has no address.`);
  }
  for (const address of addresses) {
    if (isForbiddenAddress(address)) throw new SafeFetchError('forbidden_address', `${host} is not a public address.`);
  }
  return addresses[0] as string;
}

/**
 * True for every address a server-side fetch must not reach: anything but public unicast.
 * Unparseable input counts as forbidden.
 */
export function isForbiddenAddress(input: string): boolean {
  const address = input.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (net.isIPv4(address)) return forbiddenV4(ipv4ToNumber(address));
  if (!net.isIPv6(address)) return true;
  const value = ipv6ToBigInt(address);
  if (value === undefined) return true;
  const embedded = embeddedV4(value);
  if (embedded !== undefined) return forbiddenV4(embedded);
  return FORBIDDEN_V6.some(([base, bits]) => inPrefix(value, base, bits, 128));
}

const V4 = (text: string, bits: number): [number, number] => [ipv4ToNumber(text), bits];
const FORBIDDEN_V4: [number, number][] = [
  V4('0.0.0.0', 8), // "this network", 0.0.0.0
  V4('10.0.0.0', 8), // private
  V4('100.64.0.0', 10), // carrier-grade NAT
  V4('127.0.0.0', 8), // loopback
  V4('169.254.0.0', 16), // link-local, cloud metadata (169.254.169.254)
  V4('172.16.0.0', 12), // private
  V4('192.0.0.0', 24), // IETF protocol assignments
  V4('192.0.2.0', 24), // documentation
  V4('192.88.99.0', 24), // 6to4 relay anycast
  V4('192.168.0.0', 16), // private
  V4('198.18.0.0', 15), // benchmarking
  V4('198.51.100.0', 24), // documentation
  V4('203.0.113.0', 24), // documentation
  V4('224.0.0.0', 4), // multicast
  V4('240.0.0.0', 4), // reserved, broadcast
];

function forbiddenV4(value: number): boolean {
  return FORBIDDEN_V4.some(([base, bits]) => inPrefix(BigInt(value), BigInt(base), bits, 32));
}

const V6 = (text: string, bits: number): [bigint, number] => [ipv6ToBigInt(text) as bigint, bits];
const FORBIDDEN_V6: [bigint, number][] = [
  V6('::', 128), // unspecified
  V6('::1', 128), // loopback
  V6('::', 96), // IPv4-compatible (deprecated, never routed)
  V6('64:ff9b:1::', 48), // local-use NAT64
  V6('100::', 64), // discard
  V6('2001::', 32), // Teredo (tunnels to arbitrary IPv4)
  V6('2001:2::', 48), // benchmarking
  V6('2001:10::', 28), // ORCHID
  V6('2001:20::', 28), // ORCHIDv2
  V6('2001:db8::', 32), // documentation
  V6('3fff::', 20), // documentation
  V6('5f00::', 16), // segment routing
  V6('fc00::', 7), // unique local
  V6('fe80::', 10), // link-local
  V6('fec0::', 10), // site-local (deprecated)
  V6('ff00::', 8), // multicast
];

/** The IPv4 address inside an IPv4-mapped, NAT64 or 6to4 IPv6 address (IPv4-compatible ::a.b.c.d is refused outright). */
function embeddedV4(value: bigint): number | undefined {
  const low32 = Number(value & 0xffffffffn);
  if (value >> 32n === 0xffffn) return low32; // ::ffff:a.b.c.d
  if (value >> 32n === 0x64ff9b0000000000000000n) return low32; // 64:ff9b::a.b.c.d
  if (value >> 112n === 0x2002n) return Number((value >> 80n) & 0xffffffffn); // 2002:aabb:ccdd::
  return undefined;
}

function inPrefix(value: bigint, base: bigint, bits: number, width: number): boolean {
  const shift = BigInt(width - bits);
  return value >> shift === base >> shift;
}

function ipv4ToNumber(text: string): number {
  return text.split('.').reduce((total, part) => total * 256 + Number(part), 0);
}

function ipv6ToBigInt(text: string): bigint | undefined {
  let head = text;
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(head);
  if (dotted?.[1]) {
    const v4 = ipv4ToNumber(dotted[1]);
    head = `${head.slice(0, -dotted[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...left, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => '0'), ...right];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

async function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
  return dns.promises.lookup(hostname, { all: true, verbatim: true });
}

function defaultConnect(target: ConnectTarget): Duplex {
  if (!target.tls) return net.connect({ host: target.address, port: target.port });
  return tls.connect({
    host: target.address,
    port: target.port,
    // The certificate is checked against the URL's host name, not the address.
    ...(net.isIP(target.hostname) ? {} : { servername: target.hostname }),
    checkServerIdentity: (_host, certificate) => tls.checkServerIdentity(target.hostname, certificate),
    ALPNProtocols: ['http/1.1'],
  });
}

function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new SafeFetchError('timeout', 'The fetch took too long.')), Math.max(0, deadline - Date.now()));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

interface HopOptions {
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  maxBytes: number;
  deadline: number;
  connect: NonNullable<SafeFetchOptions['connect']>;
}

/** One request to one checked address; the answer's body is read up to maxBytes. */
function request(url: URL, address: string, port: number, hop: HopOptions): Promise<Omit<SafeResponse, 'url' | 'redirects'>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: SafeFetchError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      reject(error);
    };
    const target: ConnectTarget = { address, port, hostname: hostOf(url), tls: url.protocol === 'https:' };
    const outgoing = (target.tls ? https : http).request({
      method: hop.method,
      path: `${url.pathname}${url.search}`,
      headers: { ...Object.fromEntries(Object.entries(hop.headers).filter(([name]) => !/^(host|connection)$/i.test(name))), host: url.host, connection: 'close' },
      createConnection: () => hop.connect(target) as net.Socket,
    });
    const timer = setTimeout(() => fail(new SafeFetchError('timeout', 'The fetch took too long.')), Math.max(0, hop.deadline - Date.now()));
    outgoing.on('error', (error) => fail(new SafeFetchError('network', `The fetch failed: ${error.message}`)));
    outgoing.on('response', (response) => {
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > hop.maxBytes) return fail(new SafeFetchError('too_large', `The answer is larger than ${hop.maxBytes} bytes.`));
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > hop.maxBytes) return fail(new SafeFetchError('too_large', `The answer is larger than ${hop.maxBytes} bytes.`));
        chunks.push(chunk);
      });
      response.on('error', (error) => fail(new SafeFetchError('network', `The fetch failed: ${error.message}`)));
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      });
    });
    if (hop.body !== undefined) outgoing.end(hop.body);
    else outgoing.end();
  });
}
