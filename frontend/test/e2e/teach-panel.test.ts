// The Teach tab in a real browser, against a devnet whose backend trains one optimizer step per input: two answered
// and ranked conversations are listed as not taught yet; "Teach" sends them (one teach input), the machine trains the
// first of two steps, "Continue training" sends the second; the finished version is registered from the page once its
// epoch is proven; the lineage shows base → v1 with its loss curve; and the prompt form offers the new version.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIRM, GraphQLClient, postWhenClaimed, sendPrompt, submitRanking, SWITCH } from '@tt/client';
import { backendPath, testAccount } from '@tt/devnet/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { frontendDir, startStack, type Stack } from './stack.ts';

const SHOTS = process.env.TT_UPDATE_SCREENSHOTS
  ? join(frontendDir, 'screenshots')
  : join(frontendDir, 'test-results', 'screenshots');

let stack: Stack;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
const pageErrors: string[] = [];

describe('the Teach tab: fine-tuning inside the rollup from the page', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack(undefined, {
      backend: {
        command: process.execPath,
        args: [backendPath],
        // 2 pairs, one per step, one epoch: two steps. Two steps' work per input: the first input runs both reference
        // passes (a third of a pair's training pass each) and one step, the second the last step.
        env: {
          TT_TEACH_STEPS_PER_INPUT: '2',
          TT_TEACH_HYPER_PARAMETERS: JSON.stringify({ epochs: 1, batchSize: 1 }),
        },
      },
    });
    const author = testAccount(stack.devnet, 2);
    const ranker = testAccount(stack.devnet, 3);
    for (let i = 0; i < 2; i++)
      await sendPrompt(author.trustAndTeach, `Once upon a time ${i}`, { steps: 32 });
    await stack.devnet.settled(120_000);
    const graphql = new GraphQLClient(stack.devnet.graphqlUrl);
    for (let i = 0; i < 2; i++)
      await postWhenClaimed({
        graphql,
        dapp: stack.devnet.deployments.contracts.CartesiDApp,
        trustAndTeach: stack.devnet.deployments.contracts.TrustAndTeach,
        signer: author.wallet,
        inputIndex: i,
        conversationId: BigInt(i),
        retryMs: 250,
      });
    await submitRanking(ranker.trustAndTeach, 0n, SWITCH);
    await submitRanking(ranker.trustAndTeach, 1n, CONFIRM);
    author.destroy();
    ranker.destroy();

    ({ browser, close: closeBrowser } = await launchBrowser());
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1400 } })).newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.setDefaultTimeout(60_000);
  }, 300_000);

  afterAll(async () => {
    await closeBrowser?.();
    await stack?.stop();
  });

  it('teaches the ranked conversations, continues the training, registers v1 and offers it for prompts', async () => {
    await page.goto(stack.url);
    await page.getByRole('button', { name: 'Use test account' }).click();
    await page.getByLabel('Test account').waitFor();
    await page.getByRole('tab', { name: 'Teach' }).click();
    const panel = page.locator('[data-testid="teach-panel"]');
    await panel.getByText('2 ranked conversations not taught yet: #0, #1').waitFor();
    await panel.getByText('Nothing taught yet').waitFor();

    await panel.getByRole('button', { name: 'Teach 2 conversations' }).click();
    await panel.getByText(/Teach input #2: 2 pairs/).waitFor();
    // the machine trained the first of two steps
    await panel
      .locator('[data-testid="training-now"]')
      .getByText(/step 1 of 2/)
      .waitFor();
    await panel.getByText('No ranked conversation is waiting to be taught', { exact: false }).waitFor();
    await page.screenshot({ path: join(SHOTS, '13-teach-training.png') });

    await panel.getByRole('button', { name: 'Continue training' }).click();
    const unregistered = panel.locator('[data-testid="unregistered"]');
    await unregistered.waitFor();
    const register = unregistered.getByRole('button', { name: 'Register on chain' });
    await expect.poll(() => register.isEnabled(), { timeout: 60_000 }).toBe(true);
    await register.click();
    await panel.getByText('Model version registered').waitFor();

    const lineage = panel.locator('[data-testid="lineage"]');
    await panel.getByText('base → v1').waitFor();
    await lineage
      .locator('[data-testid="version-1"]')
      .getByText(/from base · 2 pairs · 2 steps · teach input #2/)
      .waitFor();
    const plot = lineage.locator('[data-testid="version-plot-1"]');
    await expect
      .poll(() => plot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
        timeout: 30_000,
      })
      .toBe(560);
    const rows = panel.locator('[data-testid="teach-inputs"] tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toMatch(/#2teach1 \/ 2 \(input #2\)/);
    expect(await rows.nth(1).textContent()).toMatch(/#3continue2 \/ 2 \(input #2\).*complete/);
    await page.screenshot({ path: join(SHOTS, '14-teach-versions.png') });

    await page.getByRole('tab', { name: 'Label' }).click();
    const select = page.locator('[data-testid="model-version"]');
    await select.waitFor();
    expect(await select.locator('option').allTextContents()).toEqual([
      'latest (v1)',
      expect.stringMatching(/^base · 0x/),
      expect.stringMatching(/^v1 · 0x/),
    ]);
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
