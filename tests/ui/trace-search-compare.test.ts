import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openSignedIn } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { seedCatalog, sendSpans, type Seeded } from './trace-search-fixtures.ts';

let fl: Faultline;
let browser: Browser;
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');
const problems: string[] = [];

const now = Date.now();
const ids = { a: '', b: '', home: '', fail: '' };
/** 25 one-span `catalog` traces 2-3 hours old (outside the default hour): more than one page of 20. */
let catalog: Seeded[] = [];

beforeAll(async () => {
  fl = await startFaultline();
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A: checkout with three cart queries and an inventory call
  ids.a = await sendSpans(fl, now - 120_000, [
    { id: 'r', parent: '', service: 'shop', name: 'GET /checkout', startMs: 0, durMs: 120 },
    { id: 'au', parent: 'r', service: 'shop', name: 'auth', startMs: 1, durMs: 3 },
    { id: 'q1', parent: 'r', service: 'shop', name: 'SELECT cart', startMs: 5, durMs: 10 },
    { id: 'q2', parent: 'r', service: 'shop', name: 'SELECT cart', startMs: 20, durMs: 10 },
    { id: 'q3', parent: 'r', service: 'shop', name: 'SELECT cart', startMs: 35, durMs: 10 },
    { id: 'i', parent: 'r', service: 'stock', name: 'GET /inventory', startMs: 60, durMs: 40 },
  ]);
  // B: the same request failing: one (failing) query, no inventory call, a payment call instead
  ids.b = await sendSpans(fl, now - 90_000, [
    { id: 'r', parent: '', service: 'shop', name: 'GET /checkout', startMs: 0, durMs: 300, error: true },
    { id: 'au', parent: 'r', service: 'shop', name: 'auth', startMs: 1, durMs: 4 },
    { id: 'q1', parent: 'r', service: 'shop', name: 'SELECT cart', startMs: 5, durMs: 30, error: true },
    { id: 'p', parent: 'r', service: 'pay', name: 'POST /charge', startMs: 100, durMs: 150 },
  ]);
  ids.home = await sendSpans(fl, now - 60_000, [{ id: 'r', parent: '', service: 'shop', name: 'GET /home', startMs: 0, durMs: 20 }]);
  ids.fail = await sendSpans(fl, now - 30_000, [{ id: 'r', parent: '', service: 'shop', name: 'GET /fail', startMs: 0, durMs: 5, error: true }]);
  catalog = await seedCatalog(fl, now, 25);
  await eventually(async () => {
    const body = (await fl.get(`/api/v1/projects/default/traces?start=${now - 3_600_000}&end=${now + 60_000}`)).body as { traces?: unknown[] };
    return body.traces?.length === 4 ? true : null;
  }, 20_000);
  await eventually(async () => {
    const body = (await fl.get(`/api/v1/projects/default/traces?service=catalog&start=${now - 6 * 3_600_000}&limit=100`)).body as { traces?: unknown[] };
    return body.traces?.length === 25 ? true : null;
  }, 20_000);
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
});

const open = (path: string, theme: 'light' | 'dark' = 'light'): Promise<Page> => openSignedIn(browser, fl, path, problems, theme);

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

type RowData = { presence: string | null; service: string | null; name: string | null; depth: string | null; a: string; b: string; errors: string };

async function compareRows(page: Page): Promise<RowData[]> {
  await page.waitForSelector('[data-testid="compare-row"]');
  return page.locator('[data-testid="compare-row"]').evaluateAll((rows) =>
    rows.map((r) => ({
      presence: r.getAttribute('data-presence'),
      service: r.getAttribute('data-service'),
      name: r.getAttribute('data-name'),
      depth: r.getAttribute('data-depth'),
      a: r.querySelector('[data-testid="compare-a-count"]')?.textContent?.trim() ?? '',
      b: r.querySelector('[data-testid="compare-b-count"]')?.textContent?.trim() ?? '',
      errors: [...r.querySelectorAll('[data-testid="compare-errors"]')].map((e) => e.textContent?.trim()).join(' / '),
    })),
  );
}

