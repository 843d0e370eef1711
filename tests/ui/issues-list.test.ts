import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { nodeStack, sendException } from '../otlp-client.ts';
import { issuePages } from './issue-fixtures.ts';

const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');
const XSS = '<img src=x onerror="window.__xss=1">';
const ctx = issuePages(XSS);
const { open, getIssue } = ctx;

/** expect.poll with room for a loaded machine (the default gives up after one second). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

const row = (page: Page, id: string) => page.locator(`[data-testid="issue-row"][data-issue-id="${id}"]`);

describe('issues list', () => {
  test('shows the seeded issues with their counts; / lands here; j/k + Enter open an issue', async () => {
    const pay = ctx.seeded.pay;
    const db = ctx.seeded.db;
    const page = await open('/');
    await page.waitForSelector('[data-testid="issue-row"]');
    expect(new URL(page.url()).pathname).toBe('/projects/default/issues');
    expect(page.url()).not.toContain('token=');
    expect(await page.locator('[data-testid="issue-row"]').count()).toBe(4);
    expect(await row(page, pay.id).locator('[data-testid="issue-title"]').textContent()).toBe('TypeError: card declined');
    expect((await row(page, pay.id).locator('[data-testid="issue-count"]').textContent())?.trim()).toBe('3');
    expect((await row(page, pay.id).locator('[data-testid="issue-users"]').textContent())?.trim()).toBe('2');
    expect((await row(page, db.id).locator('[data-testid="issue-count"]').textContent())?.trim()).toBe('1');
    expect((await row(page, db.id).locator('[data-testid="issue-users"]').textContent())?.trim()).toBe('1');
    expect(await row(page, pay.id).getByText('chargeCard(src/pay.js)').count()).toBe(1);
    expect(await page.locator('[data-testid="nav-issues"][aria-current="page"]').count()).toBe(1);

    // filters live in the URL: sorting by events puts the 3-event issue first
    await page.selectOption('[data-testid="issue-sort"]', 'events');
    await poll(() => new URL(page.url()).searchParams.get('sort')).toBe('events');
    await poll(() => page.locator('[data-testid="issue-row"]').first().getAttribute('data-issue-id')).toBe(pay.id);
    await page.fill('[data-testid="issue-search"]', 'row index');
    await page.press('[data-testid="issue-search"]', 'Enter');
    await poll(() => new URL(page.url()).searchParams.get('query')).toBe('row index');
    await poll(() => page.locator('[data-testid="issue-row"]').count()).toBe(1);
    await page.goto(`${ctx.fl.api}/projects/default/issues?sort=events`);
    await page.waitForSelector('[data-testid="issue-row"]');
    await poll(() => page.locator('[data-testid="issue-row"]').count()).toBe(4);
    // a link by numeric id names the project by its slug in the title, as the project menu does
    await page.goto(`${ctx.fl.api}/projects/1/issues`);
    await poll(() => page.title()).toBe('Issues · default · Faultline');
    await page.goBack();
    await page.waitForSelector('[data-testid="issue-row"]');
    await page.screenshot({ path: join(SCREENSHOTS, 'issues.png') });

    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await poll(() => page.locator('[data-testid="issue-row"].cursor').getAttribute('data-issue-id')).toBe(pay.id);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="issue-page"]');
    expect(new URL(page.url()).pathname).toBe(`/projects/default/issues/${pay.id}`);
    await page.close();
  });

  test('Load more pages on through the API cursor until every issue is listed once', async () => {
    const page = await open('/projects/default/issues?limit=3');
    await page.waitForSelector('[data-testid="issue-row"]');
    expect(await page.locator('[data-testid="issue-row"]').count()).toBe(3);
    expect(await page.locator('[data-testid="issue-total"]').textContent()).toContain('3 issues, more below');
    await page.click('[data-testid="issues-load-more"]');
    await poll(() => page.locator('[data-testid="issue-row"]').count()).toBe(4);
    expect(await page.locator('[data-testid="issues-load-more"]').count()).toBe(0);
    const ids = await page.locator('[data-testid="issue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-issue-id')));
    expect(new Set(ids).size).toBe(4);
    await page.close();
  });

  test('a search saved from the list reopens it for everyone; read-only sessions may use but not save or delete', async () => {
    const page = await open('/projects/default/issues?query=card&sort=events');
    await poll(() => page.locator('[data-testid="issue-row"]').count()).toBe(1);
    await page.click('[data-testid="saved-searches-toggle"]');
    await page.waitForSelector('text=No saved searches for this page yet.');
    await page.fill('[data-testid="saved-search-name"]', `Card ${XSS}`);
    await page.click('[data-testid="saved-search-save"]');
    await poll(() => page.locator('[data-testid="saved-search"]').count()).toBe(1);
    // the current URL is the saved one: the toggle names it; names render as text
    await poll(() => page.locator('[data-testid="saved-searches-toggle"]').textContent()).toBe(`Saved: Card ${XSS}`);
    expect(await page.locator('[data-testid="saved-searches"] img').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'saved-searches.png') });
    await page.keyboard.press('Escape');
    await poll(() => page.locator('[data-testid="saved-searches"]').getAttribute('open')).toBe(null);

    await page.goto(`${ctx.fl.api}/projects/default/issues`);
    await poll(() => page.locator('[data-testid="issue-row"]').count()).toBe(4);
    await page.click('[data-testid="saved-searches-toggle"]');
    await page.click('[data-testid="saved-search"]');
    await page.waitForURL(/query=card/);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('events');
    await poll(() => page.locator('[data-testid="issue-row"]').count()).toBe(1);

    const res = await fetch(`${ctx.fl.api}/api/v1/projects/default/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.fl.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'read' }),
    });
    const { token } = (await res.json()) as { token: string };
    const reader = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await reader.goto(`${ctx.fl.api}/projects/default/issues?token=${token}`);
    await reader.click('[data-testid="saved-searches-toggle"]');
    await poll(() => reader.locator('[data-testid="saved-search"]').count()).toBe(1);
    expect(await reader.locator('[data-testid="saved-search-name"], [data-testid="saved-search-delete"]').count()).toBe(0);
    await reader.close();

    await page.click('[data-testid="saved-searches-toggle"]');
    await page.click('[data-testid="saved-search-delete"]');
    await page.waitForSelector('text=No saved searches for this page yet.');
    const left = (await (
      await fetch(`${ctx.fl.api}/api/v1/projects/default/saved-searches`, { headers: { authorization: `Bearer ${ctx.fl.token}` } })
    ).json()) as { savedSearches: unknown[] };
    expect(left.savedSearches).toEqual([]);
    await page.close();
  });

  test('bulk Ignore then Reopen: one PATCH per issue and the list refreshes', async () => {
    const db = ctx.seeded.db;
    const cart = ctx.seeded.cart;
    const page = await open('/projects/default/issues');
    await page.waitForSelector('[data-testid="issue-row"]');
    await row(page, db.id).locator('[data-testid="issue-select"]').check();
    await row(page, cart.id).locator('[data-testid="issue-select"]').check();
    await page.click('[data-testid="bulk-ignore"]');
    await poll(() => row(page, db.id).count()).toBe(0);
    await poll(() => row(page, cart.id).count()).toBe(0);
    expect((await getIssue(db.id)).status).toBe('ignored');
    expect((await getIssue(cart.id)).status).toBe('ignored');

    await page.click('[data-testid="issue-tab-ignored"]');
    // the unresolved list holds two issues too, so wait for the tab's navigation before counting
    await page.waitForURL(/status=ignored/);
    await poll(() => row(page, db.id).count()).toBe(1);
    await poll(() => page.locator('[data-testid="issue-row"]').count()).toBe(2);
    await page.click('[data-testid="issue-select-all"]');
    await page.click('[data-testid="bulk-reopen"]');
    await poll(() => page.locator('[data-testid="issue-row"]').count()).toBe(0);
    await page.waitForSelector('[data-testid="state-empty"]');
    expect((await getIssue(db.id)).status).toBe('unresolved');
    expect((await getIssue(cart.id)).status).toBe('unresolved');
    await page.close();
  });

  test('a time range lists the issues with events in it and counts them there', async () => {
    const pay = ctx.seeded.pay;
    const counted = async () =>
      (
        (await ctx.fl.get('/api/v1/projects/default/issues?status=all&limit=500')).body as { issues: Array<{ count: number }> }
      ).issues.reduce((n, i) => n + i.count, 0);
    const before = await counted();
    const threeDaysAgo = Date.now() - 3 * 86_400_000;
    const stack = nodeStack('Error', 'nightly export failed', 'exportAll', 'src/export.js', 9);
    await sendException(ctx.fl, { service: 'batch', type: 'Error', message: 'nightly export failed', stack, timeMs: threeDaysAgo });
    await sendException(ctx.fl, {
      service: 'checkout',
      type: 'TypeError',
      message: 'card declined',
      stack: nodeStack('TypeError', 'card declined', 'chargeCard', 'src/pay.js', 42),
      userId: 'u7',
      timeMs: threeDaysAgo,
    });
    await poll(counted).toBe(before + 2);
    const page = await open('/projects/default/issues');
    const titles = () => page.locator('[data-testid="issue-title"]').allTextContents();
    await poll(titles).toContain('Error: nightly export failed');
    await poll(() => row(page, pay.id).locator('[data-testid="issue-count"]').textContent()).toBe('4');

    await page.selectOption('[data-testid="issue-filter-period"]', '24h');
    await poll(() => new URL(page.url()).searchParams.get('period')).toBe('24h');
    await poll(titles).not.toContain('Error: nightly export failed');
    await poll(() => row(page, pay.id).locator('[data-testid="issue-count"]').textContent()).toBe('3');
    expect(await row(page, pay.id).locator('[data-testid="issue-users"]').textContent()).toBe('2');
    expect(await page.locator('[data-testid="issue-count-header"]').textContent()).toContain('last 24 hours');
    // the range is in the link: reopening it keeps the range
    await page.reload();
    await poll(() => row(page, pay.id).locator('[data-testid="issue-count"]').textContent()).toBe('3');
    expect(await page.locator('[data-testid="issue-filter-period"]').inputValue()).toBe('24h');

    await page.selectOption('[data-testid="issue-filter-period"]', '7d');
    await poll(titles).toContain('Error: nightly export failed');
    await poll(() => row(page, pay.id).locator('[data-testid="issue-count"]').textContent()).toBe('4');
    await page.close();
  });
});
