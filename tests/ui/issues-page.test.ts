import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { eventually } from '../harness.ts';
import { nodeStack, postOtlpJson } from '../otlp-client.ts';
import { issuePages, type WireIssue } from './issue-fixtures.ts';

const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');
const XSS = '<img src=x onerror="window.__xss=1">';
const ctx = issuePages(XSS);
const { open, getIssue } = ctx;

/** expect.poll with room for a loaded machine (the default gives up after one second). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

describe('issue page', () => {
  test('a cold deep link renders the issue and the in-app frame; View trace selects the failing span', async () => {
    const pay = ctx.seeded.pay;
    const page = await open(`/projects/default/issues/${pay.id}`);
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.waitForSelector('[data-testid="stack-frame"]');
    expect(page.url()).not.toContain('token=');
    expect(await page.locator('h1[data-testid="issue-title"]').textContent()).toBe('TypeError: card declined');
    expect((await page.locator('[data-testid="issue-header"] [data-testid="issue-count"]').textContent())?.trim()).toBe('3');
    expect((await page.locator('[data-testid="issue-header"] [data-testid="issue-users"]').textContent())?.trim()).toBe('2');
    expect(await page.locator('[data-testid="issue-status"]').getAttribute('data-status')).toBe('unresolved');
    const inApp = page.locator('[data-testid="stack-frame"][data-in-app="true"]');
    expect(await inApp.first().locator('[data-testid="stack-frame-function"]').textContent()).toBe('chargeCard');
    expect(await inApp.first().getAttribute('data-expanded')).toBe('true');
    expect(await page.locator('[data-testid="stack-frame"][data-in-app="false"][data-expanded="false"]').count()).toBe(2);
    expect(await page.locator('[data-testid="issue-activity"] [data-kind="first_seen"]').count()).toBe(1);
    await page.waitForSelector('[data-testid="event-position"]:has-text("1 of 3")');
    await page.click('[data-testid="event-older"]');
    await page.waitForSelector('[data-testid="event-position"]:has-text("2 of 3")');
    expect(new URL(page.url()).searchParams.get('event')).toMatch(/^[0-9a-f]{32}$/);
    await page.click('[data-testid="event-latest"]');
    await page.waitForSelector('[data-testid="event-position"]:has-text("1 of 3")');
    await page.screenshot({ path: join(SCREENSHOTS, 'issue.png'), fullPage: true });
    // "JSON" opens the shown event as the API answers it, with the session cookie.
    const json = page.locator('[data-testid="event-json"]');
    const eventUrl = await json.getAttribute('href');
    expect(eventUrl).toMatch(/^\/api\/v1\/projects\/default\/events\/[0-9a-f]{32}$/);
    const [tab] = await Promise.all([page.context().waitForEvent('page'), json.click()]);
    await tab.waitForLoadState();
    expect(JSON.parse((await tab.locator('body').textContent()) ?? '')).toMatchObject({ issueId: pay.id, eventId: eventUrl?.split('/').pop() });
    await tab.close();

    const link = page.locator('[data-testid="view-trace"]');
    expect(await link.getAttribute('href')).toBe(`/projects/default/traces/${pay.traceId}?span=${pay.spanId}`);
    await link.click();
    await page.waitForSelector(`[data-testid="span-bar"][data-span-id="${pay.spanId}"]`);
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/projects/default/traces/${pay.traceId}`);
    expect(url.searchParams.get('span')).toBe(pay.spanId);
    await page.waitForSelector(`[data-testid="span-detail"][data-span-id="${pay.spanId}"]`);
    // …and the span detail links back to the issue
    const back = page.locator('[data-testid="span-detail-issue-link"]');
    expect(await back.getAttribute('data-issue-id')).toBe(pay.id);
    expect(await back.textContent()).toBe('TypeError: card declined');
    await back.click();
    await page.waitForSelector('[data-testid="issue-page"]');
    expect(new URL(page.url()).pathname).toBe(`/projects/default/issues/${pay.id}`);
    expect(problems).toEqual([]); // no CSP violations, no runtime errors
    await page.close();
  });

  test("the event shows the log records of its trace, as text, with a link to the log search", async () => {
    const pay = ctx.seeded.pay;
    const body = `charging card ${XSS}`;
    await postOtlpJson(ctx.fl, '/v1/logs', {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payments' } }] },
          scopeLogs: [{ logRecords: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), severityNumber: 13, severityText: 'WARN', body: { stringValue: body }, traceId: pay.traceId, spanId: pay.spanId }] }],
        },
      ],
    });
    await eventually(async () => (((await ctx.fl.get(`/api/v1/projects/default/logs?traceId=${pay.traceId}`)).body as { logs: unknown[] }).logs.length === 1 ? true : null));
    const page = await open(`/projects/default/issues/${pay.id}`);
    await page.waitForSelector('[data-testid="event-logs"] [data-testid="log-row"]');
    expect(await page.locator('[data-testid="event-logs"] [data-testid="log-body"]').allTextContents()).toEqual([body]);
    expect(await page.locator('[data-testid="event-logs"] [data-testid="log-row"]').getAttribute('data-severity')).toBe('warn');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('[data-testid="event-logs-search"]').getAttribute('href')).toContain(`traceId=${pay.traceId}`);
    await page.close();
  });

  test('Resolve, Resolve in release and Reopen round-trip through PATCH', async () => {
    const db = ctx.seeded.db;
    const page = await open(`/projects/default/issues/${db.id}`);
    const status = page.locator('[data-testid="issue-status"]');
    await page.waitForSelector('[data-testid="issue-action-resolve"]');
    const changes = page.locator('[data-testid="issue-activity"] [data-kind="status_change"]');
    const before = await changes.count(); // the bulk test already ignored and reopened it
    await page.click('[data-testid="issue-action-resolve"]');
    await poll(() => status.getAttribute('data-status')).toBe('resolved');
    expect((await getIssue(db.id)).status).toBe('resolved');
    await poll(() => changes.count()).toBe(before + 1);
    expect(await page.locator('[data-testid="issue-activity-item"]').first().textContent()).toContain('Resolved');

    await page.click('[data-testid="issue-action-reopen"]');
    await poll(() => status.getAttribute('data-status')).toBe('unresolved');
    expect((await getIssue(db.id)).status).toBe('unresolved');

    await page.click('[data-testid="issue-action-resolve-release"]');
    expect(await page.inputValue('[data-testid="issue-resolve-release-input"]')).toBe('1.1.0');
    await page.fill('[data-testid="issue-resolve-release-input"]', '1.2.0');
    await page.click('[data-testid="issue-resolve-release-submit"]');
    await poll(() => status.textContent()).toContain('in 1.2.0');
    const after = await getIssue(db.id);
    expect(after.status).toBe('resolved');
    expect(after.resolvedInRelease).toBe('1.2.0');

    await page.click('[data-testid="issue-action-resolve-release"]');
    await page.click('[data-testid="issue-resolve-next-release"]');
    await poll(() => status.textContent()).toContain('in the release after 1.1.0');
    expect(await getIssue(db.id)).toMatchObject({ status: 'resolved', resolvedInRelease: '1.1.0', resolvedInNextRelease: true });

    await page.click('[data-testid="issue-action-ignore-until"]');
    await page.fill('[data-testid="issue-ignore-until-input"]', '50');
    await page.click('[data-testid="issue-ignore-until-submit"]');
    await poll(() => status.getAttribute('data-status')).toBe('ignored');
    expect(await getIssue(db.id)).toMatchObject({
      status: 'ignored',
      ignoreUntilEvents: 50,
    });
    await page.click('[data-testid="issue-action-reopen"]');
    await poll(() => status.getAttribute('data-status')).toBe('unresolved');

    // Ignore for 2 hours: the badge shows the end time; until a number of users.
    await page.click('[data-testid="issue-action-ignore-until"]');
    await page.click('[data-testid="issue-ignore-for-120"]');
    await poll(() => status.getAttribute('data-status')).toBe('ignored');
    const snoozed = await getIssue(db.id);
    expect(Date.parse(snoozed.ignoreUntil) - Date.now()).toBeGreaterThan(119 * 60_000);
    expect(await status.textContent()).toMatch(/until (\d{4}-\d\d-\d\d )?\d\d:\d\d/);
    await page.click('[data-testid="issue-action-ignore-until"]');
    await page.fill('[data-testid="issue-ignore-until-input"]', '7');
    await page.selectOption('[data-testid="issue-ignore-until-kind"]', 'users');
    await page.click('[data-testid="issue-ignore-until-submit"]');
    await poll(() => status.textContent()).toContain('until 7 users');
    expect(await getIssue(db.id)).toMatchObject({ status: 'ignored', ignoreUntilUsers: 7, ignoreUntil: '' });
    await page.click('[data-testid="issue-action-reopen"]');
    await poll(() => status.getAttribute('data-status')).toBe('unresolved');
    await page.close();
  });

  test('a Sentry event shows the exception chain with context lines, breadcrumbs, tags and contexts', async () => {
    const cart = ctx.seeded.cart;
    const page = await open(`/projects/default/issues/${cart.id}`);
    await page.waitForSelector('[data-testid="breadcrumb"]');
    expect(await page.locator('[data-testid="breadcrumb"]').count()).toBe(3);
    // a console.log breadcrumb is neutral like info, not red like an error; a warning stays orange
    const dot = (level: string) =>
      page.locator(`[data-testid="breadcrumb"][data-level="${level}"] .dot`).evaluate((e) => getComputedStyle(e).backgroundColor);
    const errorColor = await page.evaluate(() => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--level-error)';
      document.body.append(probe);
      const color = getComputedStyle(probe).color;
      probe.remove();
      return color;
    });
    expect(await dot('log')).toBe(await dot('info'));
    expect(await dot('log')).not.toBe(errorColor);
    expect(await dot('warning')).not.toBe(errorColor);
    const types = await page.locator('[data-testid="exception-type"]').allTextContents();
    expect(types).toEqual(['CartError', 'ECONNRESET']); // outermost first
    const current = page.locator('[data-testid="stack-frame"][data-in-app="true"] li[data-current="true"]');
    expect(await current.first().textContent()).toContain('return await query(id);');
    expect(await page.locator('[data-testid="event-tags"] [data-key="region"]').textContent()).toContain('eu-west-1');
    expect(await page.locator('[data-testid="event-context"][data-name="runtime"]').textContent()).toContain('v24.1.0');
    expect(await page.locator('[data-testid="event-user"]').textContent()).toContain('ann@example.com');
    expect(await page.locator('[data-testid="view-trace"]').count()).toBe(0);
    // The HTTP request and the additional data, scrubbed at ingest.
    expect(await page.locator('[data-testid="event-request-line"]').textContent()).toBe('GET https://shop.example.com/cart');
    expect(await page.locator('[data-testid="event-request-query"] [data-key="token"]').textContent()).toContain('[Filtered]');
    expect(await page.locator('[data-testid="event-request-query"] [data-key="id"]').textContent()).toContain('7');
    expect(await page.locator('[data-testid="event-request-headers"] [data-key="Authorization"]').textContent()).toContain('[Filtered]');
    expect(await page.locator('[data-testid="event-request-headers"] [data-key="Accept"]').textContent()).toContain('application/json');
    expect(await page.locator('[data-testid="event-extra"] [data-key="note"]').textContent()).toContain('keep me');
    expect(await page.locator('[data-testid="event-extra"] [data-key="order"]').textContent()).toContain('"items":2');
    expect(await page.locator('[data-testid="event-modules"]').textContent()).toContain('Modules (1)');
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.screenshot({ path: join(SCREENSHOTS, 'issue-sentry.png') });
    // toggling the order shows the cause first
    await page.click('[data-testid="frames-newest-first"]');
    expect(await page.locator('[data-testid="exception-type"]').allTextContents()).toEqual(['ECONNRESET', 'CartError']);
    await page.close();
  });

  test('hostile text in messages, frames, tags and breadcrumbs stays text', async () => {
    const evil = ctx.seeded.evil;
    const cart = ctx.seeded.cart;
    const dialogs: string[] = [];
    for (const path of ['/projects/default/issues', `/projects/default/issues/${evil.id}`, `/projects/default/issues/${cart.id}`]) {
      const page = await open(path);
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.waitForSelector(path.endsWith('/issues') ? '[data-testid="issue-row"]' : '[data-testid="stack-frame"]');
      await poll(() => page.getByText(XSS, { exact: false }).count()).toBeGreaterThan(0);
      if (path.includes(evil.id)) {
        const fn = page.locator('[data-testid="stack-frame"][data-in-app="true"] [data-testid="stack-frame-function"]').first();
        expect(await fn.textContent()).toBe(XSS);
        expect(await page.locator('[data-testid="exception-value"]').textContent()).toBe(XSS);
      }
      expect(await page.locator('main img').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      await page.close();
    }
    expect(dialogs).toEqual([]);
  });

  test('a read-only session gets no workflow buttons (the API would refuse them) and the status stays', async () => {
    const db = ctx.seeded.db;
    const res = await fetch(`${ctx.fl.api}/api/v1/projects/default/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.fl.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'read' }),
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${ctx.fl.api}/projects/default/issues/${db.id}?token=${token}`);
    await page.waitForSelector('[data-testid="issue-read-only"]');
    expect(await page.locator('[data-testid="issue-read-only"]').textContent()).toContain('Read-only access');
    expect(await page.locator('[data-testid="issue-actions"], [data-testid="issue-note-form"]').count()).toBe(0);
    expect(await page.locator('[data-testid="issue-status"]').getAttribute('data-status')).toBe('unresolved');
    expect((await getIssue(db.id)).status).toBe('unresolved');
    await page.close();
  });

  test('Assign… sets the owner (kept by the status), Unassign clears it', async () => {
    const db = ctx.seeded.db;
    const page = await open(`/projects/default/issues/${db.id}`);
    await page.click('[data-testid="issue-action-assign"]');
    await page.fill('[data-testid="issue-assign-input"]', 'carol (payments)');
    await page.click('[data-testid="issue-assign-submit"]');
    await poll(() => page.locator('[data-testid="issue-assignee"]').textContent()).toBe('Assigned to carol (payments)');
    expect((await getIssue(db.id)).assignee).toBe('carol (payments)');
    await poll(() => page.locator('[data-testid="issue-activity-item"]').first().textContent()).toContain('Assigned to carol (payments)');
    await page.click('[data-testid="issue-action-assign"]');
    await page.click('[data-testid="issue-unassign"]');
    await poll(() => page.locator('[data-testid="issue-assignee"]').count()).toBe(0);
    expect((await getIssue(db.id)).assignee).toBe('');
    await page.close();
  });

  test('an issue with more events than the page lists counts them all ("1 of 55", not "1 of 50+")', async () => {
    // one span with 55 exception events: 55 error events of one issue, in one export
    const TOTAL = 55;
    const now = BigInt(Date.now()) * 1_000_000n;
    const stack = nodeStack('QuotaError', 'quota exceeded', 'reserve', 'src/quota.js', 9);
    const attrs = [
      { key: 'exception.type', value: { stringValue: 'QuotaError' } },
      { key: 'exception.message', value: { stringValue: 'quota exceeded' } },
      { key: 'exception.stacktrace', value: { stringValue: stack } },
    ];
    const events = Array.from({ length: TOTAL }, (_, i) => ({ timeUnixNano: String(now - BigInt(TOTAL - i) * 1_000_000n), name: 'exception', attributes: attrs }));
    const span = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), name: 'POST /reserve', kind: 2 };
    await postOtlpJson(ctx.fl, '/v1/traces', {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'quota' } }] },
          scopeSpans: [{ spans: [{ ...span, startTimeUnixNano: String(now - 100_000_000n), endTimeUnixNano: String(now), status: { code: 2 }, events }] }],
        },
      ],
    });
    const issue = await eventually(async () => {
      const list = ((await ctx.fl.get('/api/v1/projects/default/issues?status=all&query=quota')).body as { issues: WireIssue[] }).issues;
      const found = list.find((i) => i.title === 'QuotaError: quota exceeded');
      return found?.count === TOTAL ? found : null;
    }, 20_000);
    const page = await open(`/projects/default/issues/${issue.id}`);
    await page.waitForSelector(`[data-testid="event-position"]:has-text("1 of ${TOTAL}")`);
    await page.click('[data-testid="event-older"]');
    await page.waitForSelector(`[data-testid="event-position"]:has-text("2 of ${TOTAL}")`);
    expect(await page.locator('[data-testid="event-position"]').textContent()).not.toContain('+');
    await page.close();
  });

  test('an unknown issue id shows not found', async () => {
    const page = await open('/projects/default/issues/0123456789abcdef');
    await page.waitForSelector('[data-testid="state-not-found"]');
    await page.close();
  });
});
