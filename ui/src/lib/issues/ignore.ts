// How long an ignore lasts: the choices the issue page offers and the badge text for an ignored issue.
import type { ApiIssue } from '../api/types.ts';
import { formatLocalMs, parseIsoMs } from '../format/time.ts';

/** "Ignore for …" choices, in minutes. */
export const IGNORE_DURATIONS: ReadonlyArray<{ label: string; minutes: number }> = [
  { label: '30 minutes', minutes: 30 },
  { label: '2 hours', minutes: 120 },
  { label: '24 hours', minutes: 1440 },
  { label: '7 days', minutes: 10080 },
];

/** "until 14:30 or 50 users" for an ignored issue; '' when the ignore has no limit. */
export function ignoreDetail(issue: Pick<ApiIssue, 'ignoreUntilEvents' | 'ignoreUntil' | 'ignoreUntilUsers'>, nowMs = Date.now()): string {
  const limits: string[] = [];
  const untilMs = parseIsoMs(issue.ignoreUntil);
  if (Number.isFinite(untilMs)) {
    // "YYYY-MM-DD HH:MM": today's end time reads as the clock time alone.
    const local = formatLocalMs(untilMs).slice(0, 16);
    limits.push(local.slice(0, 10) === formatLocalMs(nowMs).slice(0, 10) ? local.slice(11) : local);
  }
  if (issue.ignoreUntilEvents > 0) limits.push(`${issue.ignoreUntilEvents} events`);
  if (issue.ignoreUntilUsers > 0) limits.push(`${issue.ignoreUntilUsers} users`);
  return limits.length ? `until ${limits.join(' or ')}` : '';
}
