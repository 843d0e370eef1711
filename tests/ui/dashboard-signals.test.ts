// The dashboard beyond span charts: saved logs searches (log volume) and saved issues searches (top issues), with
// logs and errors sent through the real OTLP ingest paths.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openSignedIn } from '../browser.ts';
import { adminApi, dashboardPanel, saveSearch as saveSavedSearch } from './dashboard-fixtures.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, postOtlpJson, sendException } from '../otlp-client.ts';
import { sendSpans } from './trace-search-fixtures.ts';

let fl: Faultline;
let browser: Browser;
let readToken: string;
const problems: string[] = [];
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');
// Markup in a log body and an issue title: shown verbatim, never an element.
const HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">';
const ERROR_LOGS = 5;
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

const api = (method: string, path: string, body?: unknown) => adminApi(fl, method, path, body);

const saveSearch = (page: 'traces' | 'logs' | 'issues', name: string, query: string) => saveSavedSearch(fl, { page, name, query });

const savedNames = async (): Promise<string[]> =>
  ((await (await api('GET', '/projects/default/saved-searches')).json()) as { savedSearches: { name: string }[] }).savedSearches.map(
    (s) => s.name,
  );

const panel = dashboardPanel;

async function sendLogs(): Promise<void> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const record = (i: number, service: string, severityNumber: number, body: string) => ({
    timeUnixNano: String(now - BigInt(i + 1) * 60_000_000_000n),
    severityNumber,
    body: { stringValue: body },
  });
  const checkout = [
    ...Array.from({ length: ERROR_LOGS }, (_, i) => record(i * 3, 'checkout', 17, `payment failed ${HOSTILE}`)),
    ...Array.from({ length: 7 }, (_, i) => record(i * 2, 'checkout', 9, `step ${i}`)),
  ];
  const resource = (service: string) => ({ attributes: [{ key: 'service.name', value: { stringValue: service } }] });
  await postOtlpJson(fl, '/v1/logs', {
    resourceLogs: [
      { resource: resource('checkout'), scopeLogs: [{ logRecords: checkout }] },
      { resource: resource('search'), scopeLogs: [{ logRecords: [record(1, 'search', 17, 'index missing')] }] },
    ],
  });
}

async function sendErrors(): Promise<void> {
  const error = (type: string, message: string, fn: string) => ({
    service: 'checkout',
    type,
    message,
    stack: nodeStack(type, message, fn, 'src/pay.js', 9),
  });
  for (let i = 0; i < 3; i++) await sendException(fl, error('TypeError', 'card declined', 'chargeCard'));
  await sendException(fl, error('TypeError', `card ${HOSTILE}`, 'renderCard'));
  await sendException(fl, error('RangeError', 'row index out of range', 'readRow'));
}

beforeAll(async () => {
  fl = await startFaultline();
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await sendLogs();
  await sendErrors();
  await sendSpans(fl, Date.now() - 120_000, [{ id: 'r', parent: '', service: 'shop', name: 'GET /cart', startMs: 0, durMs: 80 }]);
  await eventually(async () =>
    ((await fl.get('/api/v1/projects/default/logs?limit=100')).body as { logs: unknown[] }).logs.length === 13 ? true : null,
  );
  await eventually(async () => {
    const { issues } = (await fl.get('/api/v1/projects/default/issues?query=card&sort=events')).body as { issues: { count: number }[] };
    return issues.length === 2 && issues[0]?.count === 3 ? true : null;
  });
  const res = await api('POST', '/projects/default/tokens', { role: 'read' });
  readToken = ((await res.json()) as { token: string }).token;
  await saveSearch('traces', 'Cart calls', 'chart=calls');
  await saveSearch('logs', 'Checkout errors', 'service=checkout&severity=error');
  await saveSearch('logs', 'Checkout week', 'service=checkout&range=7d');
  await saveSearch('issues', 'Card issues', 'query=card&sort=events');
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
});

