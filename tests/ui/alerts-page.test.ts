import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openSignedIn } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, sendException } from '../otlp-client.ts';

interface Payload {
  rule: { id: string; name: string };
  issue: { id: string } | null;
  test?: boolean;
}

interface Rule {
  id: string;
  name: string;
  environment: string | null;
}

let fl: Faultline;
let browser: Browser;
let receiver: Server;
let hookUrl = '';
let readToken = '';
const received: Payload[] = [];
const problems: string[] = [];
const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');

beforeAll(async () => {
  // A real webhook receiver: records every JSON POST and answers 200.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Payload);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  [fl, browser] = await Promise.all([startFaultline({ FAULTLINE_ALERT_INTERVAL_SECONDS: '1' }), launchBrowser()]);
  const res = await fetch(`${fl.api}/api/v1/projects/default/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'read' }),
  });
  readToken = ((await res.json()) as { token: string }).token;
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });
const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent())?.trim();
const rules = async () => ((await fl.get('/api/v1/projects/default/alerts')).body as { alerts: Rule[] }).alerts;

describe('alerts page', () => {
  let page: Page;
  let ruleId = '';

  test('an admin creates a rule (400s beside the form), tests it, and sees its firing for a new issue', async () => {
    page = await openSignedIn(browser, fl, '/projects/default/alerts', problems);
    await page.waitForSelector('[data-testid="alert-form"]');
    await page.waitForSelector('[data-testid="alert-rules"] [data-testid="state-empty"]');
    expect(await page.locator('[data-testid="nav-alerts"][aria-current="page"]').count()).toBe(1);

    // the API's messages sit next to their fields
    await page.fill('[data-testid="alert-name"]', 'New errors');
    await page.selectOption('[data-testid="alert-kind"]', 'issue_spike');
    await page.fill('[data-testid="alert-threshold"]', '-1');
    await page.fill('[data-testid="alert-window"]', '5');
    await page.fill('[data-testid="alert-webhook"]', 'ftp://example.com/x');
    await page.click('[data-testid="alert-save"]');
    await poll(() => text(page, '[data-testid="alert-field-error"][data-field="webhookUrl"]')).toBe('must be an http:// or https:// URL');
    expect(await text(page, '[data-testid="alert-field-error"][data-field="threshold"]')).toBe('must be positive');

    await page.selectOption('[data-testid="alert-kind"]', 'new_issue');
    await page.fill('[data-testid="alert-webhook"]', `${hookUrl}/hooks/secret-path`);
    await page.click('[data-testid="alert-save"]');
    const row = page.locator('[data-testid="alert-row"]');
    await poll(() => row.count()).toBe(1);
    expect(await page.locator('[data-testid="alert-field-error"]').count()).toBe(0);
    ruleId = (await row.getAttribute('data-alert-id')) ?? '';
    expect((await rules()).map((r) => r.id)).toEqual([ruleId]);
    expect(await text(page, '[data-testid="alert-kind-cell"]')).toBe('New issue');
    expect(await text(page, '[data-testid="alert-filters"]')).toBe('all events');
    expect(await text(page, '[data-testid="alert-webhook-origin"]')).toBe(hookUrl);

    // the list is fetched once more after the write, not again and again by its own effect
    await page.waitForTimeout(300);
    const lists: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (/\/alerts(\/[^/]+\/firings)?(\?|$)/.test(r.url())) lists.push(r.url());
    };
    page.on('request', onRequest);
    await page.waitForTimeout(700);
    page.off('request', onRequest);
    expect(lists).toEqual([]);

    await page.click('[data-testid="alert-test"]');
    const outcome = page.locator('[data-testid="alert-test-outcome"]');
    await poll(() => outcome.getAttribute('data-status')).toBe('delivered');
    expect(await outcome.textContent()).toContain('HTTP 200 · 1 attempt');
    expect(received.some((p) => p.test === true && p.rule.id === ruleId)).toBe(true);

    const stack = nodeStack('TypeError', 'alert me', 'pay', 'src/pay.js', 3);
    await sendException(fl, { service: 'alerts-ui', type: 'TypeError', message: 'alert me', stack });
    const issueId = await eventually(async () => received.find((p) => p.issue !== null)?.issue?.id, 15_000);
    // the firing is recorded after the receiver answered
    await eventually(async () => {
      const { body } = await fl.get(`/api/v1/projects/default/alerts/${ruleId}/firings`);
      return (
        (body as { firings: Array<{ issueId: string | null; status: string }> }).firings.some(
          (f) => f.issueId === issueId && f.status === 'delivered',
        ) || null
      );
    });

    await page.click('[data-testid="alert-firings-toggle"]');
    const firing = page.locator(`[data-testid="firing-row"][data-issue-id="${issueId}"]`);
    await poll(() => firing.getAttribute('data-status')).toBe('delivered');
    expect(await firing.locator('[data-testid="firing-status"]').textContent()).toBe('delivered');
    expect(await firing.locator('[data-testid="firing-http"]').textContent()).toBe('200');
    expect(await firing.locator('[data-testid="firing-attempts"]').textContent()).toBe('1');
    expect(await page.locator('[data-testid="firing-row"][data-issue-id=""]').getAttribute('data-status')).toBe('delivered');
    await page.screenshot({ path: join(SCREENSHOTS, 'alerts.png'), fullPage: true });

    // The notification names its issue by title (the id is in the link's tooltip).
    const title = ((await fl.get(`/api/v1/projects/default/issues/${issueId}`)).body as { title: string }).title;
    expect(await firing.locator('[data-testid="firing-issue-link"]').textContent()).toBe(title);
    await firing.locator('[data-testid="firing-issue-link"]').click();
    await page.waitForSelector(`[data-testid="issue-page"][data-issue-id="${issueId}"]`);
    expect(new URL(page.url()).pathname).toBe(`/projects/default/issues/${issueId}`);
    await page.goBack();
    await page.waitForSelector('[data-testid="alert-row"]');
  });

  test('a read-only token sees the rules and their firings, without write controls', async () => {
    // its own problems list: the 403 of the admin-only probe is expected there
    const viewer = await openSignedIn(browser, { api: fl.api, token: readToken }, '/projects/default/alerts', []);
    await viewer.waitForSelector('[data-testid="alerts-readonly"]');
    await viewer.waitForSelector(`[data-testid="alert-row"][data-alert-id="${ruleId}"]`);
    expect(await text(viewer, '[data-testid="alert-webhook-origin"]')).toBe(hookUrl);
    const writes = '[data-testid="alert-form"], [data-testid="alert-test"], [data-testid="alert-edit"], [data-testid="alert-delete"]';
    expect(await viewer.locator(writes).count()).toBe(0);
    await viewer.click('[data-testid="alert-firings-toggle"]');
    await poll(() => viewer.locator('[data-testid="firing-row"]').count()).toBe(2);
    await viewer.close();
  });

  test('an admin edits the rule, and deleting it asks for confirmation first', async () => {
    const row = page.locator(`[data-testid="alert-row"][data-alert-id="${ruleId}"]`);
    await row.locator('[data-testid="alert-edit"]').click();
    await row.locator('[data-testid="alert-name"]').fill('Prod errors');
    await row.locator('[data-testid="alert-environment"]').fill('prod');
    await row.locator('[data-testid="alert-save"]').click();
    await poll(() => text(page, '[data-testid="alert-filters"]')).toBe('env prod');
    expect(await text(page, '[data-testid="alert-name-cell"]')).toBe('Prod errors');
    expect(await rules()).toEqual([expect.objectContaining({ id: ruleId, name: 'Prod errors', environment: 'prod' })]);

    // The same rule watching a service: the form swaps the issue filters for the service and the numbers.
    await row.locator('[data-testid="alert-edit"]').click();
    await row.locator('[data-testid="alert-kind"]').selectOption('service_error_rate');
    expect(await row.locator('[data-testid="alert-environment"]').count()).toBe(0);
    await row.locator('[data-testid="alert-threshold"]').fill('5');
    await row.locator('[data-testid="alert-window"]').fill('10');
    await row.locator('[data-testid="alert-service"]').fill('checkout');
    await row.locator('[data-testid="alert-save"]').click();
    await poll(() => text(page, '[data-testid="alert-filters"]')).toBe('service checkout');
    expect(await text(page, '[data-testid="alert-kind-cell"]')).toBe('Error rate ≥ 5 % in 10 min');
    expect(await rules()).toEqual([
      expect.objectContaining({ id: ruleId, kind: 'service_error_rate', threshold: 5, windowMinutes: 10, service: 'checkout', environment: null }),
    ]);

    await row.locator('[data-testid="alert-delete"]').click();
    await row.locator('[data-testid="alert-delete-cancel"]').click();
    expect(await rules()).toHaveLength(1);
    await row.locator('[data-testid="alert-delete"]').click();
    await row.locator('[data-testid="alert-delete-confirm"]').click();
    await poll(() => page.locator('[data-testid="alert-row"]').count()).toBe(0);
    await page.waitForSelector('[data-testid="alert-rules"] [data-testid="state-empty"]');
    expect(await rules()).toEqual([]);
    await page.close();
    // the 400 of the invalid rule is logged by the browser; nothing else may be
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
  });
});