const EXPECTED: RowData[] = [
  { presence: 'both', service: 'shop', name: 'GET /checkout', depth: '0', a: '1', b: '1', errors: '1 ✕' },
  { presence: 'both', service: 'shop', name: 'auth', depth: '1', a: '1', b: '1', errors: '' },
  { presence: 'both', service: 'shop', name: 'SELECT cart', depth: '1', a: '3', b: '1', errors: '1 ✕' },
  { presence: 'only-a', service: 'stock', name: 'GET /inventory', depth: '1', a: '1', b: '—', errors: '' },
  { presence: 'only-b', service: 'pay', name: 'POST /charge', depth: '1', a: '—', b: '1', errors: '' },
];

async function checkCompare(page: Page): Promise<void> {
  expect(await compareRows(page)).toEqual(EXPECTED);
  const total = (key: string, side: string) => page.locator(`[data-testid="compare-total-${key}"] [data-testid="compare-total-${side}"]`).textContent();
  expect(await total('spans', 'a')).toBe('6');
  expect(await total('spans', 'b')).toBe('4');
  expect((await total('spans', 'delta'))?.trim()).toMatch(/^−2/);
  expect(await total('duration', 'a')).toBe('120ms');
  expect(await total('duration', 'b')).toBe('300ms');
  expect((await total('duration', 'delta'))?.trim()).toMatch(/^\+180ms/);
  expect(await page.locator('[data-testid="compare-only-a-count"]').textContent()).toContain('1 path only in A');
  expect(await page.locator('[data-testid="compare-only-b-count"]').textContent()).toContain('1 path only in B');
}

type SearchAnswer = { traces: { traceId: string }[]; nextCursor: string | null };

/** GET /traces as the page would send it for `qs` over the last six hours. */
async function apiSearch(qs: string): Promise<SearchAnswer> {
  const t = Date.now();
  return (await fl.get(`/api/v1/projects/default/traces?${qs}&start=${t - 6 * 3_600_000}&end=${t}`)).body as SearchAnswer;
}

const rowIds = (page: Page): Promise<(string | null)[]> =>
  page.locator('[data-testid="trace-row"]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-trace-id')));
const ariaSort = (page: Page, key: string) => page.locator(`th:has([data-testid="sort-${key}"])`).getAttribute('aria-sort');
const xDomain = async (page: Page): Promise<number[]> => {
  const fig = page.locator('[data-testid="trace-scatter"]');
  return [Number(await fig.getAttribute('data-x-start')), Number(await fig.getAttribute('data-x-end'))];
};

