// pnpm bench:ui [--json] [--conversations N]: how fast the UI is with many conversations on the chain. A devnet (no
// backend: the seeding posts the responses as executed vouchers would) and the Vite dev server on free ports, Debian's
// Chromium; the same measurements at a small baseline count and at N (default 5,000), in the same run:
//   list  time from opening the page to the first conversation row on screen (chain read included)
//   open  time from clicking a row far down the list to its two responses on screen
//   read  @tt/client's ConversationReader reading every conversation from scratch, in Node (the list's chain part)
// Each is the median of a few runs. A table, or with --json one JSON object on the last line.
import { ConversationReader, trustAndTeach } from '@tt/client';
import { seedConversations } from '@tt/devnet/testing';
import { JsonRpcProvider } from 'ethers';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../test/e2e/browser.ts';
import { startStack, type Stack } from '../test/e2e/stack.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const at = args.indexOf('--conversations');
const N = at >= 0 ? Number(args[at + 1]) : 5000;
const BASELINE = 50;
const RUNS = 3;
const info = (line: string) => (json ? process.stderr : process.stdout).write(line + '\n');

if (!Number.isSafeInteger(N) || N <= BASELINE) {
  console.error(`--conversations must be a whole number above ${BASELINE}`);
  process.exit(2);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measureList(browser: Browser, stack: Stack, total: number) {
  const list: number[] = [];
  const open: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    // every run starts from the "All" view, newest first, so the rows and the row clicked are the same each time
    await context.addInitScript(() => localStorage.setItem('tt.queueFilter', '"all"'));
    const page = await context.newPage();
    page.setDefaultTimeout(300_000);
    const t0 = performance.now();
    await page.goto(stack.url);
    await page.locator('ul.list [data-conversation]').first().waitFor();
    list.push(performance.now() - t0);
    await page.waitForFunction(
      (n) => document.querySelector('ul.list')?.getAttribute('data-total') === String(n),
      total,
    );
    // a row far down: the middle of the list
    await page.locator('ul.list').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    // the rows in view change as the list scrolls: settle, then click the row by its id
    await page.waitForTimeout(200);
    const id = await page.locator('ul.list [data-conversation]').nth(8).getAttribute('data-conversation');
    const t1 = performance.now();
    await page.locator(`[data-conversation="${id}"]`).click();
    await page
      .locator(`[data-detail="${id}"] [data-testid="response-text-1"]`)
      .getByText(`(${id}/1)`)
      .waitFor();
    open.push(performance.now() - t1);
    await context.close();
  }
  return { list: median(list), open: median(open) };
}

async function measureRead(stack: Stack) {
  const provider = new JsonRpcProvider(stack.devnet.rpcUrl, 31337, { staticNetwork: true, cacheTimeout: -1 });
  const times: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const reader = new ConversationReader({
        contract: trustAndTeach(stack.devnet.deployments.contracts.TrustAndTeach, provider),
        provider,
        fromBlock: stack.devnet.deployments.trustAndTeachDeploymentBlock,
        rpcUrl: stack.devnet.rpcUrl,
      });
      const t0 = performance.now();
      await reader.update();
      times.push(performance.now() - t0);
    }
  } finally {
    provider.destroy();
  }
  return median(times);
}

const stack = await startStack(() => undefined, { backend: 'none' });
const { browser, close } = await launchBrowser();
try {
  // one load first: the dev server compiles the modules once, which is not what a list of N costs
  const warm = await browser.newPage();
  await warm.goto(stack.url);
  await warm.getByText('No conversations yet').waitFor({ timeout: 300_000 });
  await warm.close();

  const rows: { conversations: number; list: number; open: number; read: number }[] = [];
  let seeded = 0;
  for (const count of [BASELINE, N]) {
    info(`seeding up to ${count} conversations…`);
    const s = await seedConversations(stack.devnet, { count: count - seeded, posted: count - seeded });
    seeded = count;
    info(`  ${s.ids.length} added (${s.rankings} rankings, ${s.blocks} blocks); measuring…`);
    const read = await measureRead(stack);
    rows.push({ conversations: count, ...(await measureList(browser, stack, count)), read });
  }
  const [base, big] = rows as [(typeof rows)[0], (typeof rows)[0]];
  const ratio = (k: 'list' | 'open' | 'read') => Number((big[k] / base[k]).toFixed(2));
  const result = {
    conversations: N,
    baseline: BASELINE,
    runs: RUNS,
    listMs: Math.round(big.list),
    openMs: Math.round(big.open),
    readMs: Math.round(big.read),
    baselineListMs: Math.round(base.list),
    baselineOpenMs: Math.round(base.open),
    baselineReadMs: Math.round(base.read),
    ratio: { list: ratio('list'), open: ratio('open'), read: ratio('read') },
  };
  if (json) console.log(JSON.stringify(result));
  else {
    const pad = (s: string | number, n: number) => String(s).padStart(n);
    console.log(
      `\n${'conversations'.padEnd(16)}${pad('list (ms)', 11)}${pad('open (ms)', 11)}${pad('read (ms)', 11)}`,
    );
    for (const r of rows)
      console.log(
        `${String(r.conversations).padEnd(16)}${pad(Math.round(r.list), 11)}${pad(Math.round(r.open), 11)}${pad(Math.round(r.read), 11)}`,
      );
    console.log(
      `${`ratio ${N}/${BASELINE}`.padEnd(16)}${pad(`×${ratio('list')}`, 11)}${pad(`×${ratio('open')}`, 11)}${pad(`×${ratio('read')}`, 11)}`,
    );
  }
} finally {
  await close();
  await stack.stop();
}
