import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openSignedIn } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { postOtlpJson } from '../otlp-client.ts';

let fl: Faultline;
let browser: Browser;
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');
const problems: string[] = [];

interface SpanSpec {
  id: string;
  parent: string;
  service: string;
  name: string;
  startMs: number;
  durMs: number;
  error?: boolean;
}

/** One trace through the real OTLP/HTTP ingest path, one resource per service. */
async function sendSpans(startMs: number, specs: SpanSpec[]): Promise<string> {
  const traceId = randomBytes(16).toString('hex');
  const ids = new Map<string, string>();
  const spans = specs.map((s) => {
    const spanId = randomBytes(8).toString('hex');
    ids.set(s.id, spanId);
    return { ...s, spanId };
  });
  const byService = new Map<string, unknown[]>();
  for (const s of spans) {
    const start = BigInt(startMs + s.startMs) * 1_000_000n;
    const list = byService.get(s.service) ?? [];
    list.push({
      traceId,
      spanId: s.spanId,
      parentSpanId: s.parent ? ids.get(s.parent) : '',
      name: s.name,
      kind: s.parent ? 1 : 2,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + BigInt(s.durMs) * 1_000_000n),
      status: s.error ? { code: 2, message: 'failed' } : {},
    });
    byService.set(s.service, list);
  }
  const resourceSpans = [...byService].map(([service, list]) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [{ scope: { name: 'test' }, spans: list }],
  }));
  await postOtlpJson(fl, '/v1/traces', { resourceSpans });
  return traceId;
}

const now = Date.now();
const ids = { a: '', b: '', home: '', fail: '' };

beforeAll(async () => {
  fl = await startFaultline();
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A: checkout with three cart queries and an inventory call
  ids.a = await sendSpans(now - 120_000, [
    { id: 'r', parent: '', service: 'shop', name: 'GET /checkout', startMs: 0, durMs: 120 },
    { id: 'au', parent: 'r', service: 'shop', name: 'auth', startMs: 1, durMs: 3 },
    { id: 'q1', parent: 'r', service: 'shop', name: 'SELECT cart', startMs: 5, durMs: 10 },
    { id: 'q2', parent: 'r', service: 'shop', name: 'SELECT cart', startMs: 20, durMs: 10 },
    { id: 'q3', parent: 'r', service: 'shop', name: 'SELECT cart', startMs: 35, durMs: 10 },
    { id: 'i', parent: 'r', service: 'stock', name: 'GET /inventory', startMs: 60, durMs: 40 },
  ]);
  // B: the same request failing: one (failing) query, no inventory call, a payment call instead
  ids.b = await sendSpans(now - 90_000, [
    { id: 'r', parent: '', service: 'shop', name: 'GET /checkout', startMs: 0, durMs: 300, error: true },
    { id: 'au', parent: 'r', service: 'shop', name: 'auth', startMs: 1, durMs: 4 },
    { id: 'q1', parent: 'r', service: 'shop', name: 'SELECT cart', startMs: 5, durMs: 30, error: true },
    { id: 'p', parent: 'r', service: 'pay', name: 'POST /charge', startMs: 100, durMs: 150 },
  ]);
  ids.home = await sendSpans(now - 60_000, [{ id: 'r', parent: '', service: 'shop', name: 'GET /home', startMs: 0, durMs: 20 }]);
  ids.fail = await sendSpans(now - 30_000, [{ id: 'r', parent: '', service: 'shop', name: 'GET /fail', startMs: 0, durMs: 5, error: true }]);
  await eventually(async () => {
    const body = (await fl.get(`/api/v1/projects/default/traces?start=${now - 3_600_000}&end=${now + 60_000}`)).body as { traces?: unknown[] };
    return body.traces?.length === 4 ? true : null;
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
    const page = await open('/projects/default/traces');
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
