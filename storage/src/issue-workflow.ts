import type { Database } from './database.ts';
import type { IssueStatus } from './issues-reader.ts';
import { sql, typed } from './sql.ts';
import { millisToDateTime64, nextVersion } from './time.ts';

/**
 * "Resolved in the next release" is stored as `next:<release>` in the resolution's release: events of that release or
 * older stay resolved, any newer release regresses.
 */
export const NEXT_RELEASE_PREFIX = 'next:';

/** A stored resolution release read back: the release, and whether only newer ones regress. */
export function parseResolution(stored: string): { release: string; next: boolean } {
  return stored.startsWith(NEXT_RELEASE_PREFIX) ? { release: stored.slice(NEXT_RELEASE_PREFIX.length), next: true } : { release: stored, next: false };
}

export interface IssueState {
  status: IssueStatus;
  resolvedInRelease: string;
  ignoreUntilEvents: number;
  /** Epoch ms when an ignore ends by time; 0 = no time limit. */
  ignoreUntilMs: number;
  ignoreUntilUsers: number;
  assignee: string;
  changedAtMs: number;
  version: string;
}

export interface StatusChange {
  status: IssueStatus;
  resolvedInRelease?: string;
  ignoreUntilEvents?: number;
  ignoreUntilMs?: number;
  ignoreUntilUsers?: number;
  assignee?: string;
}

export interface ActivityRow {
  issueId: string;
  /** Deterministic where several writers may record the same fact (they collapse into one row). */
  activityId: string;
  kind: 'first_seen' | 'regression' | 'status_change' | 'unignored' | 'assigned' | 'note';
  timestampMs: number;
  actor: string;
  data: Record<string, unknown>;
}

export async function issueStates(db: Database, projectId: number, issueIds: readonly string[]): Promise<Map<string, IssueState>> {
  if (issueIds.length === 0) return new Map();
  const rows = await db.query<IssueState & { issueId: string }>(sql`
    SELECT IssueId AS issueId, toString(Status) AS status, ResolvedInRelease AS resolvedInRelease,
      IgnoreUntilEvents AS ignoreUntilEvents, toUnixTimestamp64Milli(IgnoreUntil) AS ignoreUntilMs,
      IgnoreUntilUsers AS ignoreUntilUsers, Assignee AS assignee, toUnixTimestamp64Milli(ChangedAt) AS changedAtMs,
      toString(Version) AS version
    FROM ${db.table('issue_status')} FINAL
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND IssueId IN ${[...issueIds]}`);
  return new Map(rows.map(({ issueId, ...state }) => [issueId, state]));
}

export interface IssueCounter {
  /** Nanoseconds, decimal. */
  firstSeenNs: string;
  events: number;
  users: number;
}

/** First-seen time, event and user counts per issue, from the aggregates. */
export async function issueCounters(db: Database, projectId: number, issueIds: readonly string[]): Promise<Map<string, IssueCounter>> {
  if (issueIds.length === 0) return new Map();
  const rows = await db.query<IssueCounter & { issueId: string }>(sql`
    SELECT IssueId AS issueId, toString(toUnixTimestamp64Nano(min(FirstSeen))) AS firstSeenNs, toUInt64(sum(Events)) AS events,
      toUInt64(uniqMerge(Users)) AS users
    FROM ${db.table('issue_stats')}
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND IssueId IN ${[...issueIds]}
    GROUP BY IssueId`);
  return new Map(rows.map(({ issueId, ...counter }) => [issueId, counter]));
}

export async function insertActivity(db: Database, projectId: number, rows: readonly ActivityRow[]): Promise<void> {
  await db.insert(
    'issue_activity',
    rows.map((r) => ({
      ProjectId: projectId,
      IssueId: r.issueId,
      ActivityId: r.activityId,
      Kind: r.kind,
      Timestamp: millisToDateTime64(r.timestampMs),
      Actor: r.actor,
      Data: JSON.stringify(r.data),
    })),
  );
}

/**
 * A change that keeps the stored state but the assignee (an issue never changed reads as unresolved, unassigned).
 * The ignore limits and the resolving release stay as they were.
 */
export function assigneeChange(current: IssueState | undefined, assignee: string): StatusChange {
  if (!current) return { status: 'unresolved', assignee };
  const { status, resolvedInRelease, ignoreUntilEvents, ignoreUntilMs, ignoreUntilUsers } = current;
  return { status, resolvedInRelease, ignoreUntilEvents, ignoreUntilMs, ignoreUntilUsers, assignee };
}

