import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openSignedIn } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { seedServices } from './perf-fixtures.ts';

let fl: Faultline;
let browser: Browser;
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');
const now = Date.now();
const problems: string[] = [];

beforeAll(async () => {
  fl = await startFaultline();
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await seedServices(fl, now, '1.9.0', 30 * 60_000, 100, false);
  await seedServices(fl, now, '1.10.0', 60_000, 160, true);
  await eventually(async () => {
    const map = (await fl.get('/api/v1/projects/default/service-map')).body as { edges?: unknown[] };
    const issues = (await fl.get('/api/v1/projects/default/issues?status=all')).body as { issues?: unknown[] };
    return map.edges?.length === 2 && issues.issues?.length === 1 ? true : null;
  }, 20_000);
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
});

const open = (path: string, theme: 'light' | 'dark' = 'light'): Promise<Page> => openSignedIn(browser, fl, path, problems, theme);

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });
const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent())?.trim();

describe('services, service map and releases', () => {
  test('services page: both services with their call counts, sparklines, range in the URL', async () => {
    const page = await open('/projects/default/services');
    await page.waitForSelector('[data-testid="service-row"]');
    expect(page.url()).not.toContain('token=');
    expect(await page.locator('[data-testid="nav-services"][aria-current="page"]').count()).toBe(1);
    const names = await page.locator('[data-testid="service-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-service')));
    expect(new Set(names)).toEqual(new Set(['web', 'api']));
    const wire = (
      (await fl.get(`/api/v1/projects/default/services?start=${now - 3_600_000}`)).body as {
        services: Array<{ name: string; calls: number }>;
      }
    ).services;
    expect(wire.find((s) => s.name === 'api')?.calls).toBe(40);
    for (const s of wire) {
      expect(await text(page, `[data-testid="service-row"][data-service="${s.name}"] [data-testid="service-calls"]`)).toBe(String(s.calls));
    }
    expect(await text(page, '[data-testid="service-row"][data-service="api"] [data-testid="service-error-rate"]')).toBe('25%');
    await poll(() => page.locator('[data-testid="service-row"] [data-testid="sparkline-path"]').count()).toBe(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'services.png') });

    // the shared range picker writes ?range= and the service links carry it
    await page.selectOption('[data-testid="range-select"]', '6h');
    await poll(() => new URL(page.url()).searchParams.get('range')).toBe('6h');
    await page.waitForSelector('[data-testid="service-row"][data-service="api"]');
    expect(await page.locator('[data-testid="service-row"][data-service="api"] [data-testid="service-link"]').getAttribute('href')).toBe(
      '/projects/default/services/api?range=6h',
    );

    // Apdex names its threshold T (the API's apdexMs, which the UI sends)
    expect(await text(page, '[data-testid="sort-apdex"]')).toBe('Apdex (T = 500 ms)');
    expect(await page.locator('th:has([data-testid="sort-apdex"])').getAttribute('title')).toContain('T = 500 ms');

    // the order lives in the URL (next to the range): kept on reload and on the way back from a service
    const order = () => page.locator('[data-testid="service-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-service')));
    const params = () => Object.fromEntries(new URL(page.url()).searchParams);
    await page.click('[data-testid="sort-name"]');
    await poll(params).toEqual({ range: '6h', sort: 'name', dir: 'asc' });
    expect(await order()).toEqual(['api', 'web']);
    await page.reload();
    await page.waitForSelector('[data-testid="service-row"]');
    expect(await order()).toEqual(['api', 'web']);
    expect(await page.locator('th:has([data-testid="sort-name"])').getAttribute('aria-sort')).toBe('ascending');
    await page.click('[data-testid="sort-name"]');
    await poll(params).toEqual({ range: '6h', sort: 'name', dir: 'desc' });
    expect(await order()).toEqual(['web', 'api']);
    // back to the default order: a clean URL again
    await page.click('[data-testid="sort-calls"]');
    await poll(params).toEqual({ range: '6h' });
    await page.click('[data-testid="sort-name"]');
    await page.click('[data-testid="sort-name"]');
    await poll(params).toEqual({ range: '6h', sort: 'name', dir: 'desc' });

    // j/k + Enter opens a service
    await page.locator('body').click({ position: { x: 5, y: 700 } });
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="service-page"]');
    expect(new URL(page.url()).pathname).toBe('/projects/default/services/web');
    await page.goBack();
    await page.waitForSelector('[data-testid="service-row"]');
    expect(params()).toEqual({ range: '6h', sort: 'name', dir: 'desc' });
    expect(await order()).toEqual(['web', 'api']);
    await page.close();
  });

  test('cold deep link to a service: charts, sortable operations, traces links, top errors', async () => {
    const page = await open('/projects/default/services/api');
    await page.waitForSelector('[data-testid="chart-latency"] [data-testid="chart-line"]');
    expect(await text(page, '[data-testid="service-name"]')).toBe('api');
    for (const chart of ['chart-requests', 'chart-errors', 'chart-latency']) {
      expect(await page.locator(`[data-testid="${chart}"] svg path[data-testid="chart-line"]`).count()).toBeGreaterThan(0);
    }
    expect(await page.locator('[data-testid="chart-latency"] [data-testid="chart-line"]').count()).toBe(3);
    expect(await text(page, '[data-testid="stat-calls"]')).toBe('40');
    expect(await text(page, '[data-testid="stat-apdex-note"]')).toBe('(T = 500 ms)');
    await page.waitForSelector('[data-testid="operation-row"]');
    const ops = () =>
      page.locator('[data-testid="operation-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-operation')));
    expect(new Set(await ops())).toEqual(new Set(['POST /api/cart', 'SELECT cart']));
    await page.click('[data-testid="sort-name"]');
    expect(await ops()).toEqual(['POST /api/cart', 'SELECT cart']);
    await page.click('[data-testid="sort-name"]');
    expect(await ops()).toEqual(['SELECT cart', 'POST /api/cart']);
    const tracesHref = await page.locator('[data-testid="service-traces-link"]').getAttribute('href');
    expect(new URL(tracesHref ?? '', fl.api).searchParams.get('service')).toBe('api');
    const opHref = await page
      .locator('[data-testid="operation-row"][data-operation="SELECT cart"] [data-testid="operation-traces-link"]')
      .getAttribute('href');
    expect(Object.fromEntries(new URL(opHref ?? '', fl.api).searchParams)).toEqual({ service: 'api', operation: 'SELECT cart' });
    await poll(() => page.locator('[data-testid="service-issue"]').count()).toBe(1);
    expect(await text(page, '[data-testid="service-issue"] a')).toContain('CartError');
    await page.screenshot({ path: join(SCREENSHOTS, 'service.png') });

    // charting one operation goes through the URL
    await page.click('[data-testid="operation-row"][data-operation="SELECT cart"] [data-testid="operation-chart-link"]');
    await poll(() => new URL(page.url()).searchParams.get('operation')).toBe('SELECT cart');
    await page.waitForSelector('[data-testid="operation-filter"]');
    await page.click('[data-testid="service-traces-link"]');
    await page.waitForSelector('[data-testid="trace-search"]');
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ service: 'api', operation: 'SELECT cart' });
    await page.close();
  });

  test('deploy markers: both releases of the api inside the range on every RED chart, a click opens the release', async () => {
    const page = await open('/projects/default/services/api');
    await page.waitForSelector('[data-testid="chart-latency"] [data-testid="chart-line"]');
    for (const chart of ['chart-requests', 'chart-errors', 'chart-latency']) {
      const markers = page.locator(`[data-testid="${chart}"] [data-testid="deploy-marker"]`);
      await poll(() => markers.evaluateAll((els) => els.map((e) => e.getAttribute('data-version')).sort())).toEqual(['1.10.0', '1.9.0']);
      // inside the plot area, the older release to the left of the newer one
      const width = await page.locator(`[data-testid="${chart}"] rect.hit`).getAttribute('width');
      const marker = (v: string) => page.locator(`[data-testid="${chart}"] [data-testid="deploy-marker"][data-version="${v}"]`);
      const x = async (v: string) => Number(await marker(v).getAttribute('data-x'));
      const [older, newer] = [await x('1.9.0'), await x('1.10.0')];
      expect(older).toBeGreaterThanOrEqual(0);
      expect(older).toBeLessThan(newer);
      expect(newer).toBeLessThanOrEqual(Number(width));
      expect(await marker('1.10.0').locator('text').textContent()).toBe('1.10.0');
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'service-deploys.png') });
    // the version label is the marker's link
    await page.click('[data-testid="chart-requests"] [data-testid="deploy-marker"][data-version="1.9.0"] text');
    await page.waitForSelector('[data-testid="release-version"]');
    expect(new URL(page.url()).pathname).toBe('/projects/default/releases/1.9.0');
    expect(await text(page, '[data-testid="release-version"]')).toBe('1.9.0');
    await page.close();
  });

  test('service map: nodes, a web → api edge with its figures, peers, click opens the service', async () => {
    const page = await open('/projects/default/service-map');
    await page.waitForSelector('[data-testid="map-edge"]');
    expect(await page.locator('[data-testid="map-edge"]').count()).toBe(2);
    const edge = page.locator('[data-testid="map-edge"][data-source="web"][data-target="api"]');
    expect(await edge.count()).toBe(1);
    expect(await edge.locator('[data-testid="map-edge-label"]').getAttribute('data-label')).toMatch(/^40 calls · 25% err · p95 \d/);
    expect(await page.locator('[data-testid="map-edge"][data-source="api"][data-target="postgresql"]').count()).toBe(1);
    expect(await page.locator('[data-testid="map-node"][data-node-id="postgresql"]').getAttribute('data-kind')).toBe('peer');
    for (const id of ['web', 'api']) {
      expect(await page.locator(`[data-testid="map-node"][data-node-id="${id}"]`).getAttribute('data-kind')).toBe('service');
    }
    // every node is inside the visible canvas at 1280×720
    const boxes = await page
      .locator('[data-testid="map-node"]')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    for (const b of boxes) {
      expect(b.left).toBeGreaterThanOrEqual(0);
      expect(b.right).toBeLessThanOrEqual(1280);
      expect(b.bottom).toBeLessThanOrEqual(720);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'service-map.png') });
    await page.click('[data-testid="map-node"][data-node-id="web"] circle');
    await page.waitForSelector('[data-testid="service-page"]');
    expect(new URL(page.url()).pathname).toBe('/projects/default/services/web');
    await page.close();
  });

  test('releases newest first (semver) with deltas; cold deep link to a release', async () => {
    const page = await open('/projects/default/releases');
    await page.waitForSelector('[data-testid="release-row"]');
    expect(
      await page.locator('[data-testid="release-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-version'))),
    ).toEqual(['1.10.0', '1.9.0']);
    const newest = page.locator('[data-testid="release-row"][data-version="1.10.0"]');
    expect(await newest.locator('[data-testid="release-newIssues"] [data-testid="release-delta"]').textContent()).toContain('+1');
    expect(await newest.locator('[data-testid="release-newIssues"] [data-testid="release-delta"]').getAttribute('data-tone')).toBe('bad');
    expect(await page.locator('[data-testid="release-row"][data-version="1.9.0"] [data-testid="release-delta"]').count()).toBe(0);
    expect(await newest.locator('[data-testid="release-services"]').textContent()).toBe('api, web');
    await page.screenshot({ path: join(SCREENSHOTS, 'releases.png') });
    await page.close();

    // at 1024 px every column is inside the table's box; a long release name stays on one line, cut
    // with an ellipsis and whole in its title (the list answer gets a long-named release in front)
    const LONG = 'checkout-service@2.1.0+build.20241105.abcdef1234567890';
    const narrow = await browser.newPage({ viewport: { width: 1024, height: 720 } });
    await narrow.route('**/api/v1/projects/default/releases?*', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { releases: Array<Record<string, unknown>> };
      body.releases.unshift({ ...body.releases[0], version: LONG, previousVersion: body.releases[0]?.version });
      await route.fulfill({ response: res, json: body });
    });
    await narrow.goto(`${fl.api}/projects/default/releases?token=${fl.token}`);
    const link = narrow.locator(`[data-testid="release-row"][data-version="${LONG}"] [data-testid="release-link"]`);
    await link.waitFor();
    expect(await link.getAttribute('title')).toBe(LONG);
    const box = await narrow.evaluate(() => {
      const scroll = document.querySelector('[data-testid="release-table-scroll"]') as HTMLElement;
      const a = document.querySelector('[data-testid="release-link"]') as HTMLElement;
      const last = [...document.querySelectorAll('[data-testid="release-list"] thead th')].at(-1) as HTMLElement;
      const lineHeight = parseFloat(getComputedStyle(a).lineHeight) || 20;
      return {
        fits: scroll.scrollWidth <= scroll.clientWidth,
        lastRight: last.getBoundingClientRect().right,
        boxRight: scroll.getBoundingClientRect().right,
        pageFits: document.documentElement.scrollWidth <= window.innerWidth,
        oneLine: a.getBoundingClientRect().height <= lineHeight * 1.5,
        cut: a.scrollWidth > a.clientWidth,
      };
    });
    expect(box).toMatchObject({ fits: true, pageFits: true, oneLine: true, cut: true });
    expect(box.lastRight).toBeLessThanOrEqual(box.boxRight + 0.5);
    await narrow.screenshot({ path: join(SCREENSHOTS, 'releases-1024.png') });
    await narrow.close();

    const detail = await open('/projects/default/releases/1.10.0');
    await detail.waitForSelector('[data-testid="metric-errorRate"]');
    expect(await text(detail, '[data-testid="release-version"]')).toBe('1.10.0');
    expect(await text(detail, '[data-testid="release-previous"] a')).toBe('1.9.0');
    expect(await text(detail, '[data-testid="metric-newIssues"] [data-testid="metric-value"]')).toBe('1');
    expect(await text(detail, '[data-testid="metric-newIssues"] [data-testid="delta"]')).toContain('+1');
    expect(await text(detail, '[data-testid="metric-errorRate"] [data-testid="delta"]')).toContain('±0');
    // p95 of the top operations against the previous release: the api got slower
    await detail.waitForSelector('[data-testid="release-operation"]');
    expect(await detail.locator('[data-testid="release-p95-chart"] [data-testid="bar"][data-series="previous"]').count()).toBeGreaterThan(
      0,
    );
    expect(await detail.locator('[data-testid="operation-delta"][data-tone="bad"]').count()).toBeGreaterThan(0);
    const issuesHref = await detail.locator('[data-testid="metric-newIssues-link"]').getAttribute('href');
    expect(new URL(issuesHref ?? '', fl.api).searchParams.get('release')).toBe('1.10.0');
    await detail.screenshot({ path: join(SCREENSHOTS, 'release.png') });
    await detail.close();

    // an unknown release (its 404 is expected: a page without the console watcher)
    const missing = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await missing.goto(`${fl.api}/projects/default/releases/9.9.9?token=${fl.token}`);
    await missing.waitForSelector('[data-testid="state-not-found"]');
    await missing.close();
  });

  test('dark theme: follows the OS, the toggle is remembered', async () => {
    const page = await open('/projects/default/service-map', 'dark');
    await page.waitForSelector('[data-testid="map-edge"]');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(17, 21, 28)');
    await page.screenshot({ path: join(SCREENSHOTS, 'service-map-dark.png') });
    await page.goto(`${fl.api}/projects/default/services/api`);
    await page.waitForSelector('[data-testid="chart-latency"] [data-testid="chart-line"]');
    await page.screenshot({ path: join(SCREENSHOTS, 'service-dark.png') });
    await page.click('[data-testid="theme-toggle"]');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    await page.reload();
    await page.waitForSelector('[data-testid="service-page"]');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    await page.click('[data-testid="theme-toggle"]');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await page.evaluate(() => localStorage.getItem('faultline.theme'))).toBe('dark');
    await page.close();
  });

  test('no console errors or CSP violations on these pages', () => {
    expect(problems).toEqual([]);
  });
});
