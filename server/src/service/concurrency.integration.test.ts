import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serviceKit } from '../test/serviceKit.js';
import { startTestServer, TEST_STORES, type TestServer } from '../test/testServer.js';
import { chatEvent } from './announce.js';
import type { ServiceRepositories } from './store/index.js';

describe.each(TEST_STORES)('assignment under concurrency on %s', (store) => {
  let server: TestServer;
  let kit: ReturnType<typeof serviceKit>;

  beforeAll(async () => {
    server = await startTestServer(store, { SWITCHBOARD_SERVICE_SWEEP_MS: '20' });
    kit = serviceKit(server);
  });
  afterEach(() => kit.reset());
  afterAll(() => server.stop());

  /** Every assigned chat has one assignee, and each agent's load equals its assigned chats and fits. */
  async function expectConsistent(repos: ServiceRepositories, agentIds: readonly string[], maxChats: number): Promise<number> {
    let assigned = 0;
    for (const agent of await repos.agents.findMany(agentIds)) {
      const chats = await repos.chats.assignedTo(agent.userId);
      expect(agent.activeChats).toBe(chats.length);
      expect(agent.activeChats).toBeLessThanOrEqual(maxChats);
      assigned += chats.length;
    }
    return assigned;
  }

  it('visitors arriving at once: no one assigned twice, no agent over capacity, the rest queued in order', async () => {
    const agents = await Promise.all([kit.agent({ maxChats: 2 }), kit.agent({ maxChats: 2 }), kit.agent({ maxChats: 2 })]);
    const names = Array.from({ length: 15 }, (_, i) => `Rush${i}`);
    const started = await Promise.all(names.map((name) => kit.visitorChat(name)));
    const assigned = await expectConsistent(
      kit.service.repos,
      agents.map((agent) => agent.user.id),
      2,
    );
    expect(assigned).toBe(6);
    const queued = await kit.service.repos.chats.queued(100);
    expect(queued).toHaveLength(9);
    // Every chat reached exactly one agent.
    for (const agent of agents) await agent.socket.roundTrip();
    const owners = new Map<string, Set<string>>();
    for (const agent of agents) {
      for (const frame of agent.socket.received('visitor.chat')) {
        if (frame.chat.assigneeId !== agent.user.id) continue;
        const set = owners.get(frame.chat.id) ?? new Set<string>();
        set.add(agent.user.id);
        owners.set(frame.chat.id, set);
      }
    }
    expect(owners.size).toBe(6);
    for (const set of owners.values()) expect(set.size).toBe(1);
    // Queued visitors learn distinct places.
    const positions = await Promise.all(queued.map((chat) => kit.service.repos.chats.queuePosition(chat)));
    expect(positions).toEqual(Array.from({ length: 9 }, (_, i) => i + 1));
    expect(started.filter((entry) => entry.chat.status === 'queued')).toHaveLength(9);
  });

  it('racing assignments straight at the database (and from a second node on PostgreSQL) never double-assign or overfill', async () => {
    const repos = server.node.service.repos;
    const peer = store === 'postgres' ? await server.peer({ SWITCHBOARD_SERVICE_SWEEP_MS: '20' }) : undefined;
    const site = await repos.sites.findByKey('demo');
    if (!site) throw new Error('no demo site');
    const now = Date.now();
    const agentIds = Array.from({ length: 4 }, () => randomUUID());
    for (const agentId of agentIds) {
      await repos.agents.ensure(agentId, `Racer ${agentId.slice(0, 4)}`, now);
      await repos.agents.update(agentId, { maxChats: 3 }, now);
    }
    const chatIds: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      const visitor = await repos.visitors.create({ id: randomUUID(), siteId: site.id, tokenHash: randomUUID(), page: null, userAgent: null, language: null }, now);
      chatIds.push((await repos.chats.create({ id: randomUUID(), siteId: site.id, visitorId: visitor.id, departmentId: null }, now + i)).id);
    }
    for (const agentId of agentIds) await repos.agents.setDuty(agentId, 'available', Date.now());

    const nodes = [repos, ...(peer ? [peer.node.service.repos] : [])];
    const attempts: Promise<{ chatId: string; won: boolean }>[] = [];
    for (const chatId of chatIds) {
      for (const agentId of agentIds) {
        for (const node of nodes) attempts.push(node.chats.assign(chatId, agentId, Date.now(), null).then((won) => ({ chatId, won })));
      }
    }
    // Both nodes' queues drain at the same time too.
    const drains = [server.node.service.queue.drain(), ...(peer ? [peer.node.service.queue.drain()] : [])];
    const results = await Promise.all(attempts);
    await Promise.all(drains);

    const wins = new Map<string, number>();
    for (const result of results) if (result.won) wins.set(result.chatId, (wins.get(result.chatId) ?? 0) + 1);
    for (const count of wins.values()) expect(count).toBe(1);
    expect(await expectConsistent(repos, agentIds, 3)).toBe(12);
    const statuses = await repos.chats.findMany(chatIds);
    expect(statuses.filter((chat) => chat.status === 'assigned')).toHaveLength(12);
    expect(statuses.every((chat) => (chat.status === 'assigned') === (chat.assigneeId !== null))).toBe(true);

    // Freeing and re-filling seats concurrently keeps the books straight.
    const held = statuses.filter((chat) => chat.status === 'assigned');
    const closers = [server.node.service.closing, ...(peer ? [peer.node.service.closing] : [])];
    await Promise.all(held.slice(0, 6).map((chat, index) => closers[index % closers.length]?.close(chat.id, 'agent', chatEvent('chat_closed_by_agent'))));
    await Promise.all([server.node.service.queue.drain(), ...(peer ? [peer.node.service.queue.drain()] : [])]);
    expect(await expectConsistent(repos, agentIds, 3)).toBe(12);
    await peer?.stop();
  });
});
