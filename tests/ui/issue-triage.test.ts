// The issue page's triage context: the event-volume chart (GET …/stats) and the tag facets (GET …/tags).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, sendException } from '../otlp-client.ts';
import type { WireIssue } from './issue-fixtures.ts';

let fl: Faultline;
let browser: Browser;
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');
const LONG_RELEASE = `2.1.0+build.${'x'.repeat(150)}`;

/** 6 events: release 2.0.0 × 3 (production × 2, staging × 1), the long release × 2 and 3.0.0 × 1 (production). */
let stock: WireIssue;
/** 1 event in another release (3.0.0), so the release filter has something to leave out. */
let other: WireIssue;

async function findIssue(title: string, count: number): Promise<WireIssue> {
  return eventually(async () => {
    const list = ((await fl.get('/api/v1/projects/default/issues?status=all&limit=100')).body as { issues: WireIssue[] }).issues;
    const found = list.find((i) => i.title === title);
    return found?.count === count ? found : null;
  }, 20_000);
}

beforeAll(async () => {
  fl = await startFaultline();
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const spec = { service: 'inventory', type: 'StockError', message: 'stock sync failed', stack: nodeStack('StockError', 'stock sync failed', 'syncStock', 'src/stock.js', 12) };
  const sends: [string, string][] = [
    ['2.0.0', 'production'],
    ['2.0.0', 'production'],
    ['2.0.0', 'staging'],
    [LONG_RELEASE, 'production'],
    [LONG_RELEASE, 'production'],
    ['3.0.0', 'production'],
  ];
  for (const [release, environment] of sends) await sendException(fl, { ...spec, release, environment });
  await sendException(fl, { service: 'api', type: 'Error', message: 'other failure', stack: nodeStack('Error', 'other failure', 'handle', 'src/api.js', 3), release: '3.0.0', environment: 'production' });
  stock = await findIssue('StockError: stock sync failed', 6);
  other = await findIssue('Error: other failure', 1);
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
});

