// A screenshot of any page in Debian's Chromium, printing the page's errors and warnings: for looking at the UI while
// working on it, next to serve.ts. Usage: node --import tsx test/e2e/screenshot.mts URL [out.png] [width] [waitMs]
import { launchBrowser } from './browser.ts';
const url = process.argv[2]!;
const out = process.argv[3] ?? '/tmp/fe-peek.png';
const width = Number(process.argv[4] ?? 1280);
const { browser, close } = await launchBrowser();
const page = await browser.newPage({ viewport: { width, height: width < 500 ? 844 : 860 } });
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warning')
    console.log('console', m.type(), m.text().slice(0, 300));
});
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(url);
await page.waitForTimeout(Number(process.argv[5] ?? 8000));
await page.screenshot({ path: out });
await close();
