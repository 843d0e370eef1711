// How long an ignore lasts: the choices the issue page offers and the text naming an ignore's limits.
import type { ApiIssue } from '../api/types.ts';
import { formatLocalMs, parseIsoMs } from '../format/time.ts';

/** "Ignore for …" choices, in minutes. */
export const IGNORE_DURATIONS: ReadonlyArray<{ label: string; minutes: number }> = [
  { label: '30 minutes', minutes: 30 },
  { label: '2 hours', minutes: 120 },
  { label: '24 hours', minutes: 1440 },
  { label: '7 days', minutes: 10080 },
];

/** "until 14:30 or 50 events or 5 users"; '' when there is no limit (0 or NaN = none). */
export function ignoreLimits(limits: { untilMs: number; events: number; users: number }, nowMs = Date.now()): string {
  const parts: string[] = [];
  if (Number.isFinite(limits.untilMs) && limits.untilMs > 0) {
    // "YYYY-MM-DD HH:MM": an end time today reads as the clock time alone.
    const local = formatLocalMs(limits.untilMs).slice(0, 16);
    parts.push(local.slice(0, 10) === formatLocalMs(nowMs).slice(0, 10) ? local.slice(11) : local);
  }
  if (limits.events > 0) parts.push(`${limits.events} events`);
  if (limits.users > 0) parts.push(`${limits.users} users`);
  return parts.length ? `until ${parts.join(' or ')}` : '';
}

/** The limits of an ignored issue, for its status badge. */
export function ignoreDetail(issue: Pick<ApiIssue, 'ignoreUntilEvents' | 'ignoreUntil' | 'ignoreUntilUsers'>, nowMs = Date.now()): string {
  return ignoreLimits({ untilMs: parseIsoMs(issue.ignoreUntil), events: issue.ignoreUntilEvents, users: issue.ignoreUntilUsers }, nowMs);
}