async function open(path: string, problems: string[], colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${fl.api}${path}?token=${fl.token}`);
  return page;
}

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

async function barCounts(page: Page): Promise<number[]> {
  return (await page.locator('[data-testid="issue-volume-bar"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-events')))).map(Number);
}

async function facet(page: Page, key: string): Promise<[string | null, string | null, string][]> {
  return page
    .locator(`[data-testid="tag-facet"][data-key="${key}"] [data-testid="tag-value"]`)
    .evaluateAll((els) => els.map((e) => [e.getAttribute('data-value'), e.getAttribute('data-count'), (e.querySelector('.num')?.textContent ?? '').trim()] as [string | null, string | null, string]));
}

describe('issue triage context', () => {
  test('the volume chart counts every event, per hour and per day; hovering a bar shows its time and count', async () => {
    const problems: string[] = [];
    const page = await open(`/projects/default/issues/${stock.id}`, problems);
    await page.waitForSelector('[data-testid="stack-frame"]');
    await poll(() => page.locator('[data-testid="issue-volume-total"]').getAttribute('data-total')).toBe('6');
    expect(await page.locator('[data-testid="issue-volume-total"]').textContent()).toBe('6 events');
    const hours = await barCounts(page);
    expect(hours).toHaveLength(24);
    expect(hours.reduce((a, b) => a + b, 0)).toBe(6);
    expect(hours.filter((n) => n === 0).length).toBeGreaterThanOrEqual(22); // empty hours are drawn as zero
    expect(await page.locator('[data-testid="issue-volume"] text').count()).toBeGreaterThan(4); // axis labels

    // hover the busiest hour: the tooltip names the hour and its count
    const busiest = hours.indexOf(Math.max(...hours));
    await page.locator('[data-testid="issue-volume-slot"]').nth(busiest).hover();
    const tip = page.locator('[data-testid="issue-volume-tip"]');
    await tip.waitFor();
    expect(await tip.textContent()).toMatch(new RegExp(`\\d\\d:\\d\\d–\\d\\d:\\d\\d\\s*${hours[busiest]} events?$`));
    // an empty hour reads 0
    await page.locator('[data-testid="issue-volume-slot"]').nth(busiest === 0 ? 1 : 0).hover();
    await poll(() => tip.textContent()).toMatch(/0 events$/);

    await page.click('[data-testid="issue-volume-14d"]');
    await poll(() => page.locator('[data-testid="issue-volume"]').getAttribute('data-period')).toBe('14d');
    await poll(() => page.locator('[data-testid="issue-volume-bar"]').count()).toBe(14);
    await poll(() => page.locator('[data-testid="issue-volume-total"]').getAttribute('data-total')).toBe('6');
    expect((await barCounts(page)).at(-1)).toBe(6); // all of today
    expect(await page.locator('[data-testid="issue-volume-14d"]').getAttribute('aria-pressed')).toBe('true');
    expect(problems).toEqual([]);
    await page.close();
  });

  test('tags list release and environment values with counts; a release value opens the filtered issues list', async () => {
    const problems: string[] = [];
    const page = await open(`/projects/default/issues/${stock.id}`, problems);
    await page.waitForSelector('[data-testid="tag-facet"][data-key="release"]');
    expect(await page.locator('[data-testid="tag-facet"]').first().getAttribute('data-key')).toBe('release');
    expect(await facet(page, 'release')).toEqual([
      ['2.0.0', '3', '3 · 50%'],
      [LONG_RELEASE, '2', '2 · 33%'],
      ['3.0.0', '1', '1 · 17%'],
    ]);
    expect(await facet(page, 'environment')).toEqual([
      ['production', '5', '5 · 83%'],
      ['staging', '1', '1 · 17%'],
    ]);
    // a long value is cut on screen and whole in its title
    const long = page.locator(`[data-testid="tag-value"][data-value="${LONG_RELEASE}"] [data-testid="tag-value-link"]`);
    expect(await long.getAttribute('title')).toContain(LONG_RELEASE);
    expect(await long.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
    // other tags link through tag.<key>= (release and environment through their own filters)
    expect(await page.locator('[data-testid="tag-facet"][data-key="service"] [data-testid="tag-value-link"]').getAttribute('href')).toBe('/projects/default/issues?tag.service=inventory');
    // the stack trace still comes before the panels' content in the main column
    const volumeBox = await page.locator('[data-testid="issue-volume"]').boundingBox();
    const tagsBox = await page.locator('[data-testid="issue-tags"]').boundingBox();
    expect(tagsBox!.x).toBeGreaterThan(volumeBox!.x + volumeBox!.width - 1); // tags in the right column
    await page.screenshot({ path: join(SCREENSHOTS, 'issue-triage.png'), fullPage: true });

    await page.click('[data-testid="tag-value"][data-value="2.0.0"] [data-testid="tag-value-link"]');
    await page.waitForURL(/\/projects\/default\/issues\?release=2\.0\.0$/);
    await poll(() => page.locator('[data-testid="issue-row"]').count()).toBe(1);
    expect(await page.locator('[data-testid="issue-row"]').getAttribute('data-issue-id')).toBe(stock.id);
    expect(await page.locator(`[data-testid="issue-row"][data-issue-id="${other.id}"]`).count()).toBe(0);

    // a tag filter shows as a chip; removing it lets the other issue back in
    await page.goto(`${fl.api}/projects/default/issues?tag.service=inventory`);
    await poll(() => page.locator('[data-testid="issue-row"]').count()).toBe(1);
    expect(await page.locator('[data-testid="issue-tag-filter"]').textContent()).toContain('service = inventory');
    await page.click('[data-testid="issue-tag-filter-remove"]');
    await poll(() => page.url()).not.toContain('tag.');
    await poll(() => page.locator(`[data-testid="issue-row"][data-issue-id="${other.id}"]`).count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('dark mode: bars and tag bars take the dark chart colour', async () => {
    const problems: string[] = [];
    const page = await open(`/projects/default/issues/${stock.id}`, problems, 'dark');
    await page.waitForSelector('[data-testid="issue-volume-bar"]:not([data-events="0"])');
    await page.waitForSelector('[data-testid="tag-facet"]');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const bar = await page.locator('[data-testid="issue-volume-bar"]:not([data-events="0"])').first().evaluate((e) => getComputedStyle(e).fill);
    const fill = await page.locator('[data-testid="tag-value"] .fill').first().evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(bar).toBe('rgb(124, 147, 242)');
    expect(fill).toBe('rgb(124, 147, 242)');
    await page.screenshot({ path: join(SCREENSHOTS, 'issue-triage-dark.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  test('a failing stats or tags request shows an inline error; the event still renders', async () => {
    const problems: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.route(/\/issues\/[0-9a-f]{16}\/(stats|tags)/, (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'database unavailable' } }) }),
    );
    await page.goto(`${fl.api}/projects/default/issues/${stock.id}?token=${fl.token}`);
    await page.waitForSelector('[data-testid="stack-frame"]');
    await page.waitForSelector('[data-testid="issue-volume-error"]');
    expect(await page.locator('[data-testid="issue-volume-error"]').textContent()).toContain('database unavailable');
    expect(await page.locator('[data-testid="issue-tags-error"]').textContent()).toContain('database unavailable');
    expect(await page.locator('h1[data-testid="issue-title"]').textContent()).toBe('StockError: stock sync failed');
    expect(problems).toEqual([]);
    await page.close();
  });
});
