// Issues and error events of /api/v1 (same client, same 401 → sign-in behaviour as client.ts).
import { getJson, send } from './client.ts';
import type { ApiActivityPage, ApiEvent, ApiIssue, ApiIssueDetail, IssueUpdate } from './types.ts';
import { normalizeEvent, normalizeIssue } from '../issues/normalize.ts';
import { normalizeTags, type TagFacet } from '../issues/tags.ts';
import { normalizeVolume, volumeBuckets, volumeQuery, type VolumeBucket, type VolumePeriod } from '../issues/volume.ts';

const seg = encodeURIComponent;
const base = (project: string): string => `/projects/${seg(project)}`;

export async function listIssues(project: string, query: URLSearchParams, signal?: AbortSignal): Promise<ApiIssue[]> {
  return (await listIssuePage(project, query, null, signal)).issues;
}

/** One page of issues and the cursor of the next (null after the last). */
export async function listIssuePage(project: string, query: URLSearchParams, cursor: string | null, signal?: AbortSignal): Promise<{ issues: ApiIssue[]; nextCursor: string | null }> {
  const q = new URLSearchParams(query);
  if (cursor) q.set('cursor', cursor);
  const body = await getJson<{ issues?: unknown[]; nextCursor?: unknown }>(`${base(project)}/issues?${q.toString()}`, signal);
  return { issues: (Array.isArray(body.issues) ? body.issues : []).map(normalizeIssue), nextCursor: typeof body.nextCursor === 'string' && body.nextCursor !== '' ? body.nextCursor : null };
}

const cursorOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The issue with its newest `activityLimit` activity entries (the API's default, 100, when not given). */
export async function getIssue(project: string, issueId: string, signal?: AbortSignal, activityLimit?: number): Promise<ApiIssueDetail> {
  const q = activityLimit ? `?activityLimit=${activityLimit}` : '';
  const body = await getJson<Record<string, unknown>>(`${base(project)}/issues/${seg(issueId)}${q}`, signal);
  const activity = Array.isArray(body.activity) ? (body.activity as ApiIssueDetail['activity']) : [];
  return {
    ...normalizeIssue(body),
    latestEvent: body.latestEvent ? normalizeEvent(body.latestEvent) : null,
    activity,
    activityTotal: typeof body.activityTotal === 'number' ? body.activityTotal : activity.length,
    activityNextCursor: cursorOf(body.activityNextCursor),
  };
}

/** Older activity of an issue, newest first, from a cursor the issue (or the previous page) gave. */
export async function listIssueActivity(project: string, issueId: string, cursor: string, limit: number, signal?: AbortSignal): Promise<ApiActivityPage> {
  const q = new URLSearchParams({ cursor, limit: String(limit) });
  const body = await getJson<Record<string, unknown>>(`${base(project)}/issues/${seg(issueId)}/activity?${q.toString()}`, signal);
  const activity = Array.isArray(body.activity) ? (body.activity as ApiActivityPage['activity']) : [];
  return { activity, total: typeof body.total === 'number' ? body.total : activity.length, nextCursor: cursorOf(body.nextCursor) };
}

/** PATCH the workflow state; resolves to the updated issue (403 for read-only tokens). */
export async function updateIssue(project: string, issueId: string, update: IssueUpdate): Promise<ApiIssue> {
  const res = await send(`${base(project)}/issues/${seg(issueId)}`, {
    method: 'PATCH',
    body: update,
  });
  return normalizeIssue(await res.json());
}

/** Adds a note to the issue's activity (403 for read-only tokens, 400 for an empty or too long text). */
export async function addIssueNote(project: string, issueId: string, text: string): Promise<void> {
  await send(`${base(project)}/issues/${seg(issueId)}/comments`, { method: 'POST', body: { text } });
}

/** Events of one issue, newest first. */
export async function listIssueEvents(project: string, issueId: string, limit: number, signal?: AbortSignal): Promise<ApiEvent[]> {
  const body = await getJson<{ events?: unknown[] }>(`${base(project)}/issues/${seg(issueId)}/events?limit=${limit}`, signal);
  return (Array.isArray(body.events) ? body.events : []).map(normalizeEvent);
}

export async function getEvent(project: string, eventId: string, signal?: AbortSignal): Promise<ApiEvent> {
  return normalizeEvent(await getJson<unknown>(`${base(project)}/events/${seg(eventId)}`, signal));
}

/** Event counts of one issue over `period` ending at `now`: every bucket, zero when empty. */
export async function getIssueVolume(project: string, issueId: string, period: VolumePeriod, now: number, signal?: AbortSignal): Promise<VolumeBucket[]> {
  const body = await getJson<unknown>(`${base(project)}/issues/${seg(issueId)}/stats?${volumeQuery(period, now)}`, signal);
  return volumeBuckets(period, normalizeVolume(body), now);
}

/** Top `limit` values per tag key of one issue's events. */
export async function getIssueTags(project: string, issueId: string, limit: number, signal?: AbortSignal): Promise<TagFacet[]> {
  return normalizeTags(await getJson<unknown>(`${base(project)}/issues/${seg(issueId)}/tags?limit=${limit}`, signal));
}
