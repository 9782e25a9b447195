import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Conversation } from '@switchboard/protocol';
import { newClientId } from '@switchboard/protocol';
import { expect as expectPage } from './expectPage.js';
import { startE2E, type E2E } from './harness.js';
import type { TestUser } from '../server/src/test/testServer.js';

/*
 * Stored XSS: hostile display names, group titles and messages, created through the API, must
 * render as inert text in the IM client and the admin console. The pages run with the CSP
 * switched off (bypassCSP), so these checks prove the rendering itself is safe, not only that the
 * CSP would have blocked a script (the CSP header has its own test in headers.integration.test.ts).
 */

const NAME = `<img src=x onerror="window.__pwned='name'">`;
const TITLE = `<script>window.__pwned='title'</script><img src=x onerror=window.__pwned='title'>`;
const MESSAGES = [
  `<img src=x onerror="window.__pwned='img'">`,
  `<script>window.__pwned='script'</script>`,
  `javascript:window.__pwned='js'`,
  `JaVaScRiPt:window.__pwned='js2'//https://example.com`,
  `[click me](javascript:window.__pwned='markdown')`,
  `<a href="javascript:window.__pwned='anchor'">a link</a>`,
  `https://example.com/"><img src=x onerror=window.__pwned='attr'>`,
  `https://example.com/?q=<svg/onload=window.__pwned='query'>`,
  `<svg onload="window.__pwned='svg'"></svg>`,
  `<iframe src="javascript:window.__pwned='iframe'"></iframe>`,
  `data:text/html,<script>window.__pwned='data'</script>`,
  `<style>body{display:none}</style><b>bold?</b>`,
  `{{constructor.constructor('window.__pwned="template"')()}}`,
  `<details open ontoggle="window.__pwned='toggle'">x</details>`,
  `\u202eevil.exe <img src=x onerror=window.__pwned='rtl'>`,
];

