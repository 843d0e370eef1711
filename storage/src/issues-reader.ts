import type { Database } from './database.ts';
import { mapHasKey } from './attributes.ts';
import { compare, countsScope, eventHas, eventTag, type Comparison } from './issue-filters.ts';
import { parseJson } from './events-reader.ts';
import { join, sql, typed, type Sql } from './sql.ts';
import { SPAN_ROWS, within, type TraceWindow } from './trace-window.ts';

export type IssueStatus = 'unresolved' | 'resolved' | 'ignored';

export interface IssueSummary {
  id: string;
  fingerprint: string;
  title: string;
  culprit: string;
  type: string;
  value: string;
  level: string;
  platform: string;
  status: IssueStatus;
  resolvedInRelease: string;
  ignoreUntilEvents: number;
  /** ISO time an ignore ends by; '' = no time limit. */
  ignoreUntil: string;
  ignoreUntilUsers: number;
  assignee: string;
  count: number;
  userCount: number;
  firstSeen: string;
  lastSeen: string;
  firstRelease: string;
  lastRelease: string;
  latestEventId: string;
}

export interface IssueQuery {
  projectId: number;
  status?: IssueStatus;
  /** Free text matched case-insensitively against title and culprit. */
  text?: string;
  release?: string;
  environment?: string;
  level?: string;
  /** Issues with at least one event carrying all of these tags (event tags, or release / environment / service / level). */
  tags?: Array<{ key: string; value: string }>;
  issueIds?: string[];
  sort: 'lastSeen' | 'firstSeen' | 'events' | 'users';
  limit: number;
  /** Only issues assigned to this name. */
  assignee?: string;
  /**
   * Issues after this one in the sort's order (its `issueSortKeys` and id): pages of one sort never overlap, also
   * while events arrive and move issues (ties are ordered by issue id).
   */
  after?: { keys: number[]; id: string };
  /** Issues with an event carrying each of these tags or fields (`has:`). */
  has?: string[];
  firstRelease?: string;
  timesSeen?: { op: Comparison; value: number };
  /** Bounds on first / last seen, Unix ms. */
  firstSeen?: { op: Comparison; ms: number };
  lastSeen?: { op: Comparison; ms: number };
  /**
   * Sentry's time range, Unix ms inclusive: only issues with events in it, and `count` / `userCount` are its own
   * (first and last seen stay the issue's).
   */
  period?: { startMs: number; endMs: number };
  /** Issues whose id starts with this (a short id's number, 8 hex digits). */
  idPrefix?: string;
}

export type { Comparison } from './issue-filters.ts';

// Times to the millisecond, as the list shows them (so a cursor holds exactly what the page's last issue says).
const LAST = sql`toUnixTimestamp64Milli(toDateTime64(lastSeenRaw, 3))`;
const FIRST = sql`toUnixTimestamp64Milli(toDateTime64(firstSeenRaw, 3))`;

/** Each sort's keys, all descending, then the issue id ascending (ties never split a page). */
const SORT_KEYS: Record<IssueQuery['sort'], Sql[]> = {
  lastSeen: [LAST],
  firstSeen: [FIRST],
  events: [sql`count`, LAST],
  users: [sql`userCount`, LAST],
};

/** How many keys an `after` cursor of this sort holds. */
export const issueSortKeyCount = (sort: IssueQuery['sort']): number => SORT_KEYS[sort].length;

/** The keys an `after` cursor holds for the issue it names, in SORT_KEYS order. */
export function issueSortKeys(issue: Pick<IssueSummary, 'count' | 'userCount' | 'firstSeen' | 'lastSeen'>, sort: IssueQuery['sort']): number[] {
  const last = Date.parse(issue.lastSeen);
  if (sort === 'firstSeen') return [Date.parse(issue.firstSeen)];
  if (sort === 'events') return [issue.count, last];
  if (sort === 'users') return [issue.userCount, last];
  return [last];
}

