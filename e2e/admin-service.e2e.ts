import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Department, OfflineMessagesResponse, ServiceAgent, ServiceSettings, Site } from '@switchboard/protocol';
import { expect as expectPage } from './expectPage.js';
import { startE2E, type E2E } from './harness.js';
import type { TestUser } from '../server/src/test/testServer.js';

const XSS = '<img src=x onerror=window.__pwned=1>';

describe('customer service in the admin console', () => {
  let e2e: E2E;
  let admin: TestUser;
  let agent: TestUser;

  beforeAll(async () => {
    e2e = await startE2E();
    admin = await e2e.server.createUser(['admin'], 'root');
    agent = await e2e.server.createUser(['agent'], 'ada');
  });
  afterAll(() => e2e?.stop());

  const get = async <T>(route: string): Promise<T> => {
    const answer = await e2e.server.api<T>(admin, 'GET', route);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it('an admin sets routing, an agent, a department and a site, and reads offline messages as text', async () => {
    const context = await e2e.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/admin/`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    // Routing: the priority rule and a reply timeout.
    await page.getByTestId('nav-routing').click();
    const routing = page.getByTestId('routing-form');
    await routing.getByTestId('routing-rule-priority').check();
    await routing.getByTestId('routing-timeout').fill('45');
    await routing.getByTestId('routing-save').click();
    await expectPage(page.getByTestId('toasts')).toContainText('Routing settings saved.');
    const { settings } = await get<{ settings: ServiceSettings }>('/api/admin/service/settings');
    expect(settings).toEqual({ routingRule: 'priority', replyTimeoutSeconds: 45 });
    expect(await routing.getByTestId('routing-rule-priority').isChecked()).toBe(true);

    // Departments: create one (its name is shown as text).
    await page.getByTestId('nav-departments').click();
    await page.getByTestId('new-department-name').fill('VIP <b>desk</b>');
    await page.getByTestId('create-department').click();
    const departmentRow = page.getByTestId('department-row').filter({ hasText: 'VIP <b>desk</b>' });
    await expectPage(departmentRow).toHaveCount(1);
    const { departments } = await get<{ departments: Department[] }>('/api/admin/service/departments');
    const vip = departments.find((department) => department.name === 'VIP <b>desk</b>');
    expect(vip).toBeDefined();

    // Agents: priority, capacity (a value out of range is refused on its field first) and the department.
    await page.getByTestId('nav-agents').click();
    const row = page.getByTestId(`agent-row-${agent.username}`);
    await row.getByTestId('agent-priority').fill('7');
    await row.getByTestId('agent-max-chats').fill('500');
    await row.getByTestId('agent-save').click();
    await expectPage(row.locator('.field-error')).toContainText('Enter 100 or less.');
    await row.getByTestId('agent-max-chats').fill('3');
    await row.getByTestId('agent-departments').click();
    await page.getByRole('checkbox', { name: 'VIP <b>desk</b>' }).check();
    await page.keyboard.press('Escape');
    await row.getByTestId('agent-save').click();
    await expectPage(page.getByTestId('toasts')).toContainText(`Saved settings for User ${agent.username}.`);
    await expectPage(row.getByTestId('agent-departments')).toContainText('VIP <b>desk</b>');
    const { agents } = await get<{ agents: ServiceAgent[] }>('/api/admin/service/agents');
    expect(agents.find((candidate) => candidate.userId === agent.id)).toMatchObject({ priority: 7, maxChats: 3, departmentIds: [vip!.id] });

    // Sites: a new site with an allowed origin and a pre-chat field; a path is not an origin.
    await page.getByTestId('nav-sites').click();
    await page.getByTestId('new-site').click();
    const form = page.getByTestId('site-form');
    await form.getByTestId('site-name').fill('Shop');
    await form.getByTestId('site-key').fill('shop-e2e');
    await form.getByTestId('site-origins').fill('https://shop.example.com/checkout');
    await form.getByTestId('site-prechat-enabled').check();
    await form.getByTestId('add-prechat-field').click();
    const added = form.getByTestId('prechat-field-row').last();
    await added.getByTestId('prechat-label').fill('Order number');
    await expect.poll(() => added.getByTestId('prechat-key').inputValue()).toBe('order_number');
    await form.getByTestId('site-save').click();
    await expectPage(form.locator('.field-error')).toContainText('Line 1');
    await form.getByTestId('site-origins').fill('https://shop.example.com');
    await form.getByTestId('site-save').click();
    await expectPage(page.getByTestId('site-embed-snippet')).toContainText('data-site-key="shop-e2e"');
    await expectPage(page.getByTestId('site-embed-snippet')).toContainText(`<script src="${e2e.server.url}/widget/loader.js"`);
    const { sites } = await get<{ sites: Site[] }>('/api/admin/service/sites');
    expect(sites.find((site) => site.siteKey === 'shop-e2e')).toMatchObject({
      name: 'Shop',
      allowedOrigins: ['https://shop.example.com'],
      preChatEnabled: true,
      preChatFields: [
        { key: 'name', label: 'Name', kind: 'text', required: true },
        { key: 'email', label: 'Email', kind: 'email', required: true },
        { key: 'order_number', label: 'Order number', kind: 'text', required: false },
      ],
    });

    // Offline messages: a visitor's markup is shown as text and never runs.
    const left = await e2e.server.api<{ id: string }>(undefined, 'POST', '/api/visitor/offline', {
      siteKey: 'demo',
      name: XSS,
      email: 'mallory@example.com',
      message: `${XSS} please call me back`,
      departmentId: vip!.id,
      page: { url: 'javascript:window.__pwned=2' },
    });
    expect(left.status).toBe(201);
    await page.getByTestId('nav-offline').click();
    const message = page.getByTestId('offline-row').filter({ hasText: 'mallory@example.com' });
    await expectPage(message.getByTestId('offline-name')).toHaveText(XSS);
    await expectPage(message.getByTestId('offline-message')).toHaveText(`${XSS} please call me back`);
    await expectPage(message.getByTestId('offline-department')).toContainText('VIP <b>desk</b>');
    await expectPage(message.getByTestId('offline-page-url')).toHaveText('javascript:window.__pwned=2');
    expect(await message.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.getByTestId('offline-list').locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();

    await message.getByTestId('toggle-handled').click();
    await expectPage(message).toHaveAttribute('data-handled', 'true');
    const handled = await get<OfflineMessagesResponse>('/api/admin/service/offline?status=handled');
    expect(handled.messages.map((entry) => entry.id)).toContain(left.body.id);
    // Still listed (to undo with one click) until the inbox is refreshed.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expectPage(page.getByTestId('offline-row').filter({ hasText: 'mallory@example.com' })).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await context.close();
  });
});
