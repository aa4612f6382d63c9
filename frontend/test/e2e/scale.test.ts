// The UI with 5,000 conversations on the chain: the list is virtualised (only the rows in view are in the page), every
// filter counts them all, a row far down opens, and j moves on. Behaviour only: the times are `pnpm bench:ui`'s.
// The devnet runs without a backend (nothing to generate: the responses are posted by the seeding, as vouchers would).
import { seedConversations } from '@tt/devnet/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { startStack, type Stack } from './stack.ts';

const COUNT = Number(process.env.TT_SCALE_CONVERSATIONS ?? 5000);
const POSTED = COUNT - 40;

let stack: Stack;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
const pageErrors: string[] = [];

describe(`the web UI with ${COUNT} conversations`, () => {
  beforeAll(async () => {
    stack = await startStack(() => undefined, { backend: 'none' });
    const seeded = await seedConversations(stack.devnet, { count: COUNT, posted: POSTED });
    console.log(
      `seeded ${seeded.ids.length} conversations (${seeded.posted} posted, ${seeded.rankings} rankings) in ${seeded.blocks} blocks`,
    );
    ({ browser, close: closeBrowser } = await launchBrowser());
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.setDefaultTimeout(120_000);
  }, 600_000);

  afterAll(async () => {
    await closeBrowser?.();
    await stack?.stop();
  });

  const rendered = () => page.locator('ul.list [data-conversation]').count();

  it('lists them virtualised: every one counted, only the rows in view in the page', async () => {
    await page.goto(stack.url);
    await page.locator('[data-filter="all"]').click();
    await expect.poll(() => page.locator('ul.list').getAttribute('data-total')).toBe(String(COUNT));
    await expect(page.locator('[data-filter="all"] .count').textContent()).resolves.toBe(String(COUNT));
    // the page opened the oldest pair that needs ranking (at the bottom of "All", newest first); the top is the last id
    await page.locator('ul.list').evaluate((el) => (el.scrollTop = 0));
    await page.locator(`[data-conversation="${COUNT - 1}"]`).waitFor();
    expect(await rendered()).toBeLessThan(60);
    // the 40 unposted ones wait on the node (no backend here): "generating", not readable, so not in "Needs me"
    await expect(page.locator('[data-filter="mine"] .count').textContent()).resolves.toBe(String(POSTED));
  });

  it('opens a row far down the list, and moves on with j', async () => {
    const list = page.locator('ul.list');
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    // the rows in view change as the list scrolls: settle, then click the row by its id
    await page.waitForTimeout(200);
    const id = Number(
      await page.locator('ul.list [data-conversation]').nth(10).getAttribute('data-conversation'),
    );
    expect(id).toBeLessThan(COUNT - 1000); // really far down
    await page.locator(`[data-conversation="${id}"]`).click();
    const detail = page.locator(`[data-detail="${id}"]`);
    await detail.waitFor();
    await detail.locator('[data-testid="response-text-1"]').getByText(`(${id}/1)`).waitFor();
    expect(await rendered()).toBeLessThan(60);
    await page.keyboard.press('j');
    await page.locator(`[data-detail="${id - 1}"]`).waitFor();
    await expect
      .poll(() => page.locator(`[data-conversation="${id - 1}"]`).getAttribute('aria-current'))
      .toBe('true');
    expect(pageErrors).toEqual([]);
  });
});
