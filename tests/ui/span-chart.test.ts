import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openSignedIn } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { sendSpans } from './trace-search-fixtures.ts';

let fl: Faultline;
let browser: Browser;
const problems: string[] = [];
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

beforeAll(async () => {
  fl = await startFaultline();
  browser = await launchBrowser();
  const now = Date.now();
  for (let i = 0; i < 6; i++) {
    await sendSpans(fl, now - 600_000 + i * 60_000, [
      { id: 'r', parent: '', service: 'shop', name: 'GET /checkout', startMs: 0, durMs: 100, error: i < 2 },
      { id: 'p', parent: 'r', service: 'pay', name: 'POST /charge', startMs: 10, durMs: 50 },
    ]);
  }
  await eventually(
    async () => ((await fl.get('/api/v1/projects/default/traces')).body as { traces: unknown[] }).traces.length === 6 || null,
  );
});
afterAll(async () => {
  await browser.close();
  await fl.stop();
});

describe('span chart on the trace search page', () => {
  test('charts the matching spans, split by service; the measure and split live in the URL and survive a new search', async () => {
    const page = await openSignedIn(browser, fl, '/projects/default/traces', problems);
    await page.click('[data-testid="span-chart-open"]');
    await page.waitForSelector('[data-testid="span-chart"] [data-testid="chart-line"]');
    expect(new URL(page.url()).searchParams.get('chart')).toBe('calls');
    expect(await page.locator('[data-testid="span-chart"] [data-testid="chart-line"]').count()).toBe(1);

    await page.fill('[data-testid="span-chart-groupby"]', 'service');
    await page.click('[data-testid="span-chart-apply"]');
    await page.waitForURL(/groupBy=service/);
    await poll(() => page.locator('[data-testid="span-chart"] [data-testid="chart-line"]').count()).toBe(2);
    await poll(() => page.locator('[data-testid="span-chart"] .legend').textContent()).toContain('pay');

    await page.selectOption('[data-testid="span-chart-measure"]', 'errors');
    await page.waitForURL(/chart=errors/);
    await poll(() => page.locator('[data-testid="span-chart"] figcaption .title').textContent()).toBe('Error rate by service');
    await page.screenshot({ path: join(SCREENSHOTS, 'span-chart.png') });

    // a search keeps the chart: only shop's spans are left
    await page.goto(`${fl.api}${new URL(page.url()).pathname}?service=shop&chart=errors&groupBy=service`);
    await poll(() => page.locator('[data-testid="span-chart"] [data-testid="chart-line"]').count()).toBe(1);
    await page.click('[data-testid="span-chart-close"]');
    await poll(() => page.locator('[data-testid="span-chart-panel"]').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('service')).toBe('shop');
    expect(problems).toEqual([]);
    await page.close();
  });
});
