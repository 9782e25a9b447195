import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, ServerFrame } from '@switchboard/protocol';
import { serviceKit } from '../test/serviceKit.js';
import { startTestServer, TEST_STORES, type TestServer } from '../test/testServer.js';

describe.each(TEST_STORES)('customer-service routing on %s', (store) => {
  let server: TestServer;
  let kit: ReturnType<typeof serviceKit>;

  beforeAll(async () => {
    server = await startTestServer(store, { SWITCHBOARD_SERVICE_SWEEP_MS: '50' });
    kit = serviceKit(server);
  });
  afterEach(() => kit.reset());
  afterAll(() => server.stop());

  it('the widget shows the desk online as soon as an agent goes on duty, and offline as soon as the last one leaves', async () => {
    const onlineSeenBy = async () => (await server.visitor()).received('v.welcome')[0]?.config.online;
    expect(await onlineSeenBy()).toBe(false); // the answer is cached on the node from here on
    const agent = await kit.agent();
    expect(await onlineSeenBy()).toBe(true);
    await kit.setDuty(agent, 'off');
    expect(await onlineSeenBy()).toBe(false);
  });

  it('an agent who answered "No" gets no visitors; with nobody on duty the visitor leaves a message', async () => {
    const no = await kit.agent({ status: 'none' });
    const lonely = await server.visitor();
    expect(lonely.received('v.welcome')[0]?.config.online).toBe(false);
    const refused = await lonely.request({ type: 'v.start', name: 'Early', message: 'anyone?' });
    expect(refused).toMatchObject({ type: 'v.error', error: { code: 'unavailable' } });
    expect(await lonely.request({ type: 'v.offline', name: 'Early', email: 'early@example.com', message: 'Call me back' })).toMatchObject({ type: 'v.ok' });
    const inbox = await kit.service.offline.list('open', undefined, 50);
    expect(inbox.messages).toContainEqual(expect.objectContaining({ name: 'Early', email: 'early@example.com', message: 'Call me back' }));

    const yes = await kit.agent();
    for (const name of ['V1', 'V2', 'V3']) {
      const { chat } = await kit.visitorChat(name);
      expect(chat.status).toBe('assigned');
      await kit.assignedTo(yes, name);
    }
    await no.socket.roundTrip();
    expect(no.socket.received('visitor.chat')).toHaveLength(0);
    expect(no.socket.received('duty').map((frame) => frame.status)).toEqual(['off']);
  });

  it('round_robin: two agents get visitors alternately', async () => {
    await kit.rule('round_robin');
    const a = await kit.agent();
    const b = await kit.agent();
    const assignees: string[] = [];
    for (const name of ['R1', 'R2', 'R3', 'R4']) {
      await kit.visitorChat(name);
      const chat = await kit.service.repos.chats.queued(1); // nobody should be waiting
      expect(chat).toHaveLength(0);
      const frame = await Promise.race([kit.assignedTo(a, name), kit.assignedTo(b, name)]);
      assignees.push(frame.chat.assigneeId ?? '');
    }
    expect(new Set(assignees).size).toBe(2);
    expect(assignees[0]).not.toBe(assignees[1]);
    expect(assignees[2]).toBe(assignees[0]);
    expect(assignees[3]).toBe(assignees[1]);
  });

  it('priority: the higher-priority agent gets every visitor until full', async () => {
    await kit.rule('priority');
    const low = await kit.agent({ priority: 0, maxChats: 5 });
    const high = await kit.agent({ priority: 10, maxChats: 2 });
    await kit.visitorChat('P1');
    await kit.assignedTo(high, 'P1');
    await kit.visitorChat('P2');
    await kit.assignedTo(high, 'P2');
    await kit.visitorChat('P3');
    await kit.assignedTo(low, 'P3');
    await kit.visitorChat('P4');
    await kit.assignedTo(low, 'P4');
    expect((await kit.service.repos.agents.find(high.user.id))?.activeChats).toBe(2);
  });

  it('least_busy: new visitors go to the agent with the fewest chats', async () => {
    await kit.rule('priority');
    const busy = await kit.agent({ priority: 5 });
    const idle = await kit.agent({ priority: 0 });
    await kit.visitorChat('L1');
    await kit.visitorChat('L2');
    await kit.assignedTo(busy, 'L2');
    await kit.rule('least_busy');
    await kit.visitorChat('L3');
    await kit.assignedTo(idle, 'L3');
    await kit.visitorChat('L4');
    await kit.assignedTo(idle, 'L4');
    await kit.visitorChat('L5');
    await kit.visitorChat('L6');
    const loads = await kit.service.repos.agents.findMany([busy.user.id, idle.user.id]);
    expect(loads.map((agent) => agent.activeChats)).toEqual([3, 3]);
  });

  it('relays messages and typing both ways, acknowledging after commit', async () => {
    const agent = await kit.agent();
    const { visitor } = await kit.visitorChat('Relay', { message: 'Do you ship to Norway?' });
    const assigned = await kit.assignedTo(agent, 'Relay');
    const chatId = assigned.chat.id;
    expect(assigned.chat.visitor).toMatchObject({ name: 'Relay', online: true, page: { url: 'https://shop.example/pricing', referrer: 'https://search.example/' } });
    const history = await server.api<{ messages: { body: string; author: string }[] }>(agent.user, 'GET', `/api/service/chats/${chatId}/messages`);
    expect(history.body.messages.map((message) => message.body)).toContain('Do you ship to Norway?');

    visitor.send({ type: 'v.typing', state: 'start' });
    expect(await agent.socket.next('visitor.typing')).toMatchObject({ chatId, state: 'start' });
    agent.socket.send({ type: 'visitor.typing', chatId, state: 'start' });
    expect(await visitor.next('v.typing')).toMatchObject({ state: 'start' });

    const clientId = newClientId();
    agent.socket.send({ type: 'visitor.send', ref: 'reply', chatId, clientId, body: 'Yes, in 3 days.' });
    const ack = await agent.socket.next('visitor.ack', (frame) => frame.ref === 'reply');
    expect(ack).toMatchObject({ chatId, clientId });
    const seen = await visitor.waitFor('v.message', (frame) => frame.message.body === 'Yes, in 3 days.');
    expect(seen.message).toMatchObject({ id: ack.messageId, seq: ack.seq, author: 'agent', agentId: null, clientId: null });
    // A resend with the same client id is acknowledged with the same message and not delivered again.
    agent.socket.send({ type: 'visitor.send', ref: 'again', chatId, clientId, body: 'Yes, in 3 days.' });
    expect((await agent.socket.next('visitor.ack', (frame) => frame.ref === 'again')).messageId).toBe(ack.messageId);

    const visitorClientId = newClientId();
    const visitorAck = await visitor.request({ type: 'v.send', clientId: visitorClientId, body: 'Great, thanks' });
    expect(visitorAck).toMatchObject({ type: 'v.ack', clientId: visitorClientId });
    expect((await agent.socket.waitFor('visitor.message', (frame) => frame.message.body === 'Great, thanks')).message).toMatchObject({ author: 'visitor', chatId });

    // Internal notes reach agents only.
    agent.socket.send({ type: 'visitor.note', ref: 'note', chatId, clientId: newClientId(), body: 'VIP customer' });
    await agent.socket.next('visitor.ack', (frame) => frame.ref === 'note');
    await visitor.roundTrip();
    expect(visitor.frames.some((frame) => JSON.stringify(frame).includes('VIP customer'))).toBe(false);
    await visitor.roundTrip();
    expect(visitor.received('v.message').every((frame) => frame.message.author !== 'note')).toBe(true);

    // Every frame either side got matches the protocol's schemas (clients drop frames that do not).
    await agent.socket.roundTrip();
    expect(agent.socket.frames.filter((frame) => !ServerFrame.safeParse(frame).success)).toEqual([]);
    expect(visitor.invalid).toEqual([]);
  });

  it('queue: with every agent full the visitor waits and sees their place; the longest waiter gets the first free seat', async () => {
    const a = await kit.agent({ maxChats: 1 });
    const b = await kit.agent({ maxChats: 1 });
    const first = await kit.visitorChat('Q1');
    await kit.visitorChat('Q2');
    const third = await kit.visitorChat('Q3');
    const fourth = await kit.visitorChat('Q4');
    expect(third.chat).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect(fourth.chat).toMatchObject({ status: 'queued', queuePosition: 2 });

    // Q1 ends their chat: their agent takes Q3 (the longest waiter) at once; Q4 moves up.
    const firstAgent = (await kit.service.repos.chats.find(first.chat.id))?.assigneeId;
    const freed = firstAgent === a.user.id ? a : b;
    expect(await first.visitor.request({ type: 'v.close' })).toMatchObject({ type: 'v.ok' });
    await kit.assignedTo(freed, 'Q3');
    expect((await third.visitor.waitFor('v.chat', (frame) => frame.chat.status === 'assigned')).chat.agentName).toBe(`User ${freed.user.username}`);
    await fourth.visitor.waitFor('v.chat', (frame) => frame.chat.queuePosition === 1);

    // An agent coming on duty takes the next waiter at once.
    const c = await kit.agent();
    await kit.assignedTo(c, 'Q4');
  });
});
