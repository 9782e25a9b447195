import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './expectPage.js';
import { startE2E, type E2E } from './harness.js';
import type { TestUser } from '../server/src/test/testServer.js';

describe('IM in the browser', () => {
  let e2e: E2E;
  let ann: TestUser;
  let ben: TestUser;
  let cat: TestUser;

  beforeAll(async () => {
    e2e = await startE2E();
    ann = await e2e.server.createUser(['employee'], 'ann');
    ben = await e2e.server.createUser(['employee'], 'ben');
    cat = await e2e.server.createUser(['employee'], 'cat');
  });
  afterAll(() => e2e?.stop());

  it('two employees chat live both ways with typing and read receipts', async () => {
    const a = await e2e.loginAs(ann);
    const b = await e2e.loginAs(ben);

    await a.page.getByTestId('contact-ben').click();
    const composerA = a.page.getByRole('textbox', { name: 'Message' });
    await composerA.pressSequentially('Hi Ben');
    await b.page.getByTestId('contact-ann').click();
    await expectPage(b.page.getByTestId('typing')).toContainText('is typing');
    await composerA.press('Enter');

    await expectPage(b.page.getByTestId('message').filter({ hasText: 'Hi Ben' })).toHaveCount(1);
    await expectPage(a.page.getByTestId('receipt')).toContainText('Seen by');

    const composerB = b.page.getByRole('textbox', { name: 'Message' });
    await composerB.fill('Hello Ann');
    await composerB.press('Enter');
    await expectPage(a.page.getByTestId('message').filter({ hasText: 'Hello Ann' })).toHaveCount(1);
    await a.context.close();
    await b.context.close();
  });

  it('the directory shows a colleague one has never chatted with come online and go offline', async () => {
    const dee = await e2e.server.createUser(['employee'], 'dee');
    const a = await e2e.loginAs(ann);
    const deeDot = a.page.getByTestId('contact-dee').locator('[data-presence]');
    await expectPage(deeDot).toHaveAttribute('data-presence', 'offline');
    // Not a contact of ann's: the live change comes through the directory's presence subscription.
    const d = await e2e.loginAs(dee);
    await expectPage(deeDot).toHaveAttribute('data-presence', 'online');
    await d.context.close();
    await expectPage(deeDot).toHaveAttribute('data-presence', 'offline');
    await a.context.close();
  });

  it('an offline colleague gets the three messages sent meanwhile on next login, in order, once', async () => {
    const a = await e2e.loginAs(ann);
    await a.page.getByTestId('contact-cat').click();
    const composer = a.page.getByRole('textbox', { name: 'Message' });
    for (const text of ['first while away', 'second while away', 'third while away']) {
      await composer.fill(text);
      await composer.press('Enter');
    }
    await expectPage(a.page.getByTestId('message-pending')).toHaveCount(0);

    const c = await e2e.loginAs(cat);
    const conversation = c.page.getByRole('link', { name: /ann/i });
    await expectPage(conversation.getByTestId('unread-badge')).toHaveText('3');
    await conversation.click();
    const bodies = await c.page.getByTestId('message').allInnerTexts();
    const received = bodies.filter((text) => text.includes('while away'));
    expect(received).toHaveLength(3);
    expect(received[0]).toContain('first while away');
    expect(received[1]).toContain('second while away');
    expect(received[2]).toContain('third while away');
    await a.context.close();
    await c.context.close();
  });

  it('a group chat of three', async () => {
    const a = await e2e.loginAs(ann);
    const b = await e2e.loginAs(ben);
    const c = await e2e.loginAs(cat);
    await a.page.getByRole('button', { name: 'New group' }).click();
    const dialog = a.page.getByTestId('new-group-dialog');
    await dialog.getByRole('textbox', { name: 'Group name' }).fill('Launch team');
    await dialog.getByTestId('pick-ben').click();
    await dialog.getByTestId('pick-cat').click();
    await dialog.getByRole('button', { name: 'Create group' }).click();

    const composer = a.page.getByRole('textbox', { name: 'Message' });
    await composer.fill('Welcome to the launch team');
    await composer.press('Enter');
    for (const other of [b, c]) {
      await other.page.getByRole('link', { name: /Launch team/ }).click();
      await expectPage(other.page.getByTestId('message').filter({ hasText: 'Welcome to the launch team' })).toHaveCount(1);
    }
    const reply = b.page.getByRole('textbox', { name: 'Message' });
    await reply.fill('Glad to be here');
    await reply.press('Enter');
    await expectPage(a.page.getByTestId('message').filter({ hasText: 'Glad to be here' })).toHaveCount(1);
    await expectPage(c.page.getByTestId('message').filter({ hasText: 'Glad to be here' })).toHaveCount(1);
  });
});
