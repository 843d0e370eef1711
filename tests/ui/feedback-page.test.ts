import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from '../browser.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

let fl: Faultline;
let browser: Browser;
let issueId = '';
const EVENT_ID = 'e'.repeat(32);
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

const envelope = (items: Array<{ type: string; payload: unknown }>) =>
  `{}\n${items.map((i) => `{"type":"${i.type}"}\n${JSON.stringify(i.payload)}`).join('\n')}\n`;

beforeAll(async () => {
  [fl, browser] = await Promise.all([startFaultline(), launchBrowser()]);
  const now = Date.now() / 1000;
  const body = envelope([
    {
      type: 'event',
      payload: {
        event_id: EVENT_ID,
        timestamp: now - 60,
        release: 'web@1.2.0',
        exception: { values: [{ type: 'TypeError', value: 'total is NaN' }] },
      },
    },
    // A crash report carries no time: it is stamped on arrival, so it is the newest entry.
    { type: 'user_report', payload: { event_id: EVENT_ID, name: 'Jane', email: 'jane@example.com', comments: 'The total shows NaN' } },
    {
      type: 'feedback',
      payload: {
        timestamp: now - 30,
        contexts: { feedback: { message: `Dark mode please ${HOSTILE}`, name: 'Bo', url: 'https://shop.example.com/settings' } },
      },
    },
  ]);
  const res = await fetch(`${fl.otlpHttp}/api/1/envelope/?sentry_key=${fl.key}`, { method: 'POST', body });
  expect(res.status).toBe(200);
  issueId = await eventually(async () => {
    const event = await fl.get(`/api/v1/projects/default/events/${EVENT_ID}`);
    const list = (await fl.get('/api/v1/projects/default/feedback')).body as { feedback: unknown[] };
    return event.status === 200 && list.feedback.length === 2 ? (event.body as { issueId: string }).issueId : null;
  });
});
afterAll(async () => {
  await browser?.close();
  await fl?.stop();
});

describe('user feedback in the UI', () => {
  test('the feedback page lists entries as text, filters them, and links an error report to its issue at that event', async () => {
    const problems: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${fl.api}/projects/default/feedback?token=${fl.token}`);
    await page.waitForSelector('[data-testid="feedback-item"]');
    expect(await page.locator('[data-testid="feedback-message"]').allTextContents()).toEqual([
      'The total shows NaN',
      `Dark mode please ${HOSTILE}`,
    ]);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('[data-testid="feedback-list"] img').count()).toBe(0);
    expect(await page.locator('[data-testid="feedback-author"]').allTextContents()).toEqual(['Jane <jane@example.com>', 'Bo']);
    expect(await page.locator('[data-testid="nav-feedback"][aria-current="page"]').count()).toBe(1);

    await page.fill('[data-testid="feedback-filter"]', 'nan');
    await expect.poll(() => page.locator('[data-testid="feedback-item"]').count()).toBe(1);
    await page.click('[data-testid="feedback-event-link"]');
    await page.waitForURL(new RegExp(`/issues/${issueId}\\?event=${EVENT_ID}`));
    await page.waitForSelector('[data-testid="issue-feedback"] [data-testid="feedback-item"]');
    expect(await page.locator('[data-testid="issue-feedback"] [data-testid="feedback-message"]').allTextContents()).toEqual([
      'The total shows NaN',
    ]);
    expect(await page.locator('[data-testid="issue-feedback"] h2').textContent()).toBe('User feedback (1)');
    expect(problems).toEqual([]);
    await page.close();
  });
});
