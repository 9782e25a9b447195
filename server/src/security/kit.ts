import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Store } from '../store/index.js';

/** One HTTP route as Fastify has it registered. */
export interface Route {
  method: string;
  /** Fastify's pattern, e.g. /api/conversations/:id/members/:userId */
  path: string;
}

/**
 * Every route the app serves, read from Fastify's own route tree (printRoutes), so a route added
 * later is covered by the attack suite without anyone listing it. HEAD (implied by GET) is left out.
 */
export function routeTable(app: FastifyInstance): Route[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const parents: string[] = [];
  const routes: Route[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?\s*$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const segment = match[2] ?? '';
    const parent = depth === 0 ? '' : (parents[depth - 1] ?? '');
    const path = depth === 0 ? segment : `${parent}/${segment}`.replace(/\/{2,}/g, '/');
    parents[depth] = path;
    parents.length = depth + 1;
    for (const method of (match[3] ?? '').split(',').map((name) => name.trim()).filter(Boolean)) {
      if (method !== 'HEAD') routes.push({ method, path });
    }
  }
  return routes;
}

/** Fills a route pattern's parameters (`:id`) from `values`, or with `fallback` for the rest. */
export function fillPath(path: string, values: Record<string, string>, fallback = 'x'): string {
  return path.replace(/:(\w+)/g, (_match, name: string) => encodeAny(values[name] ?? fallback));
}

/**
 * encodeURIComponent that also encodes what it refuses: an unpaired surrogate is written as its
 * three-byte (WTF-8) form, which is not valid UTF-8, as an attacker would send it.
 */
export function encodeAny(text: string): string {
  let out = '';
  for (const char of text) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

/**
 * Everything stored, table by table (rows sorted), to prove an attack changed nothing. Reads the
 * table list from the database itself, so the customer-service tables are included as they come.
 */
export async function snapshotStore(store: Store, schema?: string): Promise<Record<string, string[]>> {
  const tables = (await store.db.introspection.getTables()).filter(
    (table) => !table.name.startsWith('kysely_') && (store.dialect !== 'postgres' || !schema || table.schema === schema),
  );
  const snapshot: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(store.db);
    snapshot[table.name] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}

/** Object.prototype's own property names and their types, to prove nothing was added to it. */
export function prototypeFingerprint(): string {
  return Object.getOwnPropertyNames(Object.prototype)
    .sort()
    .map((name) => `${name}:${typeof (Object.prototype as Record<string, unknown>)[name]}`)
    .join(',');
}

export interface RawResponse {
  /** The status line's code, or 0 when the server closed without answering. */
  status: number;
  head: string;
  body: string;
  /** True when the server closed the connection. */
  closed: boolean;
}

/**
 * Sends raw bytes over a fresh TCP connection and collects what comes back until the server
 * closes or `timeoutMs` passes: for requests no HTTP client would send (huge heads, broken syntax).
 */
export function rawRequest(url: string, bytes: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let closed = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      resolve({ status: status ? Number(status) : 0, head, body, closed });
      socket.destroy();
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.write(bytes);
  });
}
