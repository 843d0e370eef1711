// Throwaway smoke script against the mock server: screenshots + console/CSP errors.
//   npm run mock -w @faultline/ui &  then  node ui/dev/shots.ts  (writes ui/dev/shots/*.png, git-ignored)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const BASE = process.env.BASE ?? "http://127.0.0.1:5180";
const OUT = join(import.meta.dirname, 'shots');
mkdirSync(OUT, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
const problems: string[] = [];
function watch(page: Page): Page {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`DIALOG (XSS?): ${d.message()}`);
    void d.dismiss();
  });
  return page;
}
const page = watch(await ctx.newPage());
const shot = (name: string) => page.screenshot({ path: join(OUT, `${name}.png`) });
const log = (...a: unknown[]) => console.log(...a);

await page.goto(`${BASE}/projects/default/traces`); // `/` lands on the issues list
await page.waitForSelector('input[type="password"]');
log('redirected to', page.url());
await page.fill('input[type="password"]', 'wrong');
await page.keyboard.press('Enter');
await page.waitForSelector('[data-testid="sign-in-error"]');
await shot('1-signin-error');
await page.fill('input[type="password"]', 'dev');
await page.keyboard.press('Enter');
await page.waitForSelector('[data-testid="trace-row"]');
log('results', await page.locator('[data-testid="trace-row"]').count());
await shot('2-search');

await page.selectOption('[data-testid="search-service"]', 'payments');
await page.waitForFunction(() => document.querySelectorAll('[data-testid="search-operation"] option').length > 1);
await page.selectOption('[data-testid="search-status"]', 'error');
await page.fill('[data-testid="search-attributes"]', 'http.method=POST\nbad line');
log('validation', await page.locator('[data-testid="search-validation"]').innerText());
await page.fill('[data-testid="search-attributes"]', 'http.method=POST');
await page.click('[data-testid="search-submit"]');
await page.waitForURL(/status=error/);
await page.waitForSelector('[data-testid="trace-row"], [data-testid="state-empty"]');
log('search url', page.url());
await shot('3-search-filtered');

await page.goto(`${BASE}/projects/default/traces?minDurationMs=abc`);
await page.waitForSelector('[data-testid="state-error"]');
log('bad filter message:', await page.locator('[data-testid="state-message"]').innerText());

await page.goto(`${BASE}/projects/default/traces/weird?span=${(0x1000 + 53).toString(16).padStart(16, '0')}`);
await page.waitForSelector('[data-testid="span-detail"]');
log('weird bars', await page.locator('[data-testid="span-bar"]').count(), 'errors', await page.locator('[data-testid="span-bar"][data-error="true"]').count());
log('weird detail name', await page.locator('[data-testid="span-detail-name"]').innerText());
await shot('4-weird');

await page.goto(`${BASE}/projects/default/traces/big?span=${(0x1000 + 4000).toString(16).padStart(16, '0')}`);
await page.waitForSelector('[data-testid="span-detail"]');
await page.waitForTimeout(300);
const sel = page.locator('[data-testid="span-row"][aria-selected="true"]');
log('big: rendered rows', await page.locator('[data-testid="span-row"]').count(), 'selected in viewport', await sel.isVisible(), await sel.boundingBox());
await shot('5-big');
await page.click('[data-testid="collapse-all"]');
log('big collapsed rows', await page.locator('[data-testid="span-row"]').count());
await page.click('[data-testid="expand-all"]');

const first = (await ctx.newPage());
watch(first);
await first.goto(`${BASE}/projects/default/traces/weird`);
await first.waitForSelector('[data-testid="span-row"]');
await first.locator('[data-testid="span-row"]').nth(2).click();
await first.waitForURL(/span=/);
log('after click url', first.url());
await first.keyboard.press('ArrowDown');
await first.waitForTimeout(200);
log('after ArrowDown url', first.url());
await first.locator('[data-testid="span-toggle"]').first().click();
log('after collapse rows', await first.locator('[data-testid="span-row"]').count());
await first.keyboard.press('Escape');
await first.waitForTimeout(200);
log('after Escape url', first.url(), 'detail', await first.locator('[data-testid="span-detail"]').count());

await page.goto(`${BASE}/projects/default/traces/nope`);
await page.waitForSelector('[data-testid="state-not-found"]');
await shot('6-not-found');

await page.click('[data-testid="sign-out"]');
await page.waitForSelector('input[type="password"]');
log('signed out ok');

const t0 = Date.now();
await page.goto(`${BASE}/projects/default/traces/huge`);
await page.fill('input[type="password"]', 'dev');
await page.keyboard.press('Enter');
await page.waitForSelector('[data-testid="span-row"]', { timeout: 60_000 });
log('huge: ms', Date.now() - t0, 'rendered rows', await page.locator('[data-testid="span-row"]').count());
await page.locator('[data-testid="waterfall"]').evaluate((el) => (el.scrollTop = 600_000));
await page.waitForTimeout(300);
await shot('7-huge-scrolled');

log('PROBLEMS:', problems.length ? problems : 'none');
await browser.close();
