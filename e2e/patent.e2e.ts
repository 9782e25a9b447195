import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expect as expectPage } from './expectPage.js';
import { startE2E, type E2E } from './harness.js';
import type { TestUser } from '../server/src/test/testServer.js';

/** E2E_SCREENSHOTS=<dir> saves a picture of each step (for looking at the agent UI). */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  await page.waitForTimeout(300); // let dialogs finish their entrance
  await page.screenshot({ path: `${dir}/patent-${name}.png` });
}

/**
 * The whole method of CN101179528 in real browsers: an agent logs in to the IM client and is asked
 * to go on customer-service duty (steps a-c), a website visitor is routed to them (d), messages go
 * both ways (e), the agent asks a colleague over ordinary IM (g), and the visitor closing the page
 * reaches the agent as "visitor left" (f).
 */
describe('the patent flow in the browser', () => {
  let e2e: E2E;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    e2e = await startE2E({
      // A closed page counts as gone quickly, and the sweeper looks often.
      SWITCHBOARD_VISITOR_GRACE_MS: '1000',
      SWITCHBOARD_SERVICE_SWEEP_MS: '100',
    });
    alice = await e2e.server.createUser(['agent'], 'alice');
    bob = await e2e.server.createUser(['employee'], 'bob');
  });
  afterAll(() => e2e?.stop());

  it('agent on duty serves a visitor, asks a colleague over IM, and sees the visitor leave', async () => {
    // a-c: login, permissions, "Enable online customer service now?" → Yes.
    const agent = await e2e.loginAs(alice);
    const prompt = agent.page.getByTestId('duty-prompt');
    await expectPage(prompt).toBeVisible();
    await expectPage(prompt.getByRole('heading')).toHaveText('Enable online customer service now?');
    await shot(agent.page, '1-duty-prompt');
    await prompt.getByRole('button', { name: 'Yes' }).click();
    await expectPage(prompt).toHaveCount(0);
    await expectPage(agent.page.getByTestId('duty-status')).toHaveAttribute('data-duty', 'available');
    await expectPage(agent.page.getByTestId('section-visitors')).toBeVisible();

    // d: a visitor opens the company's page and writes; the CS system assigns the agent on duty.
    const visitor = await e2e.openVisitor();
    await visitor.page.getByTestId('sb-launcher').click();
    const visitorInput = visitor.page.getByTestId('sb-input');
    await expectPage(visitorInput).toBeVisible();
    await visitorInput.fill('Hello! Do you ship to Norway?');
    await visitorInput.press('Enter');

    const item = agent.page.getByTestId('section-visitors').locator('[data-testid^="visitor-chat-"]');
    await expectPage(item).toHaveCount(1);
    await expectPage(item).toContainText('Do you ship to Norway?');
    await expectPage(item.getByTestId('unread-badge')).toHaveText('1');
    const chatId = ((await item.getAttribute('data-testid')) ?? '').replace('visitor-chat-', '');
    expect(chatId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await agent.page.title()).toMatch(/^\(1\) /);
    // It rang (a WebAudio chime; the count is the test hook).
    expect(Number(await agent.page.evaluate(() => document.body.dataset.rings ?? '0'))).toBeGreaterThan(0);
    await shot(agent.page, '2-visitor-arrived');

    // e: relay both ways.
    await item.click();
    const pane = agent.page.getByTestId('visitor-chat');
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: 'Do you ship to Norway?' })).toHaveCount(1);
    await expectPage(item.getByTestId('unread-badge')).toHaveCount(0);
    await expectPage(pane.getByTestId('visitor-info')).toContainText('Chrome');
    const reply = agent.page.getByRole('textbox', { name: 'Reply to visitor' });
    await reply.pressSequentially('We do');
    await expectPage(visitor.page.getByTestId('sb-typing')).toContainText('is typing');
    await reply.fill('We do! Let me check the shipping fee for you.');
    await reply.press('Enter');
    await expectPage(visitor.page.getByTestId('sb-message').filter({ hasText: 'Let me check the shipping fee' })).toHaveCount(1);
    await visitorInput.pressSequentially('Thanks');
    await expectPage(pane.getByTestId('visitor-typing')).toContainText('is typing');
    await visitorInput.press('Enter');
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: 'Thanks' })).toHaveCount(1);
    await shot(agent.page, '3-visitor-chat');

    // g: the agent asks a colleague over IM, from the visitor chat.
    await pane.getByRole('button', { name: 'Ask a colleague' }).click();
    const ask = agent.page.getByTestId('ask-dialog');
    await ask.getByRole('radio', { name: /User bob/ }).check();
    await ask.getByRole('textbox', { name: 'Your question (optional)' }).fill('What does shipping to Norway cost?');
    await shot(agent.page, '4-ask-dialog');
    await ask.getByRole('button', { name: 'Ask', exact: true }).click();
    const imChat = agent.page.getByTestId('chat');
    await expectPage(imChat.getByTestId('chat-title')).toHaveText('User bob');
    await expectPage(imChat.getByTestId('message').filter({ hasText: 'What does shipping to Norway cost?' })).toHaveCount(1);
    await expectPage(imChat.getByRole('link', { name: `/app/#/visitors/${chatId}` })).toHaveCount(1);

    // The colleague, an ordinary employee in another browser, answers over IM.
    const colleague = await e2e.loginAs(bob);
    await expectPage(colleague.page.getByTestId('section-visitors')).toHaveCount(0);
    const fromAlice = colleague.page.getByRole('link', { name: 'User alice' });
    await expectPage(fromAlice.getByTestId('unread-badge')).toHaveText('1');
    await fromAlice.click();
    await expectPage(colleague.page.getByTestId('message').filter({ hasText: 'Do you ship to Norway?' })).toHaveCount(1);
    const colleagueComposer = colleague.page.getByRole('textbox', { name: 'Message' });
    await colleagueComposer.fill('Shipping to Norway is 12 EUR, free above 100 EUR.');
    await colleagueComposer.press('Enter');
    await expectPage(imChat.getByTestId('message').filter({ hasText: 'Shipping to Norway is 12 EUR' })).toHaveCount(1);
    await shot(agent.page, '5-colleague-answered');

    // Back to the visitor through the link in the help request; the answer reaches the visitor.
    await imChat.getByRole('link', { name: `/app/#/visitors/${chatId}` }).click();
    await expectPage(pane).toHaveAttribute('data-chat-id', chatId);
    await reply.fill('Shipping to Norway is 12 EUR, and free above 100 EUR.');
    await reply.press('Enter');
    await expectPage(visitor.page.getByTestId('sb-message').filter({ hasText: 'free above 100 EUR' })).toHaveCount(1);
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: 'asked User bob for help' })).toHaveCount(1);

    // f: the visitor closes the page; the agent sees that the visitor has gone.
    await visitor.page.close({ runBeforeUnload: true });
    await visitor.context.close();
    await expectPage(pane.getByTestId('visitor-left')).toBeVisible();
    await expectPage(pane.getByTestId('visitor-left')).toContainText('Visitor left');
    await expectPage(item.getByTestId('visitor-left')).toHaveText('Left');
    await expectPage(pane.getByTestId('visitor-message').filter({ hasText: 'The visitor left the page.' })).toHaveCount(1);
    await shot(agent.page, '6-visitor-left');

    // The agent ends the chat; it moves to "Recent".
    await pane.getByRole('button', { name: 'End chat' }).click();
    await agent.page.getByRole('dialog', { name: 'End this chat?' }).getByRole('button', { name: 'End chat' }).click();
    await expectPage(pane).toHaveAttribute('data-status', 'closed');
    await expectPage(agent.page.getByTestId('visitors-recent').getByTestId(`visitor-chat-${chatId}`)).toHaveCount(1);
    await expectPage(agent.page.getByRole('textbox', { name: 'Reply to visitor' })).toHaveCount(0);
    await shot(agent.page, '7-ended');
  });
});
