import { afterAll, beforeAll, describe, it } from 'vitest';
import { expect as expectPage } from './expectPage.js';
import { startE2E, type E2E } from './harness.js';
import type { TestUser } from '../server/src/test/testServer.js';

describe('admin console in the browser', () => {
  let e2e: E2E;
  let admin: TestUser;

  beforeAll(async () => {
    e2e = await startE2E();
    admin = await e2e.server.createUser(['admin'], 'root');
  });
  afterAll(() => e2e?.stop());

  it('an admin creates a user who can log in, then disables them and their session ends at once', async () => {
    const context = await e2e.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/admin/`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByTestId('create-user-dialog');
    await dialog.getByLabel('Username').fill('erin');
    await dialog.getByLabel('Display name').fill('Erin <b>Wu</b>');
    await dialog.getByLabel('Password').fill('erin-password-123');
    await dialog.getByRole('checkbox', { name: 'Employee' }).check();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    const row = page.getByTestId('user-row-erin');
    await expectPage(row).toContainText('Erin <b>Wu</b>');

    const erin = await e2e.loginAs({ username: 'erin', password: 'erin-password-123' });
    await expectPage(erin.page.getByRole('textbox', { name: 'Message' }).or(erin.page.getByTestId('section-chats'))).toBeVisible();

    await row.getByTestId('toggle-disabled').click();
    await page.getByTestId('confirm-toggle-disabled').click();
    await expectPage(row).toContainText('Disabled');
    await expectPage(erin.page.getByRole('button', { name: 'Log in' })).toBeVisible();
    await context.close();
  });
});