/** Records a new workflow state and its activity row; returns the state written. */
export async function setIssueStatus(
  db: Database,
  projectId: number,
  issueId: string,
  change: StatusChange,
  actor: string,
  activity?: Pick<ActivityRow, 'kind' | 'activityId' | 'data'>,
): Promise<IssueState> {
  const now = Date.now();
  const version = nextVersion();
  const state: IssueState = {
    status: change.status,
    resolvedInRelease: change.status === 'resolved' ? (change.resolvedInRelease ?? '') : '',
    ignoreUntilEvents: change.status === 'ignored' ? (change.ignoreUntilEvents ?? 0) : 0,
    ignoreUntilMs: change.status === 'ignored' ? (change.ignoreUntilMs ?? 0) : 0,
    ignoreUntilUsers: change.status === 'ignored' ? (change.ignoreUntilUsers ?? 0) : 0,
    assignee: change.assignee ?? '',
    changedAtMs: now,
    version,
  };
  await db.insert('issue_status', [
    {
      ProjectId: projectId,
      IssueId: issueId,
      Status: state.status,
      ResolvedInRelease: state.resolvedInRelease,
      IgnoreUntilEvents: state.ignoreUntilEvents,
      // 0 = no time limit (millisToDateTime64 clamps to 1973: ClickHouse reads short numbers as dates).
      IgnoreUntil: state.ignoreUntilMs > 0 ? millisToDateTime64(state.ignoreUntilMs) : '1970-01-01 00:00:00.000',
      IgnoreUntilUsers: state.ignoreUntilUsers,
      Assignee: state.assignee,
      ChangedBy: actor,
      ChangedAt: millisToDateTime64(now),
      Version: version,
    },
  ]);
  const recorded = activity ?? { kind: 'status_change', activityId: `status_change:${version}`, data: { ...change } };
  await insertActivity(db, projectId, [{ issueId, timestampMs: now, actor, ...recorded }]);
  return state;
}

export interface ActivityOut {
  id: string;
  kind: string;
  timestamp: string;
  actor: string;
  data: Record<string, unknown>;
}

export class InvalidActivityCursorError extends Error {}

/** One page of an issue's activity, newest first; `nextCursor` pages on to older entries. */
export interface ActivityPage {
  activity: ActivityOut[];
  nextCursor: string | null;
}

/**
 * An issue's activity, newest first, `limit` entries at a time. Status changes, regressions and notes have no upper
 * bound over an issue's life, so nothing reads them all at once. Ordered by (time, activity id), the cursor is the
 * last pair (`<ms>.<activity id>`): entries of one millisecond page exactly once.
 */
export async function activityPage(db: Database, projectId: number, issueId: string, limit: number, cursor?: string): Promise<ActivityPage> {
  let before = sql`1`;
  if (cursor !== undefined) {
    // The id is whatever follows the first dot: ids may hold dots and colons, the milliseconds never do.
    const m = /^(\d{1,15})\.([^\s]{1,300})$/.exec(cursor);
    if (!m?.[1] || !m[2]) throw new InvalidActivityCursorError('cursor is not one this API returned');
    before = sql`(Timestamp, ActivityId) < (fromUnixTimestamp64Milli(${typed(m[1], 'Int64')}, 'UTC'), ${m[2]})`;
  }
  const rows = await db.query<{ id: string; kind: string; timestamp: string; ms: string; actor: string; data: string }>(sql`
    SELECT ActivityId AS id, toString(Kind) AS kind, formatDateTime(Timestamp, '%Y-%m-%dT%H:%i:%S.%fZ') AS timestamp,
      toString(toUnixTimestamp64Milli(Timestamp)) AS ms, Actor AS actor, Data AS data
    FROM ${db.table('issue_activity')} FINAL
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND IssueId = ${issueId} AND ${before}
    ORDER BY Timestamp DESC, ActivityId DESC LIMIT ${typed(limit + 1, 'UInt32')}`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    activity: page.map(({ ms: _ms, ...r }) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> })),
    nextCursor: rows.length > limit && last ? `${last.ms}.${last.id}` : null,
  };
}

/** How many activity entries an issue has (of one kind, e.g. `note`, when given). */
export async function countActivity(db: Database, projectId: number, issueId: string, kind?: ActivityRow['kind']): Promise<number> {
  const ofKind = kind === undefined ? sql`1` : sql`Kind = ${kind}`;
  const [row] = await db.query<{ n: number }>(sql`
    SELECT toUInt32(count()) AS n FROM ${db.table('issue_activity')} FINAL
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND IssueId = ${issueId} AND ${ofKind}`);
  return Number(row?.n ?? 0);
}

/** First-seen time of releases (the order used when versions are not semver). */
export async function releaseFirstSeen(db: Database, projectId: number, versions: readonly string[]): Promise<Map<string, number>> {
  if (versions.length === 0) return new Map();
  const rows = await db.query<{ version: string; firstSeenMs: number }>(sql`
    SELECT Version AS version, toUnixTimestamp64Milli(min(FirstSeen)) AS firstSeenMs FROM ${db.rollup('releases')}
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND Version IN ${[...versions]}
    GROUP BY Version`);
  return new Map(rows.map((r) => [r.version, r.firstSeenMs]));
}
