// The Teach tab in a real browser, against a devnet whose backend trains one optimizer step per input: two answered
// and ranked conversations are listed as not taught yet; "Teach" sends them (one teach input), the machine trains the
// first of two steps, "Continue training" sends the second; the finished version is registered from the page once its
// epoch is proven; the lineage shows base → v1 with its loss curve; and the prompt form offers the new version. Then
// Verify of responses v1 wrote: the page re-derives v1 from the chain (once for the session), or takes v1's weights
// from a file whose hash is the registered one, and refuses one whose hash is not.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONFIRM,
  GraphQLClient,
  postWhenClaimed,
  readModelVersions,
  sendPrompt,
  submitRanking,
  SWITCH,
} from '@tt/client';
import { backendPath, sharedModel, testAccount } from '@tt/devnet/testing';
import { modelHash } from '@tt/llm';
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
// what the Verify tests hand on: v1's and the base's hashes, a conversation v1 answered, v1's saved weights
let v1Hash: string;
let baseHash: string;
let v1Conversation: bigint;
let weightsFile: string;

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
    if (weightsFile) rmSync(join(weightsFile, '..'), { recursive: true, force: true });
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
  it("verifies v1's responses in the page: re-derives v1 from the chain once, then re-runs them", async () => {
    const author = testAccount(stack.devnet, 2);
    const graphql = new GraphQLClient(stack.devnet.graphqlUrl);
    const ids: bigint[] = [];
    for (const text of ['Once upon a time v1', 'The cat v1']) {
      const sent = await sendPrompt(author.trustAndTeach, text, { steps: 32 }, undefined, 1);
      expect(sent.modelVersion).toBe(1);
      ids.push(sent.conversationId);
      await stack.devnet.settled(120_000);
      await postWhenClaimed({
        graphql,
        dapp: stack.devnet.deployments.contracts.CartesiDApp,
        trustAndTeach: stack.devnet.deployments.contracts.TrustAndTeach,
        signer: author.wallet,
        inputIndex: sent.inputIndex,
        conversationId: sent.conversationId,
        retryMs: 250,
      });
    }
    const [base, v1] = await readModelVersions(author.trustAndTeach, 0);
    author.destroy();
    v1Hash = v1!.modelHash;
    baseHash = base!.modelHash;

    // every line the progress row shows, as it shows it
    await page.evaluate(() => {
      const w = window as unknown as { seen: string[] };
      w.seen = [];
      new MutationObserver(() => {
        const row = document.querySelector('[data-testid="derive-progress"] span');
        if (row?.textContent && w.seen.at(-1) !== row.textContent) w.seen.push(row.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const seen = () => page.evaluate(() => (window as unknown as { seen: string[] }).seen.splice(0));

    await page.locator(`[data-conversation="${ids[0]}"]`).click();
    const detail = page.locator(`[data-testid="detail"][data-detail="${ids[0]}"]`);
    await detail.locator('[data-testid="version-verify"]').getByText('Answered by fine-tuned v1').waitFor();
    await detail.getByRole('button', { name: 'Verify responses' }).click();
    for (const i of [0, 1])
      await detail.locator(`[data-response="${i}"] [data-verify="verified"]`).waitFor({ timeout: 120_000 });
    const verdict = await detail.locator('[data-testid="verify-detail-0"]').textContent();
    expect(verdict).toContain(
      "Re-ran in your browser with v1's weights, re-derived from the chain (its teach inputs",
    );
    expect(verdict).toContain(`they hash to ${v1Hash}, the hash the chain registered`);
    const derived = await seen();
    expect(derived).toContain('v1: reading its lineage and teach inputs from the chain');
    expect(derived).toContain('v1: re-running conversation 1 of 2 of its teach input');
    expect(derived.filter((l) => /^v1: training step [12] of 2$/.test(l)).length).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '15-verify-v1.png') });

    // the weights are held for the session: another response of v1 is re-run at once, with no training
    await page.locator(`[data-conversation="${ids[1]}"]`).click();
    const second = page.locator(`[data-testid="detail"][data-detail="${ids[1]}"]`);
    await second.getByText('Its weights are held in this page').waitFor();
    await second.getByRole('button', { name: 'Verify responses' }).click();
    for (const i of [0, 1])
      await second.locator(`[data-response="${i}"] [data-verify="verified"]`).waitFor({ timeout: 120_000 });
    expect(await second.locator('[data-testid="verify-detail-1"]').textContent()).toContain(
      "with v1's weights, held from earlier in this session",
    );
    expect(await seen()).toEqual([]);

    // save them, for the next test's weights file
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      second.getByRole('button', { name: 'Save v1 weights' }).click(),
    ]);
    weightsFile = join(mkdtempSync(join(tmpdir(), 'tt-v1-')), 'v1-weights.bin');
    await download.saveAs(weightsFile);
    expect(
      await modelHash(new Uint8Array(readFileSync(weightsFile)), readFileSync(sharedModel.tokenizer)),
    ).toBe(v1Hash);
    v1Conversation = ids[1]!;
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it("verifies with v1's weights file in a fresh page, and refuses a file whose hash is not v1's", async () => {
    const fresh = await (await browser.newContext({ viewport: { width: 1280, height: 1400 } })).newPage();
    fresh.on('pageerror', (e) => pageErrors.push(e.message));
    fresh.setDefaultTimeout(60_000);
    await fresh.goto(stack.url);
    await fresh.locator(`[data-conversation="${v1Conversation}"]`).click();
    const detail = fresh.locator(`[data-testid="detail"][data-detail="${v1Conversation}"]`);
    const input = detail.locator('[data-testid="weights-file"]');

    // the base checkpoint is not v1: refused, with both hashes and what to do
    await input.setInputFiles(sharedModel.checkpoint);
    await detail.locator('[data-response="0"] [data-verify="error"]').waitFor({ timeout: 120_000 });
    expect(await detail.locator('[data-testid="verify-detail-0"]').textContent()).toBe(
      `The weights file hashes to ${baseHash} with the node's tokenizer, but the chain registered ${v1Hash} for v1: ` +
        "it is not that version's checkpoint. Choose the checkpoint file of v1, or press Verify to re-derive it from " +
        'the chain.',
    );

    await input.setInputFiles(weightsFile);
    for (const i of [0, 1])
      await detail.locator(`[data-response="${i}"] [data-verify="verified"]`).waitFor({ timeout: 120_000 });
    expect(await detail.locator('[data-testid="verify-detail-0"]').textContent()).toContain(
      `with v1's weights, from your weights file: they hash to ${v1Hash}, the hash the chain registered`,
    );
    await fresh.close();
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
