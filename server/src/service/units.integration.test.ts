import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newClientId } from '@switchboard/protocol';
import { serviceKit } from '../test/serviceKit.js';
import { startTestServer, TEST_STORES, type TestServer } from '../test/testServer.js';
import { chatEvent } from './announce.js';
import { visitorTokenHash } from './visitorSessions.js';
import { queuedChat } from './store/chats.js';
import type { ServiceRepositories } from './store/index.js';
import { attempt } from './store/writes.js';

/** A change and what it stores with it (the first message, the "joined" and "closed" lines) are one unit of work. */
describe.each(TEST_STORES)('units of work on %s', (store) => {
  let server: TestServer;
  let kit: ReturnType<typeof serviceKit>;
  let repos: ServiceRepositories;

  beforeAll(async () => {
    // No sweeper drains behind the tests' back.
    server = await startTestServer(store, { SWITCHBOARD_SERVICE_SWEEP_MS: '60000' });
    kit = serviceKit(server);
    repos = kit.service.repos;
  });
  afterEach(() => kit.reset());
  afterAll(() => server.stop());

  const linesOf = async (chatId: string) => (await repos.messages.before(chatId, undefined, 50, false)).messages.map((message) => message.event?.code ?? message.body);

  async function newVisitor(): Promise<{ id: string; siteId: string }> {
    const site = await repos.sites.findByKey('demo');
    if (!site) throw new Error('no demo site');
    return repos.visitors.create({ id: randomUUID(), siteId: site.id, tokenHash: randomUUID(), page: null, userAgent: null, language: null }, Date.now());
  }

  it('a chat is stored with its first message and the assignment with its "joined" line; a start whose message cannot be stored stores nothing', async () => {
    const agent = await kit.agent();
    const visitor = await server.visitor();
    const clientId = newClientId();
    expect(await visitor.request({ type: 'v.start', name: 'Unit', message: 'first words', clientId })).toMatchObject({ type: 'v.ok' });
    const visitorId = (await repos.visitors.findByTokenHash(visitorTokenHash(visitor.token ?? '')))?.id ?? '';
    const chat = await repos.chats.openForVisitor(visitorId);
    expect(chat).toMatchObject({ status: 'assigned', assigneeId: agent.user.id, lastSeq: 2 });
    expect(await linesOf(chat?.id ?? '')).toEqual(['first words', 'agent_joined']);
    // The agent hears of it in the order it happened: the chat with the visitor's opening words (what a desk notifies with), then the line.
    const assigned = await kit.assignedTo(agent, 'Unit');
    expect(assigned.chat).toMatchObject({ lastSeq: 1, lastMessage: { author: 'visitor', body: 'first words' } });
    expect((await agent.socket.waitFor('visitor.message', (frame) => frame.message.chatId === chat?.id)).message).toMatchObject({ seq: 2, event: { code: 'agent_joined' } });
    expect(await visitor.request({ type: 'v.close' })).toMatchObject({ type: 'v.ok' });
    expect(await linesOf(chat?.id ?? '')).toEqual(['first words', 'agent_joined', 'chat_closed_by_visitor']);

    // The same client id again, in a new chat: the message is refused, and with it the chat and the new name.
    expect(await visitor.request({ type: 'v.start', name: 'Renamed', message: 'again', clientId })).toMatchObject({ type: 'v.error', error: { code: 'conflict' } });
    expect(await repos.chats.openForVisitor(visitorId)).toBeUndefined();
    expect((await repos.visitors.find(visitorId))?.name).toBe('Unit');

    // In the next chat, a message with that client id is refused too, and nothing is stored; a resend of a new one is stored once.
    expect(await visitor.request({ type: 'v.start', name: 'Unit', message: 'second chat', clientId: newClientId() })).toMatchObject({ type: 'v.ok' });
    const next = await repos.chats.openForVisitor(visitorId);
    expect(await visitor.request({ type: 'v.send', clientId, body: 'reused id' })).toMatchObject({ type: 'v.error', error: { code: 'conflict' } });
    const resent = newClientId();
    const acks = [await visitor.request({ type: 'v.send', clientId: resent, body: 'said twice' }), await visitor.request({ type: 'v.send', clientId: resent, body: 'said twice' })];
    expect(acks[1]).toMatchObject({ type: 'v.ack', messageId: (acks[0] as { messageId?: string }).messageId });
    const lines = await linesOf(next?.id ?? '');
    expect(lines.filter((line) => line === 'reused id' || line === 'said twice')).toEqual(['said twice']);
    expect((await repos.chats.find(next?.id ?? ''))?.lastSeq).toBe(lines.length); // the refused write took no seq
  });

  it('units started together: each is stored whole or not at all, and one that fails rolls back alone', async () => {
    const [first, failing, third] = await Promise.all([newVisitor(), newVisitor(), newVisitor()]);
    const chatOf = (visitor: { id: string; siteId: string }) => ({ id: randomUUID(), siteId: visitor.siteId, visitorId: visitor.id, departmentId: null });
    const message = (chatId: string, visitorId: string) => ({ chatId, author: 'visitor' as const, agentId: null, authorName: null, senderKey: `v:${visitorId}`, clientId: newClientId(), body: 'hi', visible: true });
    const [a, b, c] = [chatOf(first), chatOf(failing), chatOf(third)];
    const outcomes = await Promise.allSettled([
      repos.writes.run(async (trx) => {
        await repos.chats.createIn(trx, a, Date.now());
        return repos.messages.appendIn(trx, message(a.id, first.id), Date.now());
      }),
      repos.writes.run(async (trx) => {
        await repos.chats.createIn(trx, b, Date.now());
        await repos.messages.appendIn(trx, message(b.id, failing.id), Date.now());
        throw new Error('the unit fails after its writes');
      }),
      repos.writes.run((trx) => repos.chats.createIn(trx, c, Date.now())),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'the unit fails after its writes' });
    expect(await repos.chats.find(a.id)).toMatchObject({ lastSeq: 1 });
    expect(await linesOf(a.id)).toEqual(['hi']);
    expect(await repos.chats.find(b.id)).toBeUndefined();
    expect(await linesOf(b.id)).toEqual([]);
    expect(await repos.chats.find(c.id)).toMatchObject({ status: 'queued', lastSeq: 0 });
    for (const id of [a.id, c.id]) await kit.service.closing.close(id, 'system', chatEvent('chat_closed_missed'));
  });

  it('a message is stored once however often it is sent, and a resend after its chat closed is still its original', async () => {
    const visitor = await newVisitor();
    const chat = { id: randomUUID(), siteId: visitor.siteId, visitorId: visitor.id, departmentId: null };
    await repos.writes.run((trx) => repos.chats.createIn(trx, chat, Date.now()));
    const message = { chatId: chat.id, author: 'visitor' as const, agentId: null, authorName: null, senderKey: `v:${visitor.id}`, clientId: newClientId(), body: 'only once', visible: true };
    const sent = await Promise.all([1, 2, 3].map(() => repos.messages.append(message, Date.now())));
    expect(sent.map((outcome) => outcome.status).sort()).toEqual(['duplicate', 'duplicate', 'stored']);
    const stored = sent.find((outcome) => outcome.status === 'stored');
    await kit.service.closing.close(chat.id, 'system', chatEvent('chat_closed_missed'));
    const late = await repos.messages.append(message, Date.now());
    expect(late).toMatchObject({ status: 'duplicate', message: { id: stored?.status === 'stored' ? stored.message.id : 'none', seq: 1 } });
    expect(await repos.messages.append({ ...message, clientId: newClientId() }, Date.now())).toEqual({ status: 'closed' });
    expect(await linesOf(chat.id)).toEqual(['only once', 'chat_closed_missed']);
  });

  it('an assignment the database refuses stores no "joined" line', async () => {
    const agent = await kit.agent({ maxChats: 1 });
    const held = await kit.visitorChat('Holder');
    const waiting = await kit.visitorChat('Waiter');
    expect([held.chat.status, waiting.chat.status]).toEqual(['assigned', 'queued']);
    const refused = await attempt(repos.writes, async (trx) => {
      await repos.chats.assignIn(trx, waiting.chat.id, agent.user.id, Date.now(), null);
      return kit.service.lines.storeIn(trx, waiting.chat.id, chatEvent('agent_joined'), true);
    });
    expect(refused).toBeUndefined();
    expect(await linesOf(waiting.chat.id)).toEqual(['Hello from Waiter']);
    expect((await repos.agents.find(agent.user.id))?.activeChats).toBe(1);
  });

  it('a chat created while nobody waits takes its seat in the same unit; one created behind a waiting chat, or for a full agent, stays queued with nothing written', async () => {
    const agent = await kit.agent({ maxChats: 1 });
    const held = await kit.visitorChat('Seated');
    expect(held.chat).toMatchObject({ status: 'assigned', agentName: `User ${agent.user.username}` });
    expect(await linesOf(held.chat.id)).toEqual(['Hello from Seated', 'agent_joined']);

    const arrive = async (agentId: string) => {
      const visitor = await newVisitor();
      const chat = queuedChat({ id: randomUUID(), siteId: visitor.siteId, visitorId: visitor.id, departmentId: null }, Date.now());
      const assigned = await repos.writes.run(async (trx) => {
        await repos.chats.createIn(trx, chat, chat.createdAt);
        return repos.chats.assignArrivingIn(trx, chat, agentId, Date.now(), null);
      });
      return { chat, assigned };
    };
    // The agent is full: nothing written, the chat waits.
    const full = await arrive(agent.user.id);
    expect(full.assigned).toBe(false);
    expect(await repos.chats.find(full.chat.id)).toMatchObject({ status: 'queued', assigneeId: null });
    expect((await repos.agents.find(agent.user.id))?.activeChats).toBe(1);
    // A seat frees up (no drain yet), but a chat waits ahead of the newcomer: the newcomer waits too.
    const before = await repos.chats.find(held.chat.id);
    if (!before) throw new Error('the held chat is gone');
    expect(await attempt(repos.writes, (trx) => repos.chats.closeIn(trx, before, 'agent', Date.now()))).toBeDefined();
    const behind = await arrive(agent.user.id);
    expect(behind.assigned).toBe(false);
    expect((await repos.agents.find(agent.user.id))?.activeChats).toBe(0);
    // The drain gives the seat to the longest waiter.
    await kit.service.queue.drain();
    expect(await repos.chats.find(full.chat.id)).toMatchObject({ status: 'assigned', assigneeId: agent.user.id });
    expect(await repos.chats.find(behind.chat.id)).toMatchObject({ status: 'queued' });
  });

  it('two closes of one chat at once: one of them closes it, with one "closed" line, and the seat is freed once', async () => {
    const agent = await kit.agent({ maxChats: 2 });
    const { chat } = await kit.visitorChat('Twice');
    const closed = await Promise.all([
      kit.service.closing.close(chat.id, 'visitor', chatEvent('chat_closed_by_visitor')),
      kit.service.closing.close(chat.id, 'agent', chatEvent('chat_closed_by_agent')),
    ]);
    expect(closed.filter(Boolean)).toHaveLength(1);
    const lines = await linesOf(chat.id);
    expect(lines.filter((line) => line === 'chat_closed_by_visitor' || line === 'chat_closed_by_agent')).toHaveLength(1);
    expect((await repos.agents.find(agent.user.id))?.activeChats).toBe(0);
  });
});