describe('dashboard of logs and issues searches', () => {
  test('a logs search is a histogram of its records over the board range; an issues search lists its top issues', async () => {
    const page = await openSignedIn(browser, fl, '/projects/default/dashboard?range=6h', problems);
    await poll(() => page.locator('[data-testid="dashboard-panel"]').count()).toBe(4);
    // by name, whatever page each search belongs to
    expect(await page.locator('[data-testid="dashboard-panel-title"]').allTextContents()).toEqual([
      'Card issues',
      'Cart calls',
      'Checkout errors',
      'Checkout week',
    ]);

    const errors = panel(page, 'Checkout errors');
    await poll(() => errors.locator('[data-testid="log-histogram-segment"]').count()).toBeGreaterThan(0);
    const segments = await errors
      .locator('[data-testid="log-histogram-segment"]')
      .evaluateAll((els) => els.map((e) => ({ level: e.getAttribute('data-level'), count: Number(e.getAttribute('data-count')) })));
    // only the search's records: checkout's errors, not its info records nor the other service's error
    expect(new Set(segments.map((s) => s.level))).toEqual(new Set(['error']));
    expect(segments.reduce((n, s) => n + s.count, 0)).toBe(ERROR_LOGS);
    expect(await errors.locator('[data-testid="log-histogram"]').getAttribute('data-total')).toBe(String(ERROR_LOGS));
    expect(await errors.locator('[data-testid="dashboard-panel-range"]').count()).toBe(0);
    expect(await errors.locator('[data-testid="dashboard-panel-title"]').getAttribute('href')).toBe(
      '/projects/default/logs?service=checkout&severity=error&range=6h',
    );
    const week = panel(page, 'Checkout week');
    expect((await week.locator('[data-testid="dashboard-panel-range"]').textContent())?.trim()).toBe('Last 7 days');
    await poll(() => week.locator('[data-testid="log-histogram"]').getAttribute('data-total')).toBe('12');

    const issues = panel(page, 'Card issues');
    await poll(() => issues.locator('[data-testid="issue-panel-title"]').allTextContents()).toEqual([
      'TypeError: card declined',
      `TypeError: card ${HOSTILE}`,
    ]);
    expect((await issues.locator('[data-testid="issue-panel-count"]').allTextContents()).map((t) => t.trim())).toEqual(['3', '1']);
    // the event series comes with the list: a line per issue
    expect(await issues.locator('[data-testid="issue-panel-row"] [data-testid="sparkline-path"]').count()).toBe(2);
    expect(await issues.locator('[data-testid="issue-panel-all"]').getAttribute('href')).toBe(
      '/projects/default/issues?query=card&sort=events',
    );
    expect(await issues.locator('[data-testid="dashboard-panel-title"]').getAttribute('href')).toBe(
      '/projects/default/issues?query=card&sort=events',
    );
    await poll(() => panel(page, 'Cart calls').locator('[data-testid="chart-line"]').count()).toBe(1);
    expect(await page.locator('[data-testid="dashboard"] img').count()).toBe(0);
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-signals.png'), fullPage: true });

    // drilling in: the issue, the issues page with the search, the logs page with the search
    const declined = issues.locator('[data-testid="issue-panel-row"]').first();
    const id = await declined.getAttribute('data-issue-id');
    await declined.locator('[data-testid="issue-panel-title"]').click();
    await page.waitForSelector('[data-testid="issue-page"]');
    expect(new URL(page.url()).pathname).toBe(`/projects/default/issues/${id}`);
    await page.goBack();
    await issues.locator('[data-testid="issue-panel-all"]').click();
    await page.waitForURL(/\/issues\?query=card/);
    await poll(() => page.locator('[data-testid="issue-row"]').count()).toBe(2);
    await page.goBack();
    await errors.locator('[data-testid="dashboard-panel-title"]').click();
    await page.waitForURL(/\/logs\?/);
    await poll(() => page.locator('[data-testid="log-row"]').count()).toBe(ERROR_LOGS);
    // over a range that ended before these issues' events, the issues panel lists none of them
    const dayMs = 86_400_000;
    await page.goto(`${fl.api}/projects/default/dashboard?start=${Date.now() - 3 * dayMs}&end=${Date.now() - 2 * dayMs}`);
    await poll(() => panel(page, 'Card issues').getByText('No issues match these filters').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('the board asks for at most 4 panels at once; the others wait and then load', async () => {
    const extra: string[] = [];
    for (let i = 1; i <= 4; i++) extra.push(await saveSearch('logs', `Extra logs ${i}`, `query=step&range=${i}h`));
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    let inFlight = 0;
    let most = 0;
    let answered = 0;
    // Every panel request is held a moment, so those the page started together overlap here.
    await page.route(/\/api\/v1\/projects\/default\/(logs\/histogram|issues|spans\/series)\?/, async (route) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      const response = await route.fetch();
      await new Promise((r) => setTimeout(r, 400));
      inFlight -= 1;
      answered += 1;
      await route.fulfill({ response });
    });
    await page.goto(`${fl.api}/projects/default/dashboard?token=${fl.token}`);
    await poll(() => page.locator('[data-testid="dashboard-panel"]').count()).toBe(8);
    await poll(() => answered).toBe(8);
    await poll(() => page.locator('[data-testid="log-histogram"]').count()).toBe(6);
    expect(most).toBe(4);
    for (const id of extra) expect((await api('DELETE', `/projects/default/saved-searches/${id}`)).status).toBe(204);
    await page.close();
  });

  test('a search saved on the logs page is a panel at once; an admin removes a logs panel, a reader cannot', async () => {
    const logs = await openSignedIn(browser, fl, '/projects/default/logs?query=step', problems);
    await logs.waitForSelector('[data-testid="log-row"]');
    await logs.click('[data-testid="saved-searches-toggle"]');
    await logs.fill('[data-testid="saved-search-name"]', 'Checkout steps');
    await logs.click('[data-testid="saved-search-save"]');
    await poll(() => logs.locator('[data-testid="saved-search"]').allTextContents()).toContain('Checkout steps');
    await logs.goto(`${fl.api}/projects/default/dashboard`);
    const steps = panel(logs, 'Checkout steps');
    await poll(() => steps.locator('[data-testid="log-histogram"]').getAttribute('data-total')).toBe('7');

    const viewer = await openSignedIn(browser, { api: fl.api, token: readToken }, '/projects/default/dashboard', []);
    await viewer.waitForSelector('[data-testid="dashboard-readonly"]');
    await poll(() => panel(viewer, 'Card issues').locator('[data-testid="issue-panel-row"]').count()).toBe(2);
    expect(await viewer.locator('[data-testid="dashboard-panel-remove"]').count()).toBe(0);
    await viewer.close();

    await steps.locator('[data-testid="dashboard-panel-remove"]').click();
    await steps.locator('[data-testid="dashboard-panel-remove-confirm"]').click();
    await poll(() => logs.locator('[data-testid="dashboard-panel"]').count()).toBe(4);
    expect(await savedNames()).toEqual(['Card issues', 'Cart calls', 'Checkout errors', 'Checkout week']);
    expect(problems).toEqual([]);
    await logs.close();
  });
});