/** Issues after the cursor's in the sort's order: keys descending, then id ascending, as one tuple comparison. */
function afterCondition(q: IssueQuery): Sql {
  if (!q.after) return sql`1`;
  const keys = SORT_KEYS[q.sort];
  const mine = keys.map((k) => sql`-toInt64(${k})`);
  const theirs = q.after.keys.map((v) => sql`-toInt64(${typed(v, 'Int64')})`);
  return sql`(${join([...mine, sql`id`], ', ')}) > (${join([...theirs, sql`${q.after.id}`], ', ')})`;
}

/** Issues with their aggregates (from issue_stats, or scoped: see countsScope) and workflow state (from issue_status). */
export async function listIssues(db: Database, q: IssueQuery): Promise<IssueSummary[]> {
  const project = typed(q.projectId, 'UInt32');
  const scope = countsScope(db, q);
  const inner: Sql[] = [sql`ProjectId = ${project}`];
  if (q.issueIds) inner.push(sql`IssueId IN ${q.issueIds}`);
  const eventConditions = [...(q.tags ?? []).map(eventTag), ...(q.has ?? []).map(eventHas)];
  if (eventConditions.length) {
    inner.push(sql`IssueId IN (SELECT IssueId FROM ${db.table('error_events')} WHERE ProjectId = ${project} AND ${join(eventConditions, ' AND ')})`);
  }
  if (q.idPrefix) inner.push(sql`startsWith(IssueId, ${q.idPrefix})`);
  const outer: Sql[] = [sql`1`];
  if (q.status) outer.push(sql`status = ${q.status}`);
  if (q.text) outer.push(sql`(positionCaseInsensitiveUTF8(title, ${q.text}) > 0 OR positionCaseInsensitiveUTF8(culprit, ${q.text}) > 0)`);
  if (q.level) outer.push(sql`level = ${q.level}`);
  if (q.firstRelease) outer.push(sql`firstRelease = ${q.firstRelease}`);
  if (q.timesSeen) outer.push(compare(sql`count`, q.timesSeen.op, typed(q.timesSeen.value, 'UInt64')));
  const ms = (v: number) => typed(v / 1000, 'Float64');
  if (q.firstSeen) outer.push(compare(sql`toUnixTimestamp64Milli(firstSeenRaw) / 1000`, q.firstSeen.op, ms(q.firstSeen.ms)));
  if (q.lastSeen) outer.push(compare(sql`toUnixTimestamp64Milli(lastSeenRaw) / 1000`, q.lastSeen.op, ms(q.lastSeen.ms)));
  if (q.assignee) outer.push(sql`assignee = ${q.assignee}`);
  outer.push(afterCondition(q));
  const rows = await db.query<IssueSummary & { firstSeenRaw?: string; lastSeenRaw?: string }>(
    sql`
    SELECT s.IssueId AS id, fingerprint, title, culprit, type, value, level, platform,
      -- An ignore whose time has passed is over even before the next event records it.
      multiIf(st.Status IS NULL, 'unresolved', st.Status = 'ignored' AND st.IgnoreUntil > 0 AND st.IgnoreUntil <= now64(3), 'unresolved',
        toString(st.Status)) AS status,
      ifNull(st.ResolvedInRelease, '') AS resolvedInRelease,
      if(status = 'ignored', ifNull(st.IgnoreUntilEvents, 0), 0) AS ignoreUntilEvents,
      if(status = 'ignored' AND st.IgnoreUntil > 0, formatDateTime(assumeNotNull(st.IgnoreUntil), '%Y-%m-%dT%H:%i:%S.%fZ'), '') AS ignoreUntil,
      if(status = 'ignored', ifNull(st.IgnoreUntilUsers, 0), 0) AS ignoreUntilUsers,
      ifNull(st.Assignee, '') AS assignee,
      ${scope.columns},
      formatDateTime(toDateTime64(firstSeenRaw, 3), '%Y-%m-%dT%H:%i:%S.%fZ') AS firstSeen,
      formatDateTime(toDateTime64(lastSeenRaw, 3), '%Y-%m-%dT%H:%i:%S.%fZ') AS lastSeen,
      firstRelease, lastRelease, latestEventId
    FROM (
      SELECT IssueId, any(Fingerprint) AS fingerprint, min(FirstSeen) AS allFirstSeen, max(LastSeen) AS allLastSeen,
        toUInt64(sum(Events)) AS allCount, toUInt64(uniqMerge(Users)) AS allUsers,
        argMaxMerge(Title) AS title, argMaxMerge(Culprit) AS culprit, argMaxMerge(ExceptionType) AS type,
        argMaxMerge(ExceptionValue) AS value, argMaxMerge(Level) AS level, argMaxMerge(Platform) AS platform,
        argMinMerge(FirstRelease) AS firstRelease, argMaxMerge(LastRelease) AS lastRelease,
        argMaxMerge(LatestEventId) AS latestEventId
      FROM ${db.table('issue_stats')}
      WHERE ${join(inner, ' AND ')}
      GROUP BY IssueId
    ) AS s
    ${scope.join}
    LEFT JOIN (
      SELECT IssueId, Status, ResolvedInRelease, IgnoreUntilEvents, IgnoreUntil, IgnoreUntilUsers, Assignee
      FROM ${db.table('issue_status')} FINAL WHERE ProjectId = ${project}
    ) AS st ON st.IssueId = s.IssueId
    WHERE ${join(outer, ' AND ')}
    ORDER BY ${join(SORT_KEYS[q.sort].map((k) => sql`${k} DESC`), ', ')}, id
    LIMIT ${typed(q.limit, 'UInt32')}`,
    { join_use_nulls: 1 },
  );
  // The raw times are selected for sorting and filtering only.
  return rows.map(({ firstSeenRaw: _f, lastSeenRaw: _l, ...issue }) => issue);
}

