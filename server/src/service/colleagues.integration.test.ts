import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, type ChatHistoryResponse } from '@switchboard/protocol';
import { serviceKit } from '../test/serviceKit.js';
import { startTestServer, TEST_STORES, type TestServer } from '../test/testServer.js';

describe.each(TEST_STORES)('colleagues helping on %s', (store) => {
  let server: TestServer;
  let kit: ReturnType<typeof serviceKit>;

  beforeAll(async () => {
    server = await startTestServer(store, { SWITCHBOARD_SERVICE_SWEEP_MS: '50' });
    kit = serviceKit(server);
  });
  afterEach(() => kit.reset());
  afterAll(() => server.stop());

  it('transfer to another agent: the chat and its history move, the first agent is told', async () => {
    const a = await kit.agent({ priority: 10 });
    const b = await kit.agent({ maxChats: 1 });
    await kit.rule('priority');
    const { visitor } = await kit.visitorChat('Moved', { message: 'need billing help' });
    const chatId = (await kit.assignedTo(a, 'Moved')).chat.id;
    a.socket.send({ type: 'visitor.transfer', ref: 't', chatId, to: { kind: 'agent', agentId: b.user.id } });
    await a.socket.next('ok', (frame) => frame.ref === 't');
    expect(await a.socket.waitFor('visitor.chat.removed', (frame) => frame.chatId === chatId)).toMatchObject({ reason: 'transferred' });
    await kit.assignedTo(b, 'Moved');
    await visitor.waitFor('v.chat', (frame) => frame.chat.agentName === `User ${b.user.username}`);
    const transferred = await visitor.waitFor('v.message', (frame) => frame.message.author === 'system' && frame.message.body.includes('Transferred'));
    expect(transferred.message).toMatchObject({ body: `Transferred to User ${b.user.username}.`, event: { code: 'transferred_agent', params: { agent: `User ${b.user.username}` } } });
    const history = await server.api<ChatHistoryResponse>(b.user, 'GET', `/api/service/chats/${chatId}/messages`);
    expect(history.body.messages.map((message) => message.body)).toContain('need billing help');
    // The old agent can no longer write in it.
    a.socket.send({ type: 'visitor.send', ref: 'late', chatId, clientId: newClientId(), body: 'me again' });
    expect((await a.socket.next('error', (frame) => frame.ref === 'late')).error.code).toBe('not_found');
    // A full agent cannot be handed another chat.
    await kit.visitorChat('Second');
    const secondId = (await kit.assignedTo(a, 'Second')).chat.id;
    a.socket.send({ type: 'visitor.transfer', ref: 'full', chatId: secondId, to: { kind: 'agent', agentId: b.user.id } });
    expect((await a.socket.next('error', (frame) => frame.ref === 'full')).error.code).toBe('conflict');
  });

  it('the widget offers a department as soon as the admin creates, renames or deletes it', async () => {
    const departmentsSeenBy = async () => (await server.visitor()).received('v.welcome')[0]?.config.departments;
    await departmentsSeenBy(); // the widget's settings are cached on the node from here on
    const created = await kit.service.admin.createDepartment(`Returns ${Math.random().toString(36).slice(2, 6)}`);
    expect(await departmentsSeenBy()).toContainEqual(created);
    const renamed = await kit.service.admin.renameDepartment(created.id, `${created.name} and refunds`);
    expect(await departmentsSeenBy()).toContainEqual(renamed);
    await kit.service.admin.deleteDepartment(created.id);
    expect((await departmentsSeenBy())?.map((department) => department.id)).not.toContain(created.id);
  });

  it('departments: the widget asks for one and a transfer moves a chat into one; routing stays inside it', async () => {
    const billing = await kit.service.admin.createDepartment(`Billing ${Math.random().toString(36).slice(2, 6)}`);
    const generalist = await kit.agent({ priority: 10 });
    await kit.rule('priority');
    const specialist = await kit.agent({ departmentIds: [billing.id] });
    await kit.visitorChat('Invoice', { departmentId: billing.id });
    await kit.assignedTo(specialist, 'Invoice');

    await kit.visitorChat('General');
    const chatId = (await kit.assignedTo(generalist, 'General')).chat.id;
    generalist.socket.send({ type: 'visitor.transfer', ref: 'd', chatId, to: { kind: 'department', departmentId: billing.id } });
    await generalist.socket.next('ok', (frame) => frame.ref === 'd');
    const moved = await kit.assignedTo(specialist, 'General');
    expect(moved.chat.departmentId).toBe(billing.id);
    expect(await generalist.socket.waitFor('visitor.chat.removed', (frame) => frame.chatId === chatId)).toMatchObject({ reason: 'transferred' });

    // Nobody of the department on duty: the widget cannot start a chat there.
    await kit.setDuty(specialist, 'off');
    const visitor = await server.visitor();
    expect(await visitor.request({ type: 'v.start', name: 'Nobody', departmentId: billing.id })).toMatchObject({ type: 'v.error', error: { code: 'unavailable' } });
  });

  it('invite a colleague: both agents see and answer the visitor; the colleague can leave again', async () => {
    const a = await kit.agent({ priority: 10 });
    const b = await kit.agent();
    await kit.rule('priority');
    const offDuty = await kit.agent({ status: 'none' });
    const { visitor } = await kit.visitorChat('Invited');
    const chatId = (await kit.assignedTo(a, 'Invited')).chat.id;

    a.socket.send({ type: 'visitor.invite', ref: 'off', chatId, agentId: offDuty.user.id });
    expect((await a.socket.next('error', (frame) => frame.ref === 'off')).error.code).toBe('conflict');
    a.socket.send({ type: 'visitor.invite', ref: 'i', chatId, agentId: b.user.id });
    await a.socket.next('ok', (frame) => frame.ref === 'i');
    const joined = await b.socket.waitFor('visitor.chat', (frame) => frame.chat.id === chatId);
    expect(joined.chat.agentIds).toEqual([a.user.id, b.user.id]);
    expect(joined.chat.assigneeId).toBe(a.user.id);

    b.socket.send({ type: 'visitor.send', ref: 'b', chatId, clientId: newClientId(), body: 'Colleague here' });
    await b.socket.next('visitor.ack', (frame) => frame.ref === 'b');
    await visitor.waitFor('v.message', (frame) => frame.message.body === 'Colleague here');
    await visitor.request({ type: 'v.send', clientId: newClientId(), body: 'Thanks both' });
    await a.socket.waitFor('visitor.message', (frame) => frame.message.body === 'Thanks both');
    await b.socket.waitFor('visitor.message', (frame) => frame.message.body === 'Thanks both');
    // Invites are internal: the visitor never sees the line.
    await visitor.roundTrip();
    expect(JSON.stringify(visitor.frames)).not.toContain('invited');

    b.socket.send({ type: 'visitor.close', ref: 'leave', chatId });
    await b.socket.next('ok', (frame) => frame.ref === 'leave');
    expect(await b.socket.waitFor('visitor.chat.removed', (frame) => frame.chatId === chatId)).toMatchObject({ reason: 'left' });
    const leftLine = await a.socket.waitFor('visitor.message', (frame) => frame.message.chatId === chatId && frame.message.event?.code === 'agent_left');
    expect(leftLine.message).toMatchObject({ body: `User ${b.user.username} left the chat.`, event: { params: { agent: `User ${b.user.username}` } } });
    expect((await kit.service.repos.chats.find(chatId))?.status).toBe('assigned');
  });

  it('ask a colleague: a help request with a link to the chat arrives in their IM direct chat', async () => {
    const agent = await kit.agent();
    const colleague = await server.createUser(['employee']);
    const colleagueSocket = await server.connect(colleague);
    await kit.visitorChat('Asker', { email: 'asker@example.com', message: 'Which plan fits a team of 40?' });
    const chatId = (await kit.assignedTo(agent, 'Asker')).chat.id;

    const asked = await server.api<{ conversationId: string; messageId: string }>(agent.user, 'POST', `/api/service/chats/${chatId}/ask`, { userId: colleague.id, note: 'Do you know our team pricing?' });
    expect(asked.status).toBe(200);
    const delivered = await colleagueSocket.waitFor('message', (frame) => frame.message.id === asked.body.messageId);
    expect(delivered.message.conversationId).toBe(asked.body.conversationId);
    expect(delivered.message.senderId).toBe(agent.user.id);
    expect(delivered.message.body).toContain(`/app/#/visitors/${chatId}`);
    expect(delivered.message.body).toContain('Do you know our team pricing?');
    expect(delivered.message.body).toContain('asker@example.com');
    expect(delivered.message.body).toContain('Which plan fits a team of 40?');
    // An internal line records it; the visitor never sees it.
    await agent.socket.waitFor('visitor.message', (frame) => frame.message.chatId === chatId && frame.message.body.includes('for help'));

    // Only an agent in the chat can ask about it.
    const outsider = await kit.agent({ status: 'none' });
    expect((await server.api(outsider.user, 'POST', `/api/service/chats/${chatId}/ask`, { userId: colleague.id })).status).toBe(404);
    expect((await server.api(colleague, 'POST', `/api/service/chats/${chatId}/ask`, { userId: agent.user.id })).status).toBe(403);
  });

  it('reply timeout: an assignee who does not answer in time has the chat offered to the next agent, history included', async () => {
    await kit.rule('round_robin', 0.3);
    const first = await kit.agent();
    const second = await kit.agent();
    const { visitor } = await kit.visitorChat('Impatient', { message: 'hello? anyone?' });
    const assigned = await Promise.race([kit.assignedTo(first, 'Impatient'), kit.assignedTo(second, 'Impatient')]);
    const [slow, next] = assigned.chat.assigneeId === first.user.id ? [first, second] : [second, first];
    const chatId = assigned.chat.id;
    expect(await slow.socket.waitFor('visitor.chat.removed', (frame) => frame.chatId === chatId)).toMatchObject({ reason: 'reply_timeout' });
    await kit.assignedTo(next, 'Impatient');
    const history = await server.api<ChatHistoryResponse>(next.user, 'GET', `/api/service/chats/${chatId}/messages`);
    expect(history.body.messages.map((message) => message.body)).toContain('hello? anyone?');
    // A reply stops the clock.
    next.socket.send({ type: 'visitor.send', ref: 'r', chatId, clientId: newClientId(), body: 'Here!' });
    await next.socket.next('visitor.ack', (frame) => frame.ref === 'r');
    await visitor.waitFor('v.message', (frame) => frame.message.body === 'Here!');
    const chat = await kit.service.repos.chats.find(chatId);
    expect(chat).toMatchObject({ assigneeId: next.user.id, replyDueAt: null });
    expect(chat?.firstResponseAt).not.toBeNull();
    expect(chat?.missedAgentIds).toEqual([slow.user.id]);
  });

  it('a returning visitor goes back to their last agent only while that agent is on duty with room', async () => {
    await kit.rule('round_robin');
    const a = await kit.agent();
    const b = await kit.agent();
    const { visitor } = await kit.visitorChat('Regular');
    const firstAssigned = await Promise.race([kit.assignedTo(a, 'Regular'), kit.assignedTo(b, 'Regular')]);
    const [usual, otherAgent] = firstAssigned.chat.assigneeId === a.user.id ? [a, b] : [b, a];
    await visitor.request({ type: 'v.close' });
    // Round-robin would pick the other agent now; the regular goes back to their agent.
    const again = visitor.next('v.chat', (frame) => frame.chat.status === 'assigned');
    await visitor.request({ type: 'v.start', name: 'Regular', message: 'me again' });
    expect((await again).chat.agentName).toBe(`User ${usual.user.username}`);
    await visitor.request({ type: 'v.close' });

    await kit.setDuty(usual, 'away');
    const third = visitor.next('v.chat', (frame) => frame.chat.status === 'assigned');
    await visitor.request({ type: 'v.start', name: 'Regular', message: 'and again' });
    expect((await third).chat.agentName).toBe(`User ${otherAgent.user.username}`);
  });

  it('earlier conversations of a visitor and transcript search are there for agents', async () => {
    const agent = await kit.agent();
    const { visitor } = await kit.visitorChat('Historian', { message: 'my parcel 99881 is late' });
    const first = await kit.assignedTo(agent, 'Historian');
    await visitor.request({ type: 'v.close' });
    await visitor.request({ type: 'v.start', name: 'Historian', message: 'another question' });
    const earlier = await server.api<{ chats: { id: string; status: string }[] }>(agent.user, 'GET', `/api/service/visitors/${first.chat.visitor.id}/chats`);
    expect(earlier.body.chats).toHaveLength(2);
    expect(earlier.body.chats[1]).toMatchObject({ id: first.chat.id, status: 'closed' });

    const found = await server.api<{ chats: { id: string }[] }>(agent.user, 'GET', '/api/service/transcripts?q=PARCEL%2099881');
    expect(found.body.chats.map((chat) => chat.id)).toEqual([first.chat.id]);
    const byName = await server.api<{ chats: { id: string }[] }>(agent.user, 'GET', '/api/service/transcripts?q=historian&status=all');
    expect(byName.body.chats.map((chat) => chat.id)).toContain(first.chat.id);
    const wildcard = await server.api<{ chats: unknown[] }>(agent.user, 'GET', '/api/service/transcripts?q=%25%25%25');
    expect(wildcard.body.chats).toHaveLength(0);
    const employee = await server.createUser(['employee']);
    expect((await server.api(employee, 'GET', '/api/service/transcripts?q=parcel')).status).toBe(403);
  });
});
