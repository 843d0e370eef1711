// The issue page's activity: the newest entries come with the issue, older pages are loaded on request. Pure.
import type { ApiActivity, ApiActivityPage, ApiIssueDetail } from '../api/types.ts';

export interface ActivityView {
  /** Newest first, each entry once. */
  items: ApiActivity[];
  /** Entries the issue has in all. */
  total: number;
  /** Where the older entries go on; null when `items` reaches the oldest. */
  nextCursor: string | null;
}

function unique(entries: ApiActivity[]): ApiActivity[] {
  const seen = new Set<string>();
  return entries.filter((a) => !seen.has(a.id) && seen.add(a.id));
}

/** What the issue's own answer holds (its activity is oldest first). */
export function activityOf(issue: ApiIssueDetail): ActivityView {
  return { items: [...issue.activity].reverse(), total: Math.max(issue.activityTotal, issue.activity.length), nextCursor: issue.activityNextCursor };
}

/** An older page appended. */
export function withOlder(view: ActivityView, page: ApiActivityPage): ActivityView {
  return { items: unique([...view.items, ...page.activity]), total: page.total, nextCursor: page.nextCursor };
}

/**
 * The issue loaded again (after a note or a status change) over what was shown: the older pages already loaded stay
 * when the fresh newest entries reach into them (no entry can be missing between the two); otherwise the fresh
 * answer alone, with its cursor, so "load older" carries on without a gap.
 */
export function refreshed(view: ActivityView | null, issue: ApiIssueDetail): ActivityView {
  const fresh = activityOf(issue);
  if (!view || fresh.nextCursor === null) return fresh;
  const shown = new Set(view.items.map((a) => a.id));
  if (!fresh.items.some((a) => shown.has(a.id))) return fresh;
  return { items: unique([...fresh.items, ...view.items]), total: fresh.total, nextCursor: view.nextCursor };
}
