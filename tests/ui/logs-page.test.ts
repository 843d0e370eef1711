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

  test('the histogram counts the records by level and service; levels, services and a brush narrow the search', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const records = [13, 13, 13, 13, 21, 21].map((severityNumber, i) => ({
      timeUnixNano: String(now - BigInt(i + 1) * 1_000_000_000n),
      severityNumber,
      severityText: severityNumber === 13 ? 'WARN' : 'FATAL',
      body: { stringValue: `billing ${i}` },
    }));
    await postOtlpJson(fl, '/v1/logs', {
      resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'billing' } }] }, scopeLogs: [{ logRecords: records }] }],
    });
    // the first test's 120 checkout records (one error) and these 6
    await eventually(async () => (((await fl.get('/api/v1/projects/default/logs/histogram')).body as { total: number }).total === 126 ? true : null));

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${fl.api}/projects/default/logs?token=${fl.token}`);
    const histogram = page.locator('[data-testid="log-histogram"]');
    await expect.poll(() => histogram.getAttribute('data-total')).toBe('126');
    const segmentTotal = async () =>
      (await page.locator('[data-testid="log-histogram-segment"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))))).reduce((a, b) => a + b, 0);
    expect(await segmentTotal()).toBe(126);
    const levelCounts = async () =>
      Object.fromEntries(
        await page.locator('[data-testid="log-level-toggle"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-level'), Number(e.getAttribute('data-count'))])),
      );
    expect(await levelCounts()).toEqual({ debug: 0, info: 119, warn: 4, error: 1, fatal: 2 });
    const services = () => page.locator('[data-testid="log-service-toggle"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-service')}:${e.getAttribute('data-count')}`));
    expect(await services()).toEqual(['checkout:120', 'billing:6']);
    expect(await page.locator('#log-services option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value))).toEqual(expect.arrayContaining(['billing', 'checkout']));

    // hover: the tallest column's bucket and counts
    const box = await page.locator('[data-testid="log-histogram-segment"][data-level="info"]').last().boundingBox();
    if (!box) throw new Error('no info segment');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tip = page.locator('[data-testid="log-histogram-tip"]');
    await tip.waitFor();
    // a bucket that ends on the next day names that day too ("Dec 03 23:59 – Dec 04 00:00")
    expect(await tip.textContent()).toMatch(/\d\d:\d\d – ([A-Z][a-z]{2} \d\d )?\d\d:\d\d/);
    expect(await tip.textContent()).toContain('info');
    await page.screenshot({ path: join(SCREENSHOTS, 'logs-histogram.png') });

    // a level: that level and above, in the URL, the table and the histogram
    await page.locator('[data-testid="log-level-toggle"][data-level="warn"]').click();
    await page.waitForURL(/severity=warn/);
    await expect.poll(() => page.locator('[data-testid="log-row"]').count()).toBe(7);
    expect(new Set(await page.locator('[data-testid="log-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-severity'))))).toEqual(new Set(['warn', 'error', 'fatal']));
    await expect.poll(() => histogram.getAttribute('data-total')).toBe('7');
    expect(await page.locator('[data-testid="log-level-toggle"][data-level="warn"]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('[data-testid="log-search-severity"]').inputValue()).toBe('warn');

    // a service: only its records, the Service input says so; a second click lets go of it
    await page.locator('[data-testid="log-service-toggle"][data-service="billing"]').click();
    await page.waitForURL(/service=billing/);
    expect(page.url()).toContain('severity=warn');
    await expect.poll(() => page.locator('[data-testid="log-row"]').count()).toBe(6);
    await expect.poll(() => histogram.getAttribute('data-total')).toBe('6');
    expect(await page.locator('[data-testid="log-search-service"]').inputValue()).toBe('billing');
    await page.locator('[data-testid="log-service-toggle"][data-service="billing"]').click();
    await expect.poll(() => page.url()).not.toContain('service=');
    await page.locator('[data-testid="log-level-toggle"][data-level="warn"]').click();
    await expect.poll(() => page.url()).not.toContain('severity=');
    await expect.poll(() => histogram.getAttribute('data-total')).toBe('126');

    // a brush over the middle half: an explicit window inside the hour
    const before = [Number(await histogram.getAttribute('data-x-start')), Number(await histogram.getAttribute('data-x-end'))] as const;
    const area = await page.locator('[data-testid="log-histogram-area"]').boundingBox();
    if (!area) throw new Error('no histogram');
    await page.mouse.move(area.x + area.width * 0.25, area.y + area.height / 2);
    await page.mouse.down();
    await page.mouse.move(area.x + area.width * 0.5, area.y + area.height / 2, { steps: 4 });
    await page.mouse.move(area.x + area.width * 0.75, area.y + area.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.waitForURL(/start=\d+&end=\d+/);
    const url = new URL(page.url());
    const [start, end] = [Number(url.searchParams.get('start')), Number(url.searchParams.get('end'))];
    expect(start).toBeGreaterThan(before[0]);
    expect(end).toBeLessThan(before[1]);
    expect((end - start) / (before[1] - before[0])).toBeGreaterThan(0.4);
    expect((end - start) / (before[1] - before[0])).toBeLessThan(0.6);
    await expect.poll(() => histogram.getAttribute('data-x-start')).toBe(String(start));
    expect(await histogram.getAttribute('data-x-end')).toBe(String(end));
    // the records are all from the last two minutes: none in the middle of the hour
    await expect.poll(() => histogram.getAttribute('data-total')).toBe('0');
    await page.locator('text=No log records match').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  test('an exception record links to its issue, opened at that event', async () => {
    await postOtlpJson(fl, '/v1/logs', {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'ledger' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  severityNumber: 17,
                  body: { stringValue: 'posting failed' },
                  attributes: [
                    { key: 'exception.type', value: { stringValue: 'LedgerError' } },
                    { key: 'exception.message', value: { stringValue: 'balance mismatch' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const issue = await eventually(async () => ((await fl.get('/api/v1/projects/default/issues?query=LedgerError')).body as { issues: Array<{ id: string }> }).issues[0] ?? null);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${fl.api}/projects/default/logs?query=posting&token=${fl.token}`);
    await page.locator('[data-testid="log-row"] button').click();
    await page.locator('[data-testid="log-issue-link"]').click();
    await page.waitForURL(new RegExp(`/issues/${issue.id}\\?event=[0-9a-f]{32}$`));
    await page.locator('text=balance mismatch').first().waitFor();
    // An event id that does not exist says so.
    await page.goto(`${fl.api}/projects/default/events/${'0'.repeat(32)}`);
    await page.locator('[data-testid="state-not-found"]').waitFor();
    await page.close();
  });

  test('live: a record sent after the page opened shows up without a click; an explicit window cannot be live', async () => {
    const send = (body: string) =>
      postOtlpJson(fl, '/v1/logs', {
        resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'tail' } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), severityNumber: 9, body: { stringValue: body } }] }] }],
      });
    await send('tailing first');
    await eventually(async () => (((await fl.get('/api/v1/projects/default/logs?query=tailing')).body as { logs: unknown[] }).logs.length === 1 ? true : null));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${fl.api}/projects/default/logs?query=tailing&range=15m&token=${fl.token}`);
    await page.waitForSelector('[data-testid="log-row"]');
    const live = page.locator('[data-testid="log-live"]');
    expect(await live.getAttribute('aria-pressed')).toBe('false');
    await live.click();
    await page.waitForURL(/live=1/);
    expect(await live.getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-testid="log-live-updated"]').waitFor();

    await send('tailing second');
    await expect.poll(() => page.locator('[data-testid="log-body"]').allTextContents(), { timeout: 20_000 }).toEqual(['tailing second', 'tailing first']);
    await live.click();
    await expect.poll(() => page.url()).not.toContain('live=');

    const end = Date.now();
    await page.goto(`${fl.api}/projects/default/logs?query=tailing&live=1&start=${end - 600_000}&end=${end}`);
    await page.waitForSelector('[data-testid="log-row"]');
    expect(await live.isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="log-live-updated"]').count()).toBe(0);
    await page.close();
  });
});
