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
const ACCOUNT_3 = '0x90f79bf6eb2c4f870365e785982e1f101e93b906';
const PROMPT = 'Once upon a time, a little fox';

let stack: Stack;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
const pageErrors: string[] = [];
/** Console errors that are the page's own (not a resource the browser could not load, which the tests provoke). */
const consoleErrors: string[] = [];

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
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) consoleErrors.push(m.text());
    });
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

  it('warns that the offline smoke-test model writes unreadable text (tokenizer and checkpoint differ)', async () => {
    const warning = page.locator('[data-testid="model-warning"]');
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/32,000 pieces .* 512 tokens/);
    // one "Use test account" offer only, and none once connected
    expect(await page.getByRole('button', { name: 'Use test account' }).count()).toBe(0);
  });

  it('sends a prompt and shows both responses', async () => {
    await page.getByLabel('Prompt', { exact: true }).fill(PROMPT);
    await page.getByText(/\d+ prompt tokens \(with BOS\)/).waitFor();
    await page.getByLabel('Length', { exact: true }).fill('96');
    await page.getByRole('button', { name: 'Generate two responses' }).click();
    await page.getByText('Conversation #0 created').waitFor();
    // the keys are the page's again: focus left the prompt box
    expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('TEXTAREA');
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
    // Each voucher's transaction shows its own state; once both are on-chain the post panel gives way to the rankings.
    await page.locator('[data-post-tx="0"]').waitFor();
    await page.locator('[data-testid="rankings"]').waitFor();
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
    await page.locator('[data-filter="rejected"]').click();
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
    await page.locator('[data-filter="all"]').click();
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

  /** Sends a prompt straight to the contract from a test account, as another client would; its id. */
  async function promptFrom(account: number, text: string, steps = 24): Promise<bigint> {
    const provider = new JsonRpcProvider(stack.devnet.rpcUrl, 31337, { staticNetwork: true });
    try {
      const contract = trustAndTeach(
        stack.devnet.deployments.contracts.TrustAndTeach,
        devnetAccount(account).connect(provider),
      );
      return (await sendPrompt(contract, text, { steps })).conversationId;
    } finally {
      provider.destroy();
    }
  }
  const listed = () =>
    page
      .locator('ul.list [data-conversation]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-conversation')));
  const detailOf = (id: number | bigint) => page.locator(`[data-testid="detail"][data-detail="${id}"]`);

  it('posts every ready conversation in one go (Post all ready), each with its status and a total', async () => {
    expect(await promptFrom(3, 'The dog ran home')).toBe(2n);
    expect(await promptFrom(3, 'A bird sang')).toBe(3n);
    const postAll = page.getByRole('button', { name: 'Post all ready (2)' });
    await postAll.waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-filter="post"] .count').textContent()).toBe('2');
    await postAll.click();
    await page
      .locator('[data-testid="post-all-total"]')
      .getByText('2 of 2 posted')
      .waitFor({ timeout: 60_000 });
    expect(
      await page.locator('[data-post-all]').evaluateAll((r) => r.map((x) => x.getAttribute('data-status'))),
    ).toEqual(['posted', 'posted']);
    const all = await onChain();
    expect(all.filter((c) => c.responses.every(Boolean)).map((c) => c.id)).toEqual([0n, 2n, 3n]);
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('queues what needs me oldest first, opens it after a reload, and moves on by itself after a ranking', async () => {
    await page.getByLabel('Test account').selectOption('1'); // ranked #0 already
    await page.locator('[data-filter="mine"]').click();
    await expect.poll(listed).toEqual(['2', '3']);
    await page.reload();
    await detailOf(2).waitFor(); // the next pair that needs this account, not the newest (#3)
    await expect.poll(listed).toEqual(['2', '3']);
    await page.getByText('1 of 3 ranked by you').waitFor();
    await page.keyboard.press('1');
    await detailOf(3).waitFor({ timeout: 60_000 }); // opened by itself
    await page.getByText('2 of 3 ranked by you').waitFor();
    await expect.poll(listed).toEqual(['3']);
    // with "Next after ranking" off, the pair ranked stays open
    await page.getByLabel('Next after ranking').uncheck();
    await page.keyboard.press('2');
    await page.locator('[data-testid="rankings"]').getByText('1 prefers B').waitFor();
    await detailOf(3).waitFor();
    await page.getByLabel('Next after ranking').check();
    await page.getByText('Nothing needs you right now').waitFor();
  });

  it('shows how the rankers agree: per pair, and per ranker against the others', async () => {
    await page.locator('[data-filter="all"]').click();
    await page.locator('[data-conversation="0"]').click();
    const rankings = page.locator('[data-testid="rankings"]');
    await rankings.getByText('1 prefers A · 1 prefers B').waitFor();
    // account 3 ranks #0 (A), and the queue opens #2 by itself, which it ranks A as account 1 did
    await page.getByLabel('Test account').selectOption('3');
    await page.locator('[data-conversation="0"]').click();
    await page.keyboard.press('1');
    await detailOf(2).waitFor({ timeout: 60_000 });
    await page.keyboard.press('1');
    await detailOf(3).waitFor({ timeout: 60_000 });
    await page.locator('[data-conversation="0"]').click();
    await rankings.getByText('2 prefer A · 1 prefers B').waitFor({ timeout: 60_000 });
    // over every pair, against the majority of the other rankers of each: account 2 chose B where the others chose A
    // (#0); accounts 1 and 3 agree on #2; on #0 their others are split evenly, which says nothing
    const agreement = (who: string) =>
      page.locator(`tr[data-ranker="${who}"] [data-agreement]`).textContent();
    await expect.poll(() => agreement(ACCOUNT_0)).toBe('100% of 1');
    await expect.poll(() => agreement(ACCOUNT_1)).toBe('0% of 1');
    await expect.poll(() => agreement(ACCOUNT_3)).toBe('100% of 1');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('06b-agreement');
  });

  it('works from the keyboard: ? lists the keys, Esc leaves a field, j/k move, v verifies, Ctrl+Enter sends, p posts', async () => {
    await page.keyboard.press('?');
    const help = page.locator('[data-testid="keyboard-help"]');
    await help.waitFor();
    for (const key of ['j', 'k', '1', '2', 'p', 'v', '?', 'Esc'])
      await help.getByText(key, { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    // typed into the prompt box, j is a letter; Esc gives the keys back to the page
    const box = page.getByLabel('Prompt', { exact: true });
    await box.click();
    await page.getByTestId('send-hint').waitFor();
    await page.keyboard.type('Once upon a time j');
    expect(await box.inputValue()).toBe('Once upon a time j');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('TEXTAREA');
    await page.locator('[data-conversation="0"]').click();
    await page.keyboard.press('k'); // "All" is newest first: k goes to #1
    await detailOf(1).waitFor();
    await page.keyboard.press('k');
    await detailOf(2).waitFor();
    await page.keyboard.press('v');
    await page.locator('[data-response="0"] [data-verify]').waitFor();
    await page.locator('[data-response="1"] [data-verify="verified"]').waitFor({ timeout: 120_000 });

    // Ctrl+Enter sends from the box; then p posts the new pair once its proofs are ready
    await box.click();
    await page.getByLabel('Length', { exact: true }).fill('40');
    await box.click();
    await page.keyboard.press('Control+Enter');
    await page.getByText('Conversation #4 created').waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('TEXTAREA');
    await detailOf(4).waitFor();
    const post = page.getByRole('button', { name: 'Post on-chain' });
    await expect.poll(() => post.isEnabled(), { timeout: 60_000 }).toBe(true);
    await page.keyboard.press('p');
    await detailOf(4).locator('[data-testid="rankings"]').waitFor({ timeout: 60_000 });
    expect((await onChain())[4]!.responses.every(Boolean)).toBe(true);
  });

  it('says why a pair cannot be ranked before it is posted, and posts it, then ranks it', async () => {
    const id = await promptFrom(2, 'The moon was bright');
    await page.getByLabel('Next after ranking').uncheck(); // stay on it, to see the ranking land
    await page.locator('[data-filter="post"]').click();
    await page.locator(`[data-conversation="${id}"]`).click();
    await detailOf(id).locator('[data-stage="proofsReady"]').waitFor({ timeout: 60_000 });
    await page.keyboard.press('2');
    const offer = page.locator('[data-testid="rank-needs-post"]');
    await offer.getByText(/not on-chain yet/).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('05b-rank-needs-post');
    await offer.getByRole('button', { name: 'Post, then Switch' }).click();
    await page
      .locator(`tr[data-ranker="${'0x90f79bf6eb2c4f870365e785982e1f101e93b906'}"]`)
      .getByText('Switch')
      .waitFor({
        timeout: 90_000,
      });
    const c = (await onChain()).find((x) => x.id === id)!;
    expect(c.responses.every(Boolean)).toBe(true);
    expect(c.rankings.map((r) => r.order[0])).toEqual([1]);
    await page.getByLabel('Next after ranking').check();
  });

  it("keeps the backend's state across a restart: Inspect's counters are the same after it is replayed", async () => {
    await stack.devnet.settled();
    await page.getByRole('tab', { name: 'Inspect' }).click();
    const card = page.locator('[data-testid="model-card"]');
    await card.locator('[data-testid="model-card-mismatch"]').waitFor();
    const counters = async () => (await card.locator('dt:text-is("Inputs") + dd').textContent())?.trim();
    await page.reload();
    await page.getByRole('tab', { name: 'Inspect' }).click();
    await expect.poll(counters).toMatch(/^6 processed · 5 accepted · 1 rejected$/);
    const before = await counters();

    const logs = stack.devnet.logs.length;
    stack.devnet.node.backend!.kill('SIGKILL');
    await expect
      .poll(() => stack.devnet.logs.slice(logs).some((l) => l.includes('state restored')), {
        timeout: 60_000,
      })
      .toBe(true);
    expect(stack.devnet.logs.slice(logs).some((l) => /replaying 6 input/.test(l))).toBe(true);
    await page.reload();
    await page.getByRole('tab', { name: 'Inspect' }).click();
    await expect.poll(counters).toBe(before);
    // the inputs table names the prompt's author beside the contract that forwarded it
    const first = page.locator('[data-testid="raw-inputs"] tbody tr').last();
    await expect.poll(() => first.textContent()).toMatch(/TrustAndTeach.*0x7099…79C8/);
    await shot('08-inspect');
    await page.getByRole('tab', { name: 'Label' }).click();
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

  it('works at phone width: no horizontal scroll, the header fits, no key hints on a touch screen', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
    });
    const p = await phone.newPage();
    p.on('pageerror', (e) => pageErrors.push(e.message));
    const overflow = () =>
      p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await p.goto(stack.url);
    await p.getByRole('button', { name: 'Use test account' }).click();
    await p.getByLabel('Test account').waitFor();
    await p.locator('[data-filter="all"]').click();
    await p.locator('[data-conversation="0"]').waitFor();
    expect(await overflow()).toBe(0);
    expect(await p.locator('.kbd').first().isVisible()).toBe(false);
    await shot('11-phone', p);
    await p.locator('[data-conversation="0"]').click();
    await p.locator('[data-testid="rankings"]').scrollIntoViewIfNeeded();
    expect(await overflow()).toBe(0);
    await shot('12-phone-detail', p);
    await p.getByRole('tab', { name: 'Inspect' }).click();
    await p.locator('[data-testid="model-card"]').waitFor();
    expect(await overflow()).toBe(0);
    await phone.close();
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
