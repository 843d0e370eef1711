import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { postOtlpJson, sendTrace } from '../otlp-client.ts';

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

describe('logs page', () => {
  test('searches log records, pages to older ones, shows them as text and links to their span', async () => {
    const { traceId, spanIds } = await sendTrace(fl, { spans: 3, service: 'checkout' });
    const now = BigInt(Date.now()) * 1_000_000n;
    const hostile = '<img src=x onerror="document.body.dataset.pwned=1">';
    const records = Array.from({ length: 120 }, (_, i) => ({
      timeUnixNano: String(now - BigInt(i + 1) * 1_000_000_000n),
      severityNumber: i === 0 ? 17 : 9,
      severityText: i === 0 ? 'ERROR' : 'INFO',
      body: { stringValue: i === 0 ? `card declined ${hostile}` : `step ${i}` },
      traceId: i === 0 ? traceId : undefined,
      spanId: i === 0 ? spanIds[1] : undefined,
      attributes: [{ key: 'order.id', value: { stringValue: `o-${i}` } }],
    }));
    await postOtlpJson(fl, '/v1/logs', {
      resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] }, scopeLogs: [{ logRecords: records }] }],
    });
    await eventually(async () => (((await fl.get('/api/v1/projects/default/logs?limit=200')).body as { logs: unknown[] }).logs.length === 120 ? true : null));

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${fl.api}/projects/default/logs?token=${fl.token}`);
    await page.waitForSelector('[data-testid="log-row"]');
    expect(await page.locator('[data-testid="log-row"]').count()).toBe(100);
    expect(await page.locator('[data-testid="log-count"]').textContent()).toContain('100+ records');
    await page.locator('[data-testid="log-more"]').click();
    await expect.poll(() => page.locator('[data-testid="log-row"]').count()).toBe(120);
    expect(await page.locator('[data-testid="log-more"]').count()).toBe(0);
    expect(await page.locator('[data-testid="log-body"]').first().textContent()).toBe(`card declined ${hostile}`);

    await page.locator('[data-testid="log-search-severity"]').selectOption('error');
    await page.locator('[data-testid="log-search-text"]').fill('DECLINED');
    await page.locator('[data-testid="log-search-submit"]').click();
    await page.waitForURL(/severity=error/);
    expect(page.url()).toContain('query=DECLINED');
    await expect.poll(() => page.locator('[data-testid="log-row"]').count()).toBe(1);
    expect(await page.locator('[data-testid="log-row"]').getAttribute('data-severity')).toBe('error');
    await page.locator('[data-testid="log-row"] button').click();
    await page.waitForSelector('[data-testid="log-detail"]');
    expect(await page.locator('[data-testid="log-attributes"]').textContent()).toContain('o-0');
    expect(await page.locator('[data-testid="log-detail"] img').count()).toBe(0);
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
    await page.screenshot({ path: join(SCREENSHOTS, 'logs.png') });

    await page.locator('[data-testid="log-trace-link"]').click();
    await page.waitForSelector(`[data-testid="span-detail"][data-span-id="${spanIds[1]}"]`);
    expect(page.url()).toContain(`/traces/${traceId}?span=${spanIds[1]}`);

    await page.goto(`${fl.api}/projects/default/logs?traceId=nothex`);
    expect(await page.locator('[data-testid="log-search-submit"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="log-search-validation"]').textContent()).toContain('32 hexadecimal');
    await page.close();
  });
});
