import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openSignedIn } from '../browser.ts';
import { adminApi, dashboardPanel, saveSearch as saveSavedSearch } from './dashboard-fixtures.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { sendSpans } from './trace-search-fixtures.ts';

let fl: Faultline;
let browser: Browser;
let readToken: string;
const problems: string[] = [];
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');
// A service name that would be markup if a chart ever rendered names as HTML.
const ODD = '<img src=x onerror=alert(1)>pay';
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

const api = (method: string, path: string, body?: unknown) => adminApi(fl, method, path, body);

const saveSearch = (name: string, query: string, project = 'default') => saveSavedSearch(fl, { project, page: 'traces', name, query });

const savedNames = async (): Promise<string[]> =>
  (
    (await (await api('GET', '/projects/default/saved-searches?page=traces')).json()) as { savedSearches: { name: string }[] }
  ).savedSearches.map((s) => s.name);

const panel = dashboardPanel;

beforeAll(async () => {
  fl = await startFaultline();
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const now = Date.now();
  for (let i = 0; i < 6; i++) {
    await sendSpans(fl, now - 600_000 + i * 60_000, [
      { id: 'r', parent: '', service: 'shop', name: 'GET /checkout', startMs: 0, durMs: 100 + i * 10, error: i < 2 },
      { id: 'p', parent: 'r', service: ODD, name: 'POST /charge', startMs: 10, durMs: 50 },
    ]);
  }
  await eventually(
    async () => ((await fl.get('/api/v1/projects/default/traces')).body as { traces: unknown[] }).traces.length === 6 || null,
  );
  const res = await api('POST', '/projects/default/tokens', { role: 'read' });
  readToken = ((await res.json()) as { token: string }).token;
  expect((await api('POST', '/projects', { slug: 'quiet' })).status).toBe(201);
  // two charts (one pinned to its own range), and a plain search that is no chart
  await saveSearch('Checkout p95', 'service=shop&chart=p95&range=24h');
  await saveSearch('Spans by service', 'chart=calls&groupBy=service');
  await saveSearch('Shop traces', 'service=shop');
  await saveSearch('Quiet plain search', 'service=shop', 'quiet');
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
});

