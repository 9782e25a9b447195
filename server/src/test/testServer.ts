import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import type { LoginResponse, Role } from '@switchboard/protocol';
import { startSwitchboard, type Switchboard } from '../app.js';
import { parseConfig } from '../config/env.js';
import { TestSocket } from './testSocket.js';
import { TestVisitor, type VisitorHello } from './testVisitor.js';

export type TestStore = 'sqlite' | 'postgres';

/** The stores the integration suite runs on; SWITCHBOARD_TEST_STORES=sqlite narrows it for a quick run. */
export const TEST_STORES: TestStore[] = (process.env.SWITCHBOARD_TEST_STORES ?? 'sqlite,postgres')
  .split(',')
  .map((store) => store.trim())
  .filter((store): store is TestStore => store === 'sqlite' || store === 'postgres');

export const TEST_DATABASE_URL = process.env.SWITCHBOARD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  token: string;
  login: LoginResponse;
}

export interface TestServer {
  node: Switchboard;
  url: string;
  wsUrl: string;
  store: TestStore;
  /** Creates a user with the given roles and logs them in over HTTP. */
  createUser(roles?: Role[], username?: string): Promise<TestUser>;
  /** POST/GET/PATCH/DELETE against /api with the user's bearer token. */
  api<T = unknown>(user: TestUser | undefined, method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Opens /ws as the user and completes hello → welcome. */
  connect(user: TestUser): Promise<TestSocket>;
  /** Opens /visitor from `origin` (default: the server's own origin) and completes v.hello → v.welcome. */
  visitor(hello?: VisitorHello & { origin?: string }): Promise<TestVisitor>;
  /**
   * PostgreSQL only: a second node on the same database (its own bus, sockets and sweeper), as in
   * a cluster. Stopped with this server.
   */
  peer(env?: Record<string, string>): Promise<TestServer>;
  stop(): Promise<void>;
}

let counter = 0;

/** A PostgreSQL schema name of its own for one test store (dropped by whoever made it). */
export function newTestSchema(): string {
  return `sb_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/**
 * Starts a real node on a free port with its own empty database: a temporary SQLite folder, or a
 * fresh schema in the machine's PostgreSQL that is dropped again on stop.
 */
export async function startTestServer(store: TestStore, env: Record<string, string> = {}, shared?: { schema: string }): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-'));
  const schema = shared?.schema ?? newTestSchema();
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SWITCHBOARD_DATA: dataDir,
    LOG_LEVEL: 'silent',
    SWITCHBOARD_NODE_ID: `test-${process.pid}`,
    // Every test visitor comes from 127.0.0.1; tests of the limits set their own.
    SWITCHBOARD_VISITOR_CONNECTS_PER_MINUTE: '100000',
    SWITCHBOARD_VISITOR_CHATS_PER_MINUTE: '100000',
    SWITCHBOARD_VISITOR_OFFLINE_PER_MINUTE: '100000',
    ...(store === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema } : {}),
    ...env,
  });
  const node = await startSwitchboard(config, { log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const url = node.url;

  const api: TestServer['api'] = async (user, method, route, body) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        ...(user ? { authorization: `Bearer ${user.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
  };

  const sockets: TestSocket[] = [];
  const visitors: TestVisitor[] = [];
  const peers: TestServer[] = [];
  return {
    node,
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/ws',
    store,
    api,
    async createUser(roles = ['employee'], username) {
      counter += 1;
      const name = username ?? `user${counter}${randomBytes(2).toString('hex')}`;
      const password = `password-${randomBytes(6).toString('hex')}`;
      const created = await node.im.accounts.create(null, { username: name, displayName: `User ${name}`, password, roles });
      const login = await api<LoginResponse>(undefined, 'POST', '/api/auth/login', { username: name, password });
      if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
      return { id: created.id, username: name, password, token: login.body.token, login: login.body };
    },
    async connect(user) {
      const socket = await TestSocket.open(url.replace(/^http/, 'ws') + '/ws', { authorization: `Bearer ${user.token}` });
      sockets.push(socket);
      await socket.hello();
      return socket;
    },
    async visitor(hello = {}) {
      const visitor = await TestVisitor.open(url, hello.origin ?? url);
      visitors.push(visitor);
      await visitor.hello(hello);
      return visitor;
    },
    async peer(peerEnv = {}) {
      if (store !== 'postgres') throw new Error('a second node needs PostgreSQL');
      const peer = await startTestServer(store, { ...env, ...peerEnv, SWITCHBOARD_NODE_ID: `peer-${process.pid}` }, { schema });
      peers.push(peer);
      return peer;
    },
    async stop() {
      for (const peer of peers) await peer.stop();
      for (const socket of sockets) socket.terminate();
      for (const visitor of visitors) visitor.terminate();
      await node.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (store === 'postgres' && !shared) {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      }
    },
  };
}
