import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expect as expectPage } from './expectPage.js';
import { startE2E, type E2E } from './harness.js';
import type { TestUser } from '../server/src/test/testServer.js';

const XSS_IMG = '<img src=x onerror="window.__pwned=1">';
const XSS_SCRIPT = '<script>window.__pwned=1</script>';

async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
}

/** Elements a payload would have created if it had been parsed as HTML (the widget's shadow root included). */
async function injected(page: Page): Promise<number> {
  return page.evaluate(() => {
    const roots: (Document | ShadowRoot)[] = [document];
    for (const host of document.querySelectorAll('*')) if (host.shadowRoot) roots.push(host.shadowRoot);
    let count = 0;
    for (const root of roots) {
      count += root.querySelectorAll('img[src="x"], img[onerror]').length;
      count += [...root.querySelectorAll('script')].filter((script) => script.textContent?.includes('__pwned')).length;
      count += root.querySelectorAll('a[href^="javascript:"]').length;
    }
    return count;
  });
}

/** Customer service in the browser beyond the happy path: "No" at the prompt, reloads, notes, hostile input. */
describe('customer service in the browser', () => {
  let e2e: E2E;
  let dan: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    e2e = await startE2E({ SWITCHBOARD_VISITOR_GRACE_MS: '3000', SWITCHBOARD_SERVICE_SWEEP_MS: '100' });
    dan = await e2e.server.createUser(['agent'], 'dan');
    carol = await e2e.server.createUser(['agent'], 'carol');
  });
  afterAll(() => e2e?.stop());

  it('an agent who answers No gets plain IM and no visitors; the visitor is offered the offline form', async () => {
    const agent = await e2e.loginAs(dan);
    const prompt = agent.page.getByTestId('duty-prompt');
    await expectPage(prompt).toBeVisible();
    // Keyboard: "Yes" has focus; Shift+Tab reaches "No".
    await expectPage(prompt.getByRole('button', { name: 'Yes' })).toBeVisible();
    expect(await agent.page.evaluate(() => document.activeElement?.textContent)).toBe('Yes');
    await agent.page.keyboard.press('Shift+Tab');
    expect(await agent.page.evaluate(() => document.activeElement?.textContent)).toBe('No');
    await agent.page.keyboard.press('Enter');
    await expectPage(prompt).toHaveCount(0);
    await expectPage(agent.page.getByTestId('duty-status')).toHaveAttribute('data-duty', 'off');
    await expectPage(agent.page.getByTestId('section-visitors')).toHaveCount(0);

    const visitor = await e2e.openVisitor();
    await visitor.page.getByTestId('sb-launcher').click();
    await expectPage(visitor.page.getByTestId('sb-offline-form')).toBeVisible();
    await expectPage(visitor.page.getByTestId('sb-input')).toBeHidden();
    await expectPage(agent.page.getByTestId('section-visitors')).toHaveCount(0);
    await visitor.context.close();
    await agent.context.close();
  });

  it('after a dropped connection the agent catches up and the reply typed meanwhile goes out once; off duty from the status menu', async () => {
    const frank = await e2e.server.createUser(['agent'], 'frank');
    const agent = await e2e.loginAs(frank);
    await agent.page.getByTestId('duty-prompt').getByRole('button', { name: 'Yes' }).click();
    await expectPage(agent.page.getByTestId('duty-status')).toHaveAttribute('data-duty', 'available');
    const raw = await e2e.server.visitor();
    await raw.request({ type: 'v.start', message: 'Before the drop', clientId: 'drop-0000001' });
    const item = agent.page.getByTestId('section-visitors').locator('[data-testid^="visitor-chat-"]');
    await expectPage(item).toHaveCount(1);
    await item.click();
    const pane = agent.page.getByTestId('visitor-chat');
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: 'Before the drop' })).toHaveCount(1);

    // The server drops the agent's socket (a restart); a visitor message and a reply cross the gap.
    for (const connection of e2e.server.node.ws.registry.ofUser(frank.id) ?? []) connection.close(1012, 'restart');
    await raw.request({ type: 'v.send', clientId: 'drop-0000002', body: 'Sent while you were away' });
    const reply = agent.page.getByRole('textbox', { name: 'Reply to visitor' });
    await reply.fill('Typed during the drop');
    await reply.press('Enter');
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: 'Sent while you were away' })).toHaveCount(1);
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: 'Typed during the drop' })).toHaveCount(1);
    await expectPage(pane.getByTestId('visitor-message-pending')).toHaveCount(0);
    await raw.waitFor('v.message', (frame) => frame.message.body === 'Typed during the drop');
    await raw.roundTrip();
    expect(raw.received('v.message').filter((frame) => frame.message.body === 'Typed during the drop')).toHaveLength(1);

    // Off duty from the status menu: the open chat goes back to routing and leaves the list.
    await agent.page.getByRole('button', { name: 'Customer service status: Available' }).click();
    await agent.page.getByRole('menuitemradio', { name: /Off duty/ }).click();
    await expectPage(agent.page.getByTestId('duty-status')).toHaveAttribute('data-duty', 'off');
    await expectPage(agent.page.getByTestId('section-visitors')).toHaveCount(0);
    await raw.request({ type: 'v.close' });
    await agent.context.close();
  });

  it('reloads keep everything: the visitor keeps the chat, the agent keeps duty without being asked again', async () => {
    const agent = await e2e.loginAs(carol);
    await agent.page.getByTestId('duty-prompt').getByRole('button', { name: 'Yes' }).click();
    await expectPage(agent.page.getByTestId('duty-status')).toHaveAttribute('data-duty', 'available');

    const visitor = await e2e.openVisitor();
    await visitor.page.getByTestId('sb-launcher').click();
    const input = visitor.page.getByTestId('sb-input');
    await input.fill('First question before a reload');
    await input.press('Enter');
    const items = agent.page.getByTestId('section-visitors').locator('[data-testid^="visitor-chat-"]');
    await expectPage(items).toHaveCount(1);
    await items.first().click();
    const pane = agent.page.getByTestId('visitor-chat');
    const chatId = await pane.getAttribute('data-chat-id');

    // An internal note stays with the agents.
    await pane.getByRole('button', { name: 'Note' }).click();
    const note = agent.page.getByRole('textbox', { name: 'Internal note' });
    await note.fill('Probably a returning customer');
    await note.press('Enter');
    const noteRow = pane.getByTestId('visitor-message').filter({ hasText: 'Probably a returning customer' });
    await expectPage(noteRow).toHaveAttribute('data-author', 'note');
    await expectPage(noteRow).toContainText('Internal note — the visitor can’t see this');
    await pane.getByRole('button', { name: 'Reply', exact: true }).click();
    const reply = agent.page.getByRole('textbox', { name: 'Reply to visitor' });
    await reply.fill('Hello, I am here.');
    await reply.press('Enter');
    await expectPage(visitor.page.getByTestId('sb-message').filter({ hasText: 'Hello, I am here.' })).toHaveCount(1);
    expect(await visitor.page.getByTestId('sb-message').filter({ hasText: 'returning customer' }).count()).toBe(0);

    // The visitor reloads: same chat, same history, and it goes on.
    await visitor.page.reload();
    await expectPage(visitor.page.getByTestId('sb-message').filter({ hasText: 'First question before a reload' })).toHaveCount(1);
    await expectPage(visitor.page.getByTestId('sb-message').filter({ hasText: 'Hello, I am here.' })).toHaveCount(1);
    await visitor.page.getByTestId('sb-input').fill('Second question after the reload');
    await visitor.page.getByTestId('sb-input').press('Enter');
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: 'Second question after the reload' })).toHaveCount(1);
    await expectPage(items).toHaveCount(1);
    await expectPage(pane.getByTestId('visitor-left')).toHaveCount(0);

    // The agent reloads: no prompt (the session resumed), still on duty, the chat is still there.
    await agent.page.reload();
    await expectPage(agent.page.getByTestId('duty-status')).toHaveAttribute('data-duty', 'available');
    await expectPage(agent.page.getByTestId('visitor-chat')).toHaveAttribute('data-chat-id', chatId ?? '');
    await expectPage(agent.page.getByTestId('visitor-message').filter({ hasText: 'Second question after the reload' })).toHaveCount(1);
    await expectPage(agent.page.getByTestId('visitor-message').filter({ hasText: 'Probably a returning customer' })).toHaveCount(1);
    expect(await agent.page.getByTestId('duty-prompt').count()).toBe(0);

    await agent.page.getByTestId('visitor-chat').getByRole('button', { name: 'End chat' }).click();
    await agent.page.getByRole('dialog', { name: 'End this chat?' }).getByRole('button', { name: 'End chat' }).click();
    await expectPage(visitor.page.getByTestId('sb-closed')).toBeVisible();
    await visitor.context.close();
    await agent.context.close();
  });

  it('visitor-provided names, pages and messages render as inert text for the agent and the visitor', async () => {
    // Still on duty from the last test (within the agent grace period): logging in again does not ask.
    const agent = await e2e.loginAs(carol);
    await expectPage(agent.page.getByTestId('duty-status')).toHaveAttribute('data-duty', 'available');
    await expectPage(agent.page.getByTestId('section-visitors')).toBeVisible();
    expect(await agent.page.getByTestId('duty-prompt').count()).toBe(0);

    // A hand-made visitor (the raw /visitor protocol) with hostile name, page and referrer.
    const raw = await e2e.server.visitor({
      page: { url: 'javascript:window.__pwned=1', title: XSS_IMG, referrer: 'javascript:window.__pwned=2' },
      language: 'en',
    });
    const started = await raw.request({ type: 'v.start', name: '<img src=x onerror=window.__pwned=1>', message: XSS_SCRIPT, clientId: 'xss-start-0001' });
    expect(started.type).not.toBe('v.error');

    // The chat of the last test is under "Recent" (closed chats of the agent come back after a login).
    await expectPage(agent.page.getByTestId('visitors-recent').locator('[data-testid^="visitor-chat-"]')).toHaveCount(1);
    const items = agent.page.getByTestId('section-visitors').locator('[data-testid^="visitor-chat-"][data-status="assigned"]');
    await expectPage(items).toHaveCount(1);
    await expectPage(items.first()).toContainText('<img src=x onerror=window.__pwned=1>');
    await items.first().click();
    const pane = agent.page.getByTestId('visitor-chat');
    await expectPage(pane.getByTestId('visitor-chat-title')).toHaveText('<img src=x onerror=window.__pwned=1>');
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: XSS_SCRIPT })).toHaveCount(1);
    const info = pane.getByTestId('visitor-info');
    await expectPage(info.getByTestId('visitor-info-page')).toContainText('javascript:window.__pwned=1');
    await expectPage(info.getByTestId('visitor-info-page')).toContainText(XSS_IMG);
    expect(await info.getByTestId('visitor-info-page').locator('a').count()).toBe(0);
    expect(await info.getByTestId('visitor-info-referrer').locator('a').count()).toBe(0);

    // The agent sends the payloads back; the raw visitor receives them as plain strings.
    const reply = agent.page.getByRole('textbox', { name: 'Reply to visitor' });
    await reply.fill(XSS_IMG);
    await reply.press('Enter');
    await raw.waitFor('v.message', (frame) => frame.message.body === XSS_IMG);
    await agent.page.getByTestId('visitor-chat').getByRole('button', { name: 'End chat' }).click();
    await agent.page.getByRole('dialog', { name: 'End this chat?' }).getByRole('button', { name: 'End chat' }).click();
    await expectPage(pane).toHaveAttribute('data-status', 'closed');

    // A real visitor in the widget sends payloads; the agent answers with one.
    const visitor = await e2e.openVisitor({ path: `/widget/demo.html?q=${encodeURIComponent(XSS_SCRIPT)}#${encodeURIComponent(XSS_IMG)}` });
    await visitor.page.getByTestId('sb-launcher').click();
    const input = visitor.page.getByTestId('sb-input');
    await input.fill(XSS_IMG);
    await input.press('Enter');
    await input.fill(XSS_SCRIPT);
    await input.press('Enter');
    await expectPage(items).toHaveCount(1);
    await items.first().click();
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: XSS_IMG })).toHaveCount(1);
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: XSS_SCRIPT })).toHaveCount(1);
    await reply.fill(`${XSS_SCRIPT} ${XSS_IMG} javascript:window.__pwned=3`);
    await reply.press('Enter');
    await expectPage(visitor.page.getByTestId('sb-message').filter({ hasText: 'javascript:window.__pwned=3' })).toHaveCount(1);

    // Transcript search shows the hostile name as text too.
    await agent.page.getByRole('button', { name: 'Search transcripts' }).first().click();
    await agent.page.getByRole('searchbox', { name: 'Search transcripts' }).fill('pwned');
    await expectPage(agent.page.getByTestId('transcripts').locator('[data-testid^="transcript-"]')).toHaveCount(1);
    await expectPage(agent.page.getByTestId('transcripts')).toContainText('<img src=x onerror=window.__pwned=1>');

    expect(await pwned(agent.page)).toBeUndefined();
    expect(await pwned(visitor.page)).toBeUndefined();
    expect(await injected(agent.page)).toBe(0);
    expect(await injected(visitor.page)).toBe(0);
    // The visitor ends the chat from the widget; the agent's list follows.
    await visitor.page.getByTestId('sb-end').click();
    await visitor.page.getByTestId('sb-end-yes').click();
    await expectPage(items).toHaveCount(0);
    await visitor.context.close();
    await agent.context.close();
  });

  it('agents invite a colleague into a chat and transfer it', async () => {
    const erin = await e2e.server.createUser(['agent'], 'erin');
    const first = await e2e.loginAs(carol);
    await expectPage(first.page.getByTestId('duty-status')).toHaveAttribute('data-duty', 'available');
    const visitor = await e2e.openVisitor();
    await visitor.page.getByTestId('sb-launcher').click();
    await visitor.page.getByTestId('sb-input').fill('Can two of you look at my order?');
    await visitor.page.getByTestId('sb-input').press('Enter');
    const mine = first.page.getByTestId('section-visitors').locator('[data-testid^="visitor-chat-"][data-status="assigned"]');
    await expectPage(mine).toHaveCount(1);
    await mine.first().click();
    const pane = first.page.getByTestId('visitor-chat');
    const chatId = (await pane.getAttribute('data-chat-id')) ?? '';

    const second = await e2e.loginAs(erin);
    await second.page.getByTestId('duty-prompt').getByRole('button', { name: 'Yes' }).click();
    await expectPage(second.page.getByTestId('duty-status')).toHaveAttribute('data-duty', 'available');

    // Invite: the colleague joins beside the assignee, writes, and leaves again.
    await pane.getByRole('button', { name: 'Invite colleague' }).click();
    await first.page.getByTestId('invite-dialog').getByRole('radio', { name: /User erin/ }).check();
    await first.page.getByTestId('invite-dialog').getByRole('button', { name: 'Invite', exact: true }).click();
    const invited = second.page.getByTestId(`visitor-chat-${chatId}`);
    await expectPage(invited).toContainText('Invited');
    await invited.click();
    const erinReply = second.page.getByRole('textbox', { name: 'Reply to visitor' });
    await erinReply.fill('Erin here, I handle orders.');
    await erinReply.press('Enter');
    await expectPage(visitor.page.getByTestId('sb-message').filter({ hasText: 'Erin here' })).toHaveCount(1);
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: 'Erin here' })).toHaveCount(1);
    await second.page.getByTestId('visitor-chat').getByRole('button', { name: 'Leave chat' }).click();
    await second.page.getByRole('dialog', { name: 'Leave this chat?' }).getByRole('button', { name: 'Leave chat' }).click();
    await expectPage(second.page.getByTestId(`visitor-chat-${chatId}`)).toHaveCount(0);
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: 'User erin left the chat.' })).toHaveCount(1);

    // Transfer: the chat, with its history, moves to the colleague.
    await pane.getByRole('button', { name: 'Transfer' }).click();
    const transfer = first.page.getByTestId('transfer-dialog');
    await transfer.getByRole('radio', { name: /User erin/ }).check();
    await transfer.getByRole('button', { name: 'Transfer', exact: true }).click();
    await expectPage(first.page.getByTestId(`visitor-chat-${chatId}`)).toHaveCount(0);
    await expectPage(first.page.getByTestId('visitor-chat')).toHaveCount(0);
    const moved = second.page.getByTestId(`visitor-chat-${chatId}`);
    await expectPage(moved).toHaveAttribute('data-status', 'assigned');
    await moved.click();
    await expectPage(second.page.getByTestId('visitor-message').filter({ hasText: 'Can two of you look at my order?' })).toHaveCount(1);
    await expectPage(second.page.getByTestId('visitor-chat').getByRole('button', { name: 'End chat' })).toBeVisible();
    await visitor.context.close();
    await first.context.close();
    await second.context.close();
  });
});