describe('project dashboard', () => {
  test('shows each saved chart search as a panel over the board range, kept in the URL; an admin removes one', async () => {
    const page = await openSignedIn(browser, fl, '/projects/default/dashboard', problems);
    await poll(() => page.locator('[data-testid="dashboard-panel"]').count()).toBe(2);
    expect(await page.locator('[data-testid="dashboard-panel-title"]').allTextContents()).toEqual(['Checkout p95', 'Spans by service']);
    const checkout = panel(page, 'Checkout p95');
    const split = panel(page, 'Spans by service');
    await poll(() => checkout.locator('[data-testid="span-chart"] [data-testid="chart-line"]').count()).toBe(1);
    await poll(() => split.locator('[data-testid="span-chart"] [data-testid="chart-line"]').count()).toBe(2);
    expect(await checkout.locator('figcaption .title').textContent()).toBe('p95 duration');
    // group names are text: the odd service name shows verbatim and makes no element
    expect(await split.locator('.legend').textContent()).toContain(ODD);
    expect(await page.locator('[data-testid="dashboard"] img').count()).toBe(0);
    // the pinned search keeps and shows its range; the other follows the board
    expect((await checkout.locator('[data-testid="dashboard-panel-range"]').textContent())?.trim()).toBe('Last 24 hours');
    expect(await split.locator('[data-testid="dashboard-panel-range"]').count()).toBe(0);
    expect(await checkout.locator('[data-testid="dashboard-panel-title"]').getAttribute('href')).toBe(
      '/projects/default/traces?service=shop&chart=p95&range=24h',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

    await page.selectOption('[data-testid="range-select"]', '6h');
    await page.waitForURL(/range=6h/);
    await page.reload();
    await poll(() => page.locator('[data-testid="range-select"]').inputValue()).toBe('6h');
    await poll(() => split.locator('[data-testid="span-chart"] [data-testid="chart-line"]').count()).toBe(2);
    expect(await split.locator('[data-testid="dashboard-panel-title"]').getAttribute('href')).toBe(
      '/projects/default/traces?chart=calls&groupBy=service&range=6h',
    );
    expect(await checkout.locator('[data-testid="dashboard-panel-title"]').getAttribute('href')).toContain('range=24h');

    // drilling in opens the traces page with the chart of that search
    await split.locator('[data-testid="dashboard-panel-title"]').click();
    await page.waitForURL(/\/traces\?/);
    await poll(() => page.locator('[data-testid="span-chart"] [data-testid="chart-line"]').count()).toBe(2);
    await page.goBack();

    // removing asks first, then deletes the saved search itself
    await split.locator('[data-testid="dashboard-panel-remove"]').click();
    // the question takes the focus to its safe answer
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('dashboard-panel-remove-cancel');
    await split.locator('[data-testid="dashboard-panel-remove-cancel"]').click();
    expect(await page.locator('[data-testid="dashboard-panel"]').count()).toBe(2);
    await split.locator('[data-testid="dashboard-panel-remove"]').click();
    await split.locator('[data-testid="dashboard-panel-remove-confirm"]').click();
    await poll(() => page.locator('[data-testid="dashboard-panel"]').count()).toBe(1);
    expect(await savedNames()).toEqual(['Checkout p95', 'Shop traces']);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('a panel whose search fails shows its own error; the others still render', async () => {
    const id = await saveSearch('Bad durations', 'chart=p95&minDurationMs=50&maxDurationMs=10');
    const page = await openSignedIn(browser, fl, '/projects/default/dashboard', []);
    await poll(() => page.locator('[data-testid="dashboard-panel"]').count()).toBe(2);
    const bad = panel(page, 'Bad durations');
    await poll(() => bad.locator('[data-testid="state-error"]').textContent()).toContain('must not exceed maxDurationMs');
    await poll(() => panel(page, 'Checkout p95').locator('[data-testid="chart-line"]').count()).toBe(1);
    expect((await api('DELETE', `/projects/default/saved-searches/${id}`)).status).toBe(204);
    await page.close();
  });

  test('a read-only session sees the panels without the remove control', async () => {
    // its own problems list: the 403 of the admin-only probe is expected there
    const viewer = await openSignedIn(browser, { api: fl.api, token: readToken }, '/projects/default/dashboard?range=6h', []);
    await viewer.waitForSelector('[data-testid="dashboard-readonly"]');
    await poll(() => viewer.locator('[data-testid="dashboard-panel"] [data-testid="chart-line"]').count()).toBe(1);
    expect(await viewer.locator('[data-testid="dashboard-panel-remove"]').count()).toBe(0);
    await viewer.close();
  });

  test('a project without chart, logs or issues searches explains how panels come to exist', async () => {
    const page = await openSignedIn(browser, fl, '/projects/quiet/dashboard', problems);
    await page.waitForSelector('[data-testid="dashboard-empty"]');
    expect(await page.locator('[data-testid="dashboard-panel"]').count()).toBe(0);
    expect(await page.locator('[data-testid="dashboard-empty"]').textContent()).toContain('Chart spans');
    expect(await page.locator('[data-testid="dashboard-empty-link"]').getAttribute('href')).toBe('/projects/quiet/traces?chart=calls');
    // saved logs and issues searches are panels too, and the text says where they come from
    expect(await page.locator('[data-testid="dashboard-empty-logs"]').getAttribute('href')).toBe('/projects/quiet/logs');
    expect(await page.locator('[data-testid="dashboard-empty-issues"]').getAttribute('href')).toBe('/projects/quiet/issues');
    expect(problems).toEqual([]);
    await page.close();
  });

  test('"Add to dashboard" on the traces page saves the charted search, without its range unless kept', async () => {
    const page = await openSignedIn(browser, fl, '/projects/default/traces?chart=p95&groupBy=service&range=6h', problems);
    await page.click('[data-testid="dashboard-add"]');
    expect(await page.locator('[data-testid="dashboard-add-name"]').inputValue()).toBe('p95 duration by service');
    await page.fill('[data-testid="dashboard-add-name"]', 'Latency by service');
    await page.click('[data-testid="dashboard-add-save"]');
    await page.waitForSelector('[data-testid="dashboard-added"]');
    const list = (await (await api('GET', '/projects/default/saved-searches?page=traces')).json()) as {
      savedSearches: { name: string; query: string }[];
    };
    expect(list.savedSearches.find((s) => s.name === 'Latency by service')?.query).toBe('chart=p95&groupBy=service');

    // The same name again for another chart asks before replacing; kept, the range goes with the search.
    await page.goto(`${fl.api}/projects/default/traces?chart=calls&range=6h`);
    await page.click('[data-testid="dashboard-add"]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('dashboard-add-name');
    await page.fill('[data-testid="dashboard-add-name"]', 'Latency by service');
    await page.check('[data-testid="dashboard-add-keep-range"]');
    await page.click('[data-testid="dashboard-add-save"]');
    await page.waitForSelector('[data-testid="dashboard-add-clash"]');
    expect(await page.locator('[data-testid="dashboard-add-save"]').textContent()).toBe('Replace');
    const queryOf = async (name: string) =>
      (
        (await (await api('GET', '/projects/default/saved-searches?page=traces')).json()) as {
          savedSearches: { name: string; query: string }[];
        }
      ).savedSearches.find((s) => s.name === name)?.query;
    expect(await queryOf('Latency by service')).toBe('chart=p95&groupBy=service');
    await page.click('[data-testid="dashboard-add-save"]');
    await page.waitForSelector('[data-testid="dashboard-added"]');
    expect(await queryOf('Latency by service')).toBe('chart=calls&range=6h');

    await page.click('[data-testid="dashboard-added"] a');
    await poll(() => page.locator('[data-testid="dashboard-panel"]').count()).toBe(2);
    await poll(() => panel(page, 'Latency by service').locator('[data-testid="chart-line"]').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('a read-only session gets no "Add to dashboard" on the traces page', async () => {
    const viewer = await openSignedIn(browser, { api: fl.api, token: readToken }, '/projects/default/traces', []);
    // The page asks once whether the session may write (403 for a read token); only after that answer is the
    // absence of the button a finding.
    const probe = viewer.waitForResponse((r) => r.url().endsWith('/api/v1/projects/default/tokens') && r.status() === 403);
    await viewer.goto(`${fl.api}/projects/default/traces?chart=calls`);
    await probe;
    await viewer.waitForSelector('[data-testid="span-chart"] [data-testid="chart-line"]');
    expect(await viewer.locator('[data-testid="dashboard-add"]').count()).toBe(0);
    await viewer.close();
  });
});