/** What a payload would have left in the page had it been parsed as HTML. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const roots: (Document | ShadowRoot)[] = [document];
    for (const host of document.querySelectorAll('*')) if (host.shadowRoot) roots.push(host.shadowRoot);
    for (const root of roots) {
      for (const element of root.querySelectorAll('img[src="x"], iframe, svg[onload], details[ontoggle], style:not([data-vite-dev-id])')) {
        if (element.tagName === 'STYLE' && !element.textContent?.includes('body{display:none}')) continue;
        found.push(element.outerHTML.slice(0, 120));
      }
      for (const element of root.querySelectorAll('*')) {
        for (const attribute of element.getAttributeNames()) if (/^on/i.test(attribute)) found.push(`${element.tagName} ${attribute}`);
      }
      for (const script of root.querySelectorAll('script')) if (script.textContent?.includes('__pwned')) found.push('script');
      for (const anchor of root.querySelectorAll('a[href]')) {
        const href = anchor.getAttribute('href') ?? '';
        const protocol = new URL(href, location.href).protocol;
        if (protocol !== 'http:' && protocol !== 'https:') found.push(`a href=${href}`);
      }
    }
    return found;
  });
}

async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
}

describe('stored XSS renders inert', () => {
  let e2e: E2E;
  let ann: TestUser;
  let mallory: TestUser;
  let admin: TestUser;
  let group: Conversation;
  const contexts: BrowserContext[] = [];

  /** A browser context with the CSP switched off, logged in through the page at `path`. */
  async function open(user: TestUser, path: '/app/' | '/admin/'): Promise<Page> {
    const context = await e2e.browser.newContext({ bypassCSP: true, locale: 'en-US', viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${e2e.server.url}${path}`);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    return page;
  }

  beforeAll(async () => {
    e2e = await startE2E();
    ann = await e2e.server.createUser(['employee'], 'ann');
    mallory = await e2e.server.createUser(['employee'], 'mallory');
    admin = await e2e.server.createUser(['admin'], 'root');
    const renamed = await e2e.server.api(admin, 'PATCH', `/api/admin/users/${mallory.id}`, { displayName: NAME });
    expect(renamed.status).toBe(200);
    group = (await e2e.server.api<{ conversation: Conversation }>(mallory, 'POST', '/api/conversations', { kind: 'group', title: TITLE, memberIds: [ann.id] })).body.conversation;
    const direct = (await e2e.server.api<{ conversation: Conversation }>(mallory, 'POST', '/api/conversations', { kind: 'direct', userId: ann.id })).body.conversation;
    const socket = await e2e.server.connect(mallory);
    for (const conversationId of [group.id, direct.id]) {
      for (const body of MESSAGES) {
        socket.send({ type: 'send', ref: 'x', conversationId, clientId: newClientId(), body });
        await socket.next('ack');
      }
    }
    await socket.close();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await e2e?.stop();
  });

  it('in the IM client: hostile names, group titles and messages show as text, create no element, run nothing, and javascript: is never a link', async () => {
    const page = await open(ann, '/app/');
    const conversation = page.getByTestId(`conversation-${group.id}`);
    await expectPage(conversation).toContainText(TITLE);
    await conversation.click();
    await expectPage(page.getByTestId('chat-title')).toContainText(TITLE);
    const messages = page.getByTestId('message');
    for (const body of MESSAGES) await expectPage(messages.filter({ hasText: body.replace('\u202e', '').trim().slice(0, 40) })).toHaveCount(1);
    // The sender's hostile display name is shown as text beside the messages.
    await expectPage(page.getByTestId('chat')).toContainText(NAME);
    // http(s) links are still links, with the hostile tail kept inside the (encoded) href.
    const links = await page.getByTestId('chat').locator('a[href^="http"]').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) expect(href).not.toMatch(/[<>"]/);
    expect(await injected(page)).toEqual([]);
    expect(await pwned(page)).toBeUndefined();

    // The direct chat shows the hostile name as its title, and the same messages inertly.
    await page.getByTestId('contact-mallory').click();
    await expectPage(page.getByTestId('chat-title')).toContainText(NAME);
    await expectPage(page.getByTestId('message').filter({ hasText: MESSAGES[0] as string })).toHaveCount(1);
    // Hovering and clicking the rendered text does not run anything either.
    for (const text of ['javascript:window.__pwned=', '[click me]', 'a link']) {
      const target = page.getByTestId('message').filter({ hasText: text }).first();
      await target.hover();
      await target.click({ position: { x: 5, y: 5 } });
    }
    expect(page.url()).toContain(`${e2e.server.url}/app/`);
    expect(await injected(page)).toEqual([]);
    expect(await pwned(page)).toBeUndefined();

    // Sending a payload from the page itself round-trips as text too.
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill(`<img src=x onerror="window.__pwned='typed'">`);
    await composer.press('Enter');
    await expectPage(page.getByTestId('message').filter({ hasText: `window.__pwned='typed'` })).toHaveCount(1);
    expect(await injected(page)).toEqual([]);
    expect(await pwned(page)).toBeUndefined();
  });

  it('in the admin console: a hostile display name is listed as text and runs nothing', async () => {
    const page = await open(admin, '/admin/');
    const row = page.getByTestId('user-row-mallory');
    await expectPage(row).toContainText(NAME);
    await row.getByTestId('edit-user').click();
    await expectPage(page.getByLabel('Display name')).toBeVisible();
    expect(await page.getByLabel('Display name').inputValue()).toBe(NAME);
    expect(await injected(page)).toEqual([]);
    expect(await pwned(page)).toBeUndefined();

    // Control: the same detectors do see a payload that really is parsed as HTML (the CSP is off here).
    await page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), MESSAGES[0] as string);
    await expect.poll(() => pwned(page)).toBe('img');
    expect((await injected(page)).length).toBeGreaterThan(0);
  });
});
