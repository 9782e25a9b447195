import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from '../server/src/test/testServer.js';

/** Debian's chromium, headless, with background networking off (this machine has no internet). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface E2E {
  server: TestServer;
  browser: Browser;
  /** A fresh browser context (its own cookies and storage), logged in as `user` through the login form. */
  loginAs(user: Pick<TestUser, 'username' | 'password'>, options?: { locale?: string; viewport?: { width: number; height: number } }): Promise<{ context: BrowserContext; page: Page }>;
  /**
   * A website visitor: a fresh browser context (its own storage) on a page that embeds the widget,
   * by default the widget's demo page (`/widget/demo.html`, site key `demo`). `path` may add a query
   * or hash to it.
   */
  openVisitor(options?: { path?: string; locale?: string; viewport?: { width: number; height: number } }): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/** A real server (SQLite, empty database, built web apps) and a real browser. */
export async function startE2E(env: Record<string, string> = {}): Promise<E2E> {
  const server = await startTestServer('sqlite', env);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    async loginAs(user, options = {}) {
      const context = await browser.newContext({ locale: options.locale ?? 'en-US', viewport: options.viewport ?? { width: 1280, height: 800 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${server.url}/app/`);
      await page.getByLabel('Username').fill(user.username);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      return { context, page };
    },
    async openVisitor(options = {}) {
      const context = await browser.newContext({ locale: options.locale ?? 'en-US', viewport: options.viewport ?? { width: 1280, height: 800 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${server.url}${options.path ?? '/widget/demo.html'}`);
      return { context, page };
    },
    async stop() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await server.stop();
    },
  };
}
