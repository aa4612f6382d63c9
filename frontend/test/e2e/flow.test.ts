// The whole flow in a real browser against real services: connect with the burner → prompt → both responses → post →
// rank Confirm from one account and Switch from another → verify → download each format. Screenshots of every stage go
// to frontend/test-results/screenshots/ (TT_UPDATE_SCREENSHOTS=1: to frontend/screenshots/, one of them is in README.md).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTsv, readConversations, sendPrompt, trustAndTeach, type Conversation } from '@tt/client';
import { decodeUtf8, devnetAccount } from '@tt/protocol';
import { JsonRpcProvider, Wallet } from 'ethers';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { frontendDir, startStack, type Stack } from './stack.ts';

// A test run saves its screenshots under test-results/ (ignored), so running the tests never dirties the tree;
// TT_UPDATE_SCREENSHOTS=1 writes them over the committed set in screenshots/ (the README shows one of those).
const SHOTS = process.env.TT_UPDATE_SCREENSHOTS
  ? join(frontendDir, 'screenshots')
  : join(frontendDir, 'test-results', 'screenshots');
// The burner starts on test account #1 (#0 sends the devnet's claims); the second ranker switches to #2.
const ACCOUNT_0 = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const ACCOUNT_1 = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';
const PROMPT = 'Once upon a time, a little fox';

let stack: Stack;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
const pageErrors: string[] = [];

async function shot(name: string, p: Page = page): Promise<void> {
  // Let spinners and transitions settle so the picture shows the state, not a frame of an animation.
  await p.waitForTimeout(250);
  await p.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function onChain(): Promise<Conversation[]> {
  const provider = new JsonRpcProvider(stack.devnet.rpcUrl, 31337, { staticNetwork: true });
  const contract = trustAndTeach(stack.devnet.deployments.contracts.TrustAndTeach, provider);
  try {
    return await readConversations({
      contract,
      provider,
      fromBlock: stack.devnet.deployments.trustAndTeachDeploymentBlock,
    });
  } finally {
    provider.destroy();
  }
}

async function download(format: 'tsv' | 'json' | 'dpo-jsonl'): Promise<{ name: string; text: string }> {
  await page.getByRole('button', { name: /Download/ }).click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`[data-format="${format}"]`).click(),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path!, 'utf8') };
}

