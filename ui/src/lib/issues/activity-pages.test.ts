import { describe, expect, test } from 'vitest';
import type { ApiActivity, ApiIssueDetail } from '../api/types.ts';
import { activityOf, refreshed, withOlder } from './activity-pages.ts';

const entry = (n: number): ApiActivity => ({ id: `note:${n}`, kind: 'note', timestamp: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(), actor: 'token:1', actorName: '', data: { text: String(n) } });
/** The issue as the API answers it: the newest `limit` of entries 1…total, oldest of them first. */
const issue = (total: number, limit: number): ApiIssueDetail =>
  ({
    activity: Array.from({ length: Math.min(total, limit) }, (_, i) => entry(total - Math.min(total, limit) + 1 + i)),
    activityTotal: total,
    activityNextCursor: total > limit ? `c${total - limit}` : null,
  }) as ApiIssueDetail;
const ids = (items: ApiActivity[]) => items.map((a) => Number(a.id.slice(5)));

describe('issue activity pages', () => {
  test('the issue brings its newest entries, newest first; older pages append once each', () => {
    const view = activityOf(issue(7, 3));
    expect(ids(view.items)).toEqual([7, 6, 5]);
    expect(view).toMatchObject({ total: 7, nextCursor: 'c4' });
    const more = withOlder(view, { activity: [5, 4, 3].map(entry), total: 7, nextCursor: 'c2' });
    expect(ids(more.items)).toEqual([7, 6, 5, 4, 3]);
    expect(more.nextCursor).toBe('c2');
  });

  test('a reload keeps the older pages when the new newest entries reach them, else starts over without a gap', () => {
    const shown = withOlder(activityOf(issue(7, 3)), { activity: [4, 3].map(entry), total: 7, nextCursor: 'c2' });
    // one note more: 8, 7, 6 overlap what is shown
    const after = refreshed(shown, issue(8, 3));
    expect(ids(after.items)).toEqual([8, 7, 6, 5, 4, 3]);
    expect(after).toMatchObject({ total: 8, nextCursor: 'c2' });
    // many more (12, 11, 10): nothing in common, so the list restarts from the fresh answer and its cursor
    const far = refreshed(shown, issue(12, 3));
    expect(ids(far.items)).toEqual([12, 11, 10]);
    expect(far.nextCursor).toBe('c9');
    // all of it fits: the fresh answer alone
    expect(ids(refreshed(shown, issue(3, 100)).items)).toEqual([3, 2, 1]);
    expect(refreshed(null, issue(8, 3)).nextCursor).toBe('c5');
  });
});
