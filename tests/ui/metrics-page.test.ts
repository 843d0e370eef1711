import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { postOtlpJson } from '../otlp-client.ts';

let fl: Faultline;
let browser: Browser;

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);

beforeAll(async () => {
  [fl, browser] = await Promise.all([startFaultline(), launchBrowser()]);
  const now = Date.now();
  const resource = (service: string, metrics: unknown[]) => ({ resource: { attributes: [attr('service.name', service)] }, scopeMetrics: [{ metrics }] });
  const requests = (route: string, values: number[]) =>
    values.map((v, i) => ({ startTimeUnixNano: ns(now - 3_600_000), timeUnixNano: ns(now - (values.length - i) * 60_000), asInt: String(v), attributes: [attr('http.route', route)] }));
  await postOtlpJson(fl, '/v1/metrics', {
    resourceMetrics: [
      resource('api', [
        { name: 'http.server.requests', description: 'requests served', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [...requests('/a', [10, 70, 130]), ...requests('/b', [5, 35, 65])] } },
        { name: 'process.memory.usage', unit: 'By', gauge: { dataPoints: [{ timeUnixNano: ns(now - 120_000), asInt: '50000000' }, { timeUnixNano: ns(now - 60_000), asInt: '52000000' }] } },
      ]),
      resource('worker', [{ name: 'process.memory.usage', unit: 'By', gauge: { dataPoints: [{ timeUnixNano: ns(now - 120_000), asInt: '80000000' }, { timeUnixNano: ns(now - 60_000), asInt: '81000000' }] } }]),
      // Five services: every one gets its own line and colour.
      ...['s1', 's2', 's3', 's4', 's5'].map((service, i) =>
        resource(service, [{ name: 'jobs.active', gauge: { dataPoints: [{ timeUnixNano: ns(now - 120_000), asInt: String(i + 1) }, { timeUnixNano: ns(now - 60_000), asInt: String(i + 2) }] } }]),
      ),
    ],
  });
  await eventually(async () => (((await fl.get('/api/v1/projects/default/otel-metrics')).body as { metrics: unknown[] }).metrics.length === 3 ? true : null));
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
});

describe('metrics page', () => {
  test('lists the OTLP metrics; one opens as a chart per service, split by an attribute on demand', async () => {
    const problems: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${fl.api}/projects/default/metrics?token=${fl.token}`);
    await page.waitForSelector('[data-testid="metric-row"]');
    expect(await page.locator('[data-testid="metric-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))).toEqual([
      'http.server.requests',
      'jobs.active',
      'process.memory.usage',
    ]);
    expect((await page.locator('[data-testid="metric-row"][data-name="process.memory.usage"] td').allTextContents()).map((t) => t.trim())).toEqual([
      'process.memory.usage',
      'gauge',
      'By',
      'api, worker',
      '4',
    ]);
    expect(await page.locator('[data-testid="nav-metrics"][aria-current="page"]').count()).toBe(1);

    await page.fill('[data-testid="metric-filter"]', 'memory');
    await expect.poll(() => page.locator('[data-testid="metric-row"]').count()).toBe(1);
    await page.click('[data-testid="metric-link"]');
    await page.waitForURL(/metric=process\.memory\.usage/);
    await page.waitForSelector('[data-testid="metric-chart"] [data-testid="chart-line"]', { state: 'attached' });
    expect(await page.locator('[data-testid="metric-chart"] [data-testid="chart-line"]').count()).toBe(2); // api, worker

    await page.goto(`${fl.api}/projects/default/metrics?metric=http.server.requests`);
    // (attached, not visible: a steady rate is a flat line, whose box has no height)
    await page.waitForSelector('[data-testid="metric-chart"] [data-testid="chart-line"]', { state: 'attached' });
    expect(await page.locator('[data-testid="metric-chart"] [data-testid="chart-line"]').count()).toBe(1);
    expect(await page.locator('[data-testid="metric-chart"]').textContent()).toContain('rate per second');
    await page.fill('[data-testid="metric-groupby"]', 'http.route');
    await page.click('[data-testid="metric-groupby-apply"]');
    await page.waitForURL(/groupBy=http\.route/);
    await expect.poll(() => page.locator('[data-testid="metric-chart"] [data-testid="chart-line"]').count()).toBe(2);
    expect(await page.locator('[data-testid="metric-series-count"]').textContent()).toContain('2 series');

    await page.goto(`${fl.api}/projects/default/metrics?metric=jobs.active`);
    await page.waitForSelector('[data-testid="metric-chart"] [data-testid="chart-line"]', { state: 'attached' });
    const strokes = await page.locator('[data-testid="metric-chart"] [data-testid="chart-line"]').evaluateAll((lines) => lines.map((l) => getComputedStyle(l).stroke));
    expect(strokes).toHaveLength(5);
    expect(new Set(strokes).size).toBe(5);
    expect(strokes).not.toContain('none');
    expect(problems).toEqual([]);
    await page.close();
  });
});