describe('the web UI, end to end', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    ({ browser, close: closeBrowser } = await launchBrowser());
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.setDefaultTimeout(30_000);
  });

  // Each step builds on the one before: after a failure, skip the rest instead of waiting out their timeouts.
  let failed = false;
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    failed = true;
    mkdirSync(join(frontendDir, 'test-results'), { recursive: true });
    await page?.screenshot({ path: join(frontendDir, 'test-results', 'failure.png') }).catch(() => undefined);
  });
  beforeEach((ctx) => {
    if (failed) ctx.skip();
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stack?.stop();
  });

  it('connects with the burner wallet through the connect dialog', async () => {
    await page.goto(stack.url);
    await page.getByText('stories260K · context 512').waitFor();
    await shot('01-start');
    await page.getByRole('button', { name: 'Connect wallet' }).click();
    // web3-onboard's dialog lives in a shadow root; Playwright's locators pierce it.
    await page.getByText('Devnet test account').click();
    await page.getByLabel('Test account').waitFor();
    expect(await page.getByLabel('Test account').inputValue()).toBe('1');
  });

  it('sends a prompt and shows both responses', async () => {
    await page.getByLabel('Prompt', { exact: true }).fill(PROMPT);
    await page.getByText(/\d+ prompt tokens \(with BOS\)/).waitFor();
    await page.getByLabel('Total tokens', { exact: true }).fill('96');
    await page.getByRole('button', { name: 'Generate two responses' }).click();
    await page.getByText('Conversation #0 created').waitFor();
    // No settling here: on this small model the responses arrive within a second.
    await page.screenshot({ path: join(SHOTS, '02-submitted.png') });
    await page.locator('[data-testid="response-text-0"]').getByText(PROMPT).waitFor();
    await page.locator('[data-testid="response-text-1"]').getByText(PROMPT).waitFor();
    await shot('03-responses');
  });

  it('posts both responses on-chain in one click', async () => {
    const post = page.getByRole('button', { name: 'Post on-chain' });
    await expect.poll(() => post.isEnabled(), { timeout: 60_000 }).toBe(true);
    await post.click();
    // Each voucher's transaction shows its own state; once both are on-chain the panel turns into the ranking buttons.
    await page.locator('[data-post-tx="0"]').waitFor();
    await page.locator('[data-testid="rank-panel"]').waitFor();
    const [c] = await onChain();
    expect(c!.responses.every(Boolean)).toBe(true);
    await shot('04-posted');
  });

  it('ranks Confirm from one account and Switch from another, and changes a ranking', async () => {
    await page.keyboard.press('1');
    await page.locator(`[data-ranker="${ACCOUNT_0}"]`).getByText('Confirm').waitFor();
    await page.getByLabel('Test account').selectOption('2');
    await page.getByRole('button', { name: /Switch · B is better/ }).click();
    await page.locator(`[data-ranker="${ACCOUNT_1}"]`).getByText('Switch').waitFor();
    // The user's own ranking is marked, and can be changed.
    await page.locator(`tr.mine[data-ranker="${ACCOUNT_1}"]`).waitFor();
    await page.keyboard.press('1');
    await page.locator(`[data-ranker="${ACCOUNT_1}"]`).getByText('Confirm').waitFor();
    await page.keyboard.press('2');
    await page.locator(`[data-ranker="${ACCOUNT_1}"]`).getByText('Switch').waitFor();
    const [c] = await onChain();
    expect(c!.rankings.map((r) => [r.ranker.toLowerCase(), r.order[0]])).toEqual([
      [ACCOUNT_0, 0],
      [ACCOUNT_1, 1],
    ]);
    await shot('05-ranked');
  });

  it('verifies both responses by re-running the model in a worker', async () => {
    await page.getByRole('button', { name: 'Verify responses' }).click();
    await page.locator('[data-response="0"] [data-verify="verified"]').waitFor({ timeout: 120_000 });
    await page.locator('[data-response="1"] [data-verify="verified"]').waitFor({ timeout: 120_000 });
    await shot('06-verified');
  });

  it("shows a rejected prompt with the backend's reason", async () => {
    // Sent straight to the contract, as another client could: 2 total tokens leave no room after this prompt, which
    // only the backend (it has the tokenizer) can tell.
    const provider = new JsonRpcProvider(stack.devnet.rpcUrl, 31337, { staticNetwork: true });
    try {
      const signer = devnetAccount(2).connect(provider);
      const contract = trustAndTeach(stack.devnet.deployments.contracts.TrustAndTeach, signer);
      await sendPrompt(contract, 'The big dog ran home', { steps: 2 });
    } finally {
      provider.destroy();
    }
    const row = page.locator('[data-conversation="1"]');
    await row.locator('[data-stage="rejected"]').waitFor();
    await row.click();
    await page
      .getByRole('alert')
      .getByText(/prompt-exceeds-context/)
      .waitFor();
    await shot('07-rejected');
    // the backend's rejectPrompt voucher, executed like a response's: the chain then says Rejected
    await page.locator('[data-testid="rejection"]').getByRole('button', { name: 'Record on-chain' }).click();
    await page.locator('[data-testid="rejection-on-chain"]').waitFor({ timeout: 120_000 });
    const reader = new JsonRpcProvider(stack.devnet.rpcUrl, 31337, { staticNetwork: true });
    try {
      const view = await trustAndTeach(
        stack.devnet.deployments.contracts.TrustAndTeach,
        reader,
      ).getConversation(1);
      expect([Number(view.status), Number(view.rejectionReason)]).toEqual([4, 3]); // Rejected: prompt-exceeds-context
    } finally {
      reader.destroy();
    }
    await page.locator('[data-conversation="0"]').click();
  });

  it('shows the raw outputs, the model card and the contracts in Inspect', async () => {
    await page.getByRole('tab', { name: 'Inspect' }).click();
    await page.locator('[data-testid="model-card"]').getByText('stories260K').waitFor();
    await page
      .locator('[data-testid="raw-inputs"]')
      .getByText(/prompt #0/)
      .waitFor();
    await shot('08-inspect');
    await page.getByRole('tab', { name: 'Vouchers' }).click();
    await page
      .locator('[data-testid="raw-vouchers"]')
      .getByText(/postResponse #0 · response 1/)
      .waitFor();
    await page.getByRole('tab', { name: 'Label' }).click();
  });

  it('downloads the dataset in every format with the on-chain texts', async () => {
    const [c] = await onChain();
    expect(c!.id).toBe(0n);
    const text = (i: 0 | 1) => decodeUtf8(c!.responses[i]!.bytes).text;

    const dpo = await download('dpo-jsonl');
    expect(dpo.name).toMatch(/^trust-and-teach-devnet-.*\.jsonl$/);
    const lines = dpo.text
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { prompt: string; chosen: string; rejected: string; metadata: { ranker: string } },
      );
    expect(lines).toHaveLength(2);
    const byRanker = new Map(lines.map((l) => [l.metadata.ranker.toLowerCase(), l]));
    expect(byRanker.get(ACCOUNT_0)).toMatchObject({ prompt: PROMPT, chosen: text(0), rejected: text(1) });
    expect(byRanker.get(ACCOUNT_1)).toMatchObject({ prompt: PROMPT, chosen: text(1), rejected: text(0) });

    const json = await download('json');
    const rows = JSON.parse(json.text) as { ranker: string; chosen: string; rejected: string }[];
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.ranker.toLowerCase() === ACCOUNT_0)).toMatchObject({
      chosen: text(0),
      rejected: text(1),
    });

    const tsv = await download('tsv');
    const table = parseTsv(tsv.text);
    expect(table).toHaveLength(2);
    expect(table.find((r) => r.ranker?.toLowerCase() === ACCOUNT_1)?.chosen).toBe(text(1));
  });

  it('says how to start the node when a network is unreachable', async () => {
    const other = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const p = await other.newPage();
    await p.goto(stack.url);
    await p.getByLabel('Network').selectOption('compose');
    await p
      .getByRole('alert')
      .getByText(/Can't reach the Docker compose node/)
      .waitFor();
    await p
      .getByRole('alert')
      .getByText(/pnpm dev/)
      .first()
      .waitFor();
    await shot('09-node-down', p);
    await other.close();
  });

  it('tells an injected wallet on another chain to switch, and switches it', async () => {
    // MetaMask cannot run here; this stand-in is the smallest EIP-1193 wallet: it starts on mainnet (chain 1), forwards
    // reads to the devnet RPC, and moves to the chain the page asks for.
    const other = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await other.addInitScript(
      ({ rpc, account }) => {
        let chainId = '0x1';
        const listeners: Record<string, ((x: unknown) => void)[]> = {};
        (window as unknown as { ethereum: unknown }).ethereum = {
          async request({ method, params }: { method: string; params?: unknown[] }) {
            if (method === 'eth_chainId') return chainId;
            if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [account];
            if (method === 'wallet_switchEthereumChain') {
              chainId = (params![0] as { chainId: string }).chainId;
              for (const l of listeners.chainChanged ?? []) l(chainId);
              return null;
            }
            const res = await fetch(rpc, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: params ?? [] }),
            });
            const body = (await res.json()) as { result?: unknown; error?: { message: string } };
            if (body.error) throw new Error(body.error.message);
            return body.result;
          },
          on(event: string, l: (x: unknown) => void) {
            (listeners[event] ??= []).push(l);
          },
          removeListener(event: string, l: (x: unknown) => void) {
            listeners[event] = (listeners[event] ?? []).filter((x) => x !== l);
          },
        };
      },
      { rpc: stack.devnet.rpcUrl, account: '0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc' },
    );
    const p = await other.newPage();
    await p.goto(stack.url);
    await p.getByRole('button', { name: 'Connect wallet' }).click();
    await p.getByText('Detected Wallet').click();
    const banner = p.getByRole('alert').filter({ hasText: 'Your wallet is on chain' });
    await banner.waitFor();
    await p.getByText('Connection Successful').waitFor({ state: 'detached' });
    await p.locator('[data-conversation="0"]').waitFor();
    await shot('10-wrong-network', p);
    await p.getByRole('button', { name: 'Switch network' }).click();
    await banner.waitFor({ state: 'detached' });
    await other.close();
  });

  it('works at phone width', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
    });
    const p = await phone.newPage();
    await p.goto(stack.url);
    await p.locator('[data-conversation="0"]').waitFor();
    await shot('11-phone', p);
    await p.locator('[data-conversation="0"]').click();
    await p.locator('[data-testid="rankings"]').scrollIntoViewIfNeeded();
    await shot('12-phone-detail', p);
    await phone.close();
    expect(pageErrors).toEqual([]);
  });
});