export async function getIssue(db: Database, projectId: number, issueId: string): Promise<IssueSummary | null> {
  const rows = await listIssues(db, { projectId, issueIds: [issueId], sort: 'lastSeen', limit: 1 });
  return rows[0] ?? null;
}

/**
 * Error events of one trace, for the trace view's `errors`: only in the days around the trace's window (the bloom
 * filter on `TraceId` does the rest; `error_events` is sorted by issue).
 */
export interface TraceError {
  eventId: string;
  issueId: string;
  spanId: string;
  /** The event's title (`Type: value` or its message) and level, so a trace view can name the error. */
  title: string;
  level: string;
}

/** A trace's error events inside `window`, their extent from trace_index (`traceExtent(…).errors`). */
export async function errorsForTrace(db: Database, projectId: number, traceId: string, window: TraceWindow): Promise<TraceError[]> {
  return db.query(sql`
    SELECT DISTINCT EventId AS eventId, IssueId AS issueId, SpanId AS spanId, Title AS title, toString(Level) AS level
    FROM ${db.table('error_events')}
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND TraceId = ${traceId} AND ${within(window)}
    ORDER BY eventId`);
}

/**
 * Breadcrumbs a browser recorded before calling the backend in this trace (the sdk-bridge puts them on its
 * request spans as `faultline.breadcrumbs`), so a backend error shows what the user did on the page.
 */
export async function traceBreadcrumbs(db: Database, projectId: number, traceId: string, beforeIso: string): Promise<unknown[]> {
  const project = typed(projectId, 'UInt32');
  // The trace's first span start, looked up once for both bounds (the hour leads the spans' key).
  const rows = await db.query<{ crumbs: string }>(sql`
    WITH (SELECT min(Start) FROM ${db.table('trace_index')} WHERE ProjectId = ${project} AND TraceId = ${traceId} AND ${SPAN_ROWS}) AS first
    SELECT SpanAttributes['faultline.breadcrumbs'] AS crumbs
    FROM ${db.table('spans')}
    WHERE ProjectId = ${project} AND TraceId = ${traceId}
      AND toStartOfHour(Timestamp) >= toStartOfHour(first) AND Timestamp >= first
      AND Timestamp <= parseDateTime64BestEffort(${beforeIso}, 9)
      AND ${mapHasKey(sql`SpanAttributes`, 'faultline.breadcrumbs')}
    ORDER BY Timestamp
    LIMIT 20`);
  const out: unknown[] = [];
  for (const r of rows) out.push(...parseJson<unknown[]>(r.crumbs, []));
  return out;
}
