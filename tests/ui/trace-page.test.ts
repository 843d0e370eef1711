import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { sendTrace } from '../otlp-client.ts';

let fl: Faultline;
let browser: Browser;
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');

beforeAll(async () => {
  fl = await startFaultline();
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
});

describe('trace page', () => {
  test('a cold deep link signs in, draws one bar per span and selects ?span=', async () => {
    const { traceId, spanIds } = await sendTrace(fl, { spans: 12, errorAt: 4, service: 'web' });
    await eventually(async () => ((await fl.get(`/api/v1/projects/default/traces/${traceId}`)).status === 200 ? true : null));
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const target = spanIds[4] ?? '';
    await page.goto(`${fl.api}/projects/default/traces/${traceId}?span=${target}&token=${fl.token}`);
    await page.waitForSelector('[data-testid="span-bar"]');
    expect(page.url()).not.toContain('token=');
    expect(await page.locator('[data-testid="span-bar"]').count()).toBe(12);
    const ids = await page.locator('[data-testid="span-bar"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-span-id')));
    expect(new Set(ids)).toEqual(new Set(spanIds));
    expect(await page.locator(`[data-testid="span-bar"][data-span-id="${target}"][data-error="true"]`).count()).toBe(1);
    await expect.poll(() => page.getByText(`span-4`, { exact: false }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'trace.png') });
    await page.close();
  });

  test('without a session the UI asks for a token', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${fl.api}/projects/default/traces`);
    await page.waitForSelector('input[type="password"]');
    await page.fill('input[type="password"]', fl.token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('form, table, [data-testid="trace-search"]');
    await page.screenshot({ path: join(SCREENSHOTS, 'search.png') });
    await page.close();
  });
});