describe('trace search: slowest first, paging, the chart over the whole range', () => {
  const CATALOG = '/projects/default/traces?service=catalog&range=6h&limit=20';
  const slowest = () => [...catalog].sort((a, b) => b.durMs - a.durMs).map((t) => t.id);
  const newest = () => [...catalog].sort((a, b) => b.startMs - a.startMs).map((t) => t.id);

  test('Duration sorts slowest first on the server, kept in the URL through reload and back', async () => {
    const page = await open(CATALOG);
    await poll(() => rowIds(page)).toEqual(newest().slice(0, 20));
    expect(await ariaSort(page, 'start')).toBe('descending');
    expect(await ariaSort(page, 'duration')).toBe('none');
    // only Start and Duration sort (the API's orders)
    expect(await page.locator('[data-testid="trace-results"] th button').count()).toBe(2);

    await page.click('[data-testid="sort-duration"]');
    await poll(() => new URL(page.url()).searchParams.get('sort')).toBe('duration');
    const api = (await apiSearch('service=catalog&sort=duration&limit=20')).traces.map((t) => t.traceId);
    expect(api).toEqual(slowest().slice(0, 20));
    await poll(() => rowIds(page)).toEqual(api);
    expect(await ariaSort(page, 'duration')).toBe('descending');
    expect(await page.locator('[data-testid="trace-count"]').textContent()).toContain('slowest first');
    // the API sorts one way only: a second click keeps the order
    await page.click('[data-testid="sort-duration"]');
    expect(await ariaSort(page, 'duration')).toBe('descending');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('duration');

    await page.reload();
    await poll(() => rowIds(page)).toEqual(api);
    expect(await ariaSort(page, 'duration')).toBe('descending');

    // back to the default order: it leaves the URL; Back brings the duration order again
    await page.click('[data-testid="sort-start"]');
    await poll(() => new URL(page.url()).searchParams.has('sort')).toBe(false);
    await poll(() => rowIds(page)).toEqual(newest().slice(0, 20));
    await page.goBack();
    await poll(() => new URL(page.url()).searchParams.get('sort')).toBe('duration');
    await poll(() => rowIds(page)).toEqual(api);
    await page.close();
  });

  test('Load more appends the next page without duplicates, then offers no more', async () => {
    const page = await open(`${CATALOG}&sort=duration`);
    await poll(() => rowIds(page)).toEqual(slowest().slice(0, 20));
    const caption = page.locator('[data-testid="scatter-caption"]');
    expect(await caption.textContent()).toBe('20 loaded traces of the last 6 hours; more match');
    expect(await page.locator('[data-testid="trace-count"]').textContent()).toMatch(/^\s*20\+ traces/);
    expect(await page.locator('[data-testid="scatter-point"]').count()).toBe(20);

    await page.click('[data-testid="trace-more"]');
    await poll(() => page.locator('[data-testid="trace-row"]').count()).toBe(25);
    const all = await rowIds(page);
    expect(new Set(all).size).toBe(25);
    expect(all).toEqual(slowest());
    // exactly the API's second page, which is its last
    const first = await apiSearch('service=catalog&sort=duration&limit=20');
    const second = await apiSearch(`service=catalog&sort=duration&limit=20&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(all.slice(20)).toEqual(second.traces.map((t) => t.traceId));
    expect(second.nextCursor).toBeNull();
    expect(await page.locator('[data-testid="trace-more"]').count()).toBe(0);
    // the chart gains the points and says it shows every match
    expect(await page.locator('[data-testid="scatter-point"]').count()).toBe(25);
    expect(await caption.textContent()).toBe('25 traces of the last 6 hours, all that match');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('duration');
    await page.locator('[data-testid="trace-scatter"]').screenshot({ path: join(SCREENSHOTS, 'trace-search-more.png') });
    await page.close();
  });

  test("the chart's x axis is the selected range, not the loaded traces' extent", async () => {
    let before = Date.now();
    const page = await open(CATALOG);
    await poll(() => page.locator('[data-testid="scatter-point"]').count()).toBe(20);
    let [x0, x1] = await xDomain(page);
    expect(x1! - x0!).toBe(6 * 3_600_000);
    expect(x1).toBeGreaterThanOrEqual(before);
    expect(x1).toBeLessThanOrEqual(Date.now());
    // traces 2-2.4 h old sit just right of the middle of a 6 h axis, not across all of it
    const area = (await page.locator('[data-testid="trace-scatter"] .brush-area').boundingBox())!;
    const xs = await page
      .locator('[data-testid="scatter-point"] path')
      .evaluateAll((ps) => ps.map((p) => p.getBoundingClientRect()).map((r) => r.x + r.width / 2));
    for (const x of xs) expect((x - area.x) / area.width).toBeGreaterThan(0.55);
    for (const x of xs) expect((x - area.x) / area.width).toBeLessThan(0.7);

    // the default "last hour": an hour, though its four traces are all of the last two minutes
    before = Date.now();
    await page.goto(`${fl.api}/projects/default/traces`);
    await poll(() => page.locator('[data-testid="scatter-point"]').count()).toBe(4);
    [x0, x1] = await xDomain(page);
    expect(x1! - x0!).toBe(3_600_000);
    expect(x1).toBeGreaterThanOrEqual(before);
    expect(await page.locator('[data-testid="scatter-caption"]').textContent()).toBe('4 traces of the last hour, all that match');

    // an explicit window is the axis exactly
    const [start, end] = [new Date(now - 4 * 3_600_000).toISOString(), new Date(now - 90 * 60_000).toISOString()];
    await page.goto(`${fl.api}/projects/default/traces?service=catalog&start=${start}&end=${end}`);
    await poll(() => page.locator('[data-testid="scatter-point"]').count()).toBe(25);
    expect(await xDomain(page)).toEqual([Date.parse(start), Date.parse(end)]);
    await page.close();
  });
});

describe('trace search scatter and compare', () => {
  test('scatter: one point per result, errors marked, tooltip, click opens the trace', async () => {
    const page = await open('/projects/default/traces');
    await page.waitForSelector('[data-testid="trace-row"]');
    await poll(() => page.locator('[data-testid="scatter-point"]').count()).toBe(4);
    const rowIds = await page.locator('[data-testid="trace-row"]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-trace-id')));
    const points = await page
      .locator('[data-testid="scatter-point"]')
      .evaluateAll((ps) => ps.map((p) => [p.getAttribute('data-trace-id'), p.getAttribute('data-error')] as const));
    expect(new Set(points.map(([id]) => id))).toEqual(new Set(rowIds));
    const errors = points.filter(([, e]) => e === 'true').map(([id]) => id);
    expect(new Set(errors)).toEqual(new Set([ids.b, ids.fail]));
    // the slow failing trace sits above the fast one
    const y = async (id: string) => (await page.locator(`[data-testid="scatter-point"][data-trace-id="${id}"] path`).boundingBox())?.y ?? NaN;
    expect(await y(ids.b)).toBeLessThan(await y(ids.fail));

    await page.locator(`[data-testid="scatter-point"][data-trace-id="${ids.b}"] path`).hover();
    await page.waitForSelector('[data-testid="scatter-tooltip"]');
    const tip = await page.locator('[data-testid="scatter-tooltip"]').textContent();
    expect(tip).toContain('GET /checkout');
    expect(tip).toContain('300ms');
    expect(tip).toContain('2 errors');
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-search-scatter.png') });

    await page.locator(`[data-testid="scatter-point"][data-trace-id="${ids.home}"] path`).click();
    await poll(() => new URL(page.url()).pathname).toBe(`/projects/default/traces/${ids.home}`);
    await page.waitForSelector('[data-testid="span-bar"]');
    await page.close();
  });

  test('brushing the scatter narrows the time range and durations in the URL', async () => {
    // 15 minutes: the axis spans the whole range, so the traces of the last two minutes need room to part
    const page = await open('/projects/default/traces?range=15m');
    await poll(() => page.locator('[data-testid="scatter-point"]').count()).toBe(4);
    // a box around the two slow checkouts (the two oldest, slowest traces)
    const a = (await page.locator(`[data-testid="scatter-point"][data-trace-id="${ids.a}"] path`).boundingBox())!;
    const b = (await page.locator(`[data-testid="scatter-point"][data-trace-id="${ids.b}"] path`).boundingBox())!;
    const left = Math.min(a.x, b.x) - 8;
    const right = Math.max(a.x + a.width, b.x + b.width) + 8;
    const top = Math.min(a.y, b.y) - 8;
    const bottom = Math.max(a.y + a.height, b.y + b.height) + 8;
    await page.mouse.move(left, top);
    await page.mouse.down();
    await page.mouse.move((left + right) / 2, (top + bottom) / 2, { steps: 3 });
    await page.mouse.move(right, bottom, { steps: 3 });
    await page.mouse.up();
    await poll(() => new URL(page.url()).searchParams.get('maxDurationMs')).not.toBeNull();
    const q = new URL(page.url()).searchParams;
    expect(Number(q.get('start'))).toBeLessThanOrEqual(now - 120_000);
    expect(Number(q.get('end'))).toBeLessThan(now - 60_000);
    expect(Number(q.get('maxDurationMs'))).toBeGreaterThanOrEqual(300);
    await poll(() => page.locator('[data-testid="trace-row"]').count()).toBe(2);
    await poll(() => page.locator('[data-testid="scatter-point"]').count()).toBe(2);

    // j/k + Enter opens the row under the keyboard cursor
    const first = await page.locator('[data-testid="trace-row"]').first().getAttribute('data-trace-id');
    await page.locator('body').click({ position: { x: 5, y: 700 } });
    await page.keyboard.press('j');
    await poll(() => page.locator('[data-testid="trace-row"].cursor').getAttribute('data-trace-id')).toBe(first);
    await page.keyboard.press('Enter');
    await poll(() => new URL(page.url()).pathname).toBe(`/projects/default/traces/${first}`);
    await page.close();
  });

  test('tick two traces, compare them, and cold-load the compare link', async () => {
    const page = await open('/projects/default/traces');
    await page.waitForSelector('[data-testid="trace-row"]');
    expect(await page.locator('[data-testid="compare-link"]').evaluate((e) => e.tagName)).toBe('BUTTON');
    await page.check(`[data-testid="trace-row"][data-trace-id="${ids.a}"] [data-testid="trace-select"]`);
    await page.check(`[data-testid="trace-row"][data-trace-id="${ids.b}"] [data-testid="trace-select"]`);
    // a third pick is not offered
    expect(await page.locator(`[data-testid="trace-row"][data-trace-id="${ids.home}"] [data-testid="trace-select"]`).isDisabled()).toBe(true);
    await page.click('a[data-testid="compare-link"]');
    await page.waitForSelector('[data-testid="trace-compare"]');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/projects/default/traces/compare');
    expect(url.searchParams.get('a')).toBe(ids.a);
    expect(url.searchParams.get('b')).toBe(ids.b);
    await checkCompare(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-compare.png'), fullPage: true });

    // "only differences" hides the unchanged auth call (the root changed: it failed in B)
    await page.check('[data-testid="compare-changed-only"]');
    await poll(async () => (await compareRows(page)).map((r) => r.name)).toEqual(['GET /checkout', 'SELECT cart', 'GET /inventory', 'POST /charge']);
    await page.close();

    // cold deep link: the static `compare` segment wins over the [traceId] route
    const cold = await open(`/projects/default/traces/compare?a=${ids.a}&b=${ids.b}`, 'dark');
    await cold.waitForSelector('[data-testid="trace-compare"]');
    await checkCompare(cold);
    await cold.screenshot({ path: join(SCREENSHOTS, 'trace-compare-dark.png') });
    await cold.goto(`${fl.api}/projects/default/traces/compare?a=${ids.b}&b=${ids.a}`);
    const swapped = await compareRows(cold);
    expect(swapped.find((r) => r.name === 'POST /charge')?.presence).toBe('only-a');
    expect(swapped.find((r) => r.name === 'GET /inventory')?.presence).toBe('only-b');
    await cold.close();
  });

  test('the attribute picker suggests the range’s keys and a key’s values, and adds the filter line', async () => {
    const page = await open('/projects/default/traces');
    const options = (list: string) => page.locator(`[data-testid="${list}"] option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    await page.locator('[data-testid="attr-picker-key"]').focus();
    await poll(() => options('attr-picker-keys')).toContain('service.name');
    await page.fill('[data-testid="attr-picker-key"]', 'service.name');
    // Enter on the key moves on to the value (nothing added yet)
    await page.press('[data-testid="attr-picker-key"]', 'Enter');
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('attr-picker-value');
    expect(await page.inputValue('[data-testid="search-attributes"]')).toBe('');
    // the last hour's spans by service, most first: shop (10 spans), then pay and stock (1 each)
    await poll(() => options('attr-picker-values')).toEqual(['shop', 'pay', 'stock']);
    await page.fill('[data-testid="attr-picker-value"]', 'pay');
    await page.press('[data-testid="attr-picker-value"]', 'Enter');
    expect(await page.inputValue('[data-testid="search-attributes"]')).toBe('service.name=pay');
    // Enter added the filter without searching; the search then finds the one trace with a pay span
    expect(new URL(page.url()).searchParams.has('attr.service.name')).toBe(false);
    await page.click('[data-testid="search-submit"]');
    await poll(() => new URL(page.url()).searchParams.get('attr.service.name')).toBe('pay');
    await poll(() => rowIds(page)).toEqual([ids.b]);
    await page.close();
  });

  test('a missing trace is an error naming the side; no ids is a hint', async () => {
    const page = await open(`/projects/default/traces/compare?a=${ids.a}&b=${'0'.repeat(32)}`);
    await page.waitForSelector('[data-testid="state-error"]');
    expect(await page.locator('[data-testid="state-message"]').textContent()).toContain('Trace B');
    await page.goto(`${fl.api}/projects/default/traces/compare`);
    await page.waitForSelector('[data-testid="state-empty"]');
    await page.close();
    const real = problems.filter((p) => !p.includes('404') && !p.includes('Not Found'));
    expect(real).toEqual([]);
  });
});
