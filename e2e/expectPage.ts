import type { Locator } from 'playwright-core';

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Web-first assertions for playwright-core (which has no test runner of its own): each one polls
 * the page until it holds or the deadline passes, then fails with what it last saw.
 */
export function expect(locator: Locator, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const until = async (what: string, check: () => Promise<{ ok: boolean; seen: string }>) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await check().catch((error: unknown) => ({ ok: false, seen: String(error) }));
      if (result.ok) return;
      if (Date.now() > deadline) throw new Error(`expected ${locator} ${what}; last saw: ${result.seen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return {
    toHaveCount: (count: number) =>
      until(`to have count ${count}`, async () => {
        const actual = await locator.count();
        return { ok: actual === count, seen: String(actual) };
      }),
    toBeVisible: () => until('to be visible', async () => ({ ok: await locator.first().isVisible(), seen: 'hidden or absent' })),
    toBeHidden: () => until('to be hidden', async () => ({ ok: (await locator.count()) === 0 || !(await locator.first().isVisible()), seen: 'visible' })),
    toContainText: (text: string) =>
      until(`to contain "${text}"`, async () => {
        const actual = (await locator.allInnerTexts()).join(' | ');
        return { ok: actual.includes(text), seen: actual };
      }),
    toHaveText: (text: string) =>
      until(`to have text "${text}"`, async () => {
        const actual = (await locator.first().innerText({ timeout: 1000 })).trim();
        return { ok: actual === text, seen: actual };
      }),
    toHaveAttribute: (name: string, value: string) =>
      until(`to have ${name}="${value}"`, async () => {
        const actual = await locator.first().getAttribute(name, { timeout: 1000 });
        return { ok: actual === value, seen: String(actual) };
      }),
  };
}
