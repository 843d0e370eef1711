import { describe, expect, test } from 'vitest';
import { eventually } from '../harness.ts';
import { issuePages } from './issue-fixtures.ts';

const XSS = '<img src=x onerror="window.__xss=1">';
const ctx = issuePages(XSS);
const { open } = ctx;

/** expect.poll with room for a loaded machine (the default gives up after one second). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

describe('issue page activity', () => {
  test('a note joins the activity as text, signed by the token, newest first', async () => {
    const db = ctx.seeded.db;
    const page = await open(`/projects/default/issues/${db.id}`);
    await page.waitForSelector('[data-testid="issue-note-form"]');
    expect(await page.locator('[data-testid="issue-note-submit"]').isDisabled()).toBe(true);
    await page.fill('[data-testid="issue-note-input"]', `Rolled back; ${XSS}`);
    await page.click('[data-testid="issue-note-submit"]');
    const first = page.locator('[data-testid="issue-activity-item"]').first();
    await poll(() => first.getAttribute('data-kind')).toBe('note');
    expect(await first.locator('[data-testid="issue-note-text"]').textContent()).toBe(`Rolled back; ${XSS}`);
    expect(await first.textContent()).toContain('bootstrap admin');
    expect(await page.locator('[data-testid="issue-activity"] img').count()).toBe(0);
    expect(await page.inputValue('[data-testid="issue-note-input"]')).toBe('');
    // all of a short activity is shown: nothing to load
    expect(await page.locator('[data-testid="issue-activity-more"]').count()).toBe(0);
    await page.close();
  });

  test('a long activity shows its newest 100 entries and says so; "Load older" brings the rest, a new note keeps them', async () => {
    const cart = ctx.seeded.cart;
    const NOTES = 104;
    const comment = (text: string) =>
      fetch(`${ctx.fl.api}/api/v1/projects/default/issues/${cart.id}/comments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.fl.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
    for (let i = 0; i < NOTES; i += 8) {
      const batch = Array.from({ length: Math.min(8, NOTES - i) }, (_, k) => comment(`note ${i + k}`));
      for (const res of await Promise.all(batch)) expect(res.status).toBe(201);
    }
    // the notes and the issue's first_seen (written by the tracker after the event)
    const total = NOTES + 1;
    await eventually(async () => (((await ctx.fl.get(`/api/v1/projects/default/issues/${cart.id}`)).body as { activityTotal: number }).activityTotal === total ? true : null));

    const page = await open(`/projects/default/issues/${cart.id}`);
    const items = page.locator('[data-testid="issue-activity-item"]');
    await page.waitForSelector('[data-testid="issue-activity-more"]');
    expect(await items.count()).toBe(100);
    expect(await page.locator('[data-testid="issue-activity-shown"]').textContent()).toBe(`Latest 100 of ${total}`);
    expect(await items.last().getAttribute('data-kind')).toBe('note');

    await page.click('[data-testid="issue-activity-older"]');
    await poll(() => items.count()).toBe(total);
    expect(await page.locator('[data-testid="issue-activity-more"]').count()).toBe(0);
    expect(await items.last().getAttribute('data-kind')).toBe('first_seen');

    // a note reloads the issue's newest entries; the older ones loaded stay below them
    await page.fill('[data-testid="issue-note-input"]', 'one more');
    await page.click('[data-testid="issue-note-submit"]');
    await poll(() => items.first().locator('[data-testid="issue-note-text"]').textContent()).toBe('one more');
    expect(await items.count()).toBe(total + 1);
    expect(await items.last().getAttribute('data-kind')).toBe('first_seen');
    expect(await page.locator('[data-testid="issue-activity-more"]').count()).toBe(0);
    await page.close();
  });
});
