import type { Database } from './database.ts';
import { sql, typed, type Sql } from './sql.ts';

export interface ReleaseRow {
  version: string;
  firstSeen: string;
  lastSeen: string;
}

export interface ReleaseStats {
  errorEvents: number;
  affectedUsers: number;
  newIssues: number;
  regressedIssues: number;
  spanCalls: number;
  spanErrors: number;
  /** Span errors / span calls of the release (null without spans). */
  errorRate: number | null;
  sessions: number;
  /** Sessions that crashed, ended abnormally or saw an unhandled error (the latter also in unhandledSessions). */
  crashedSessions: number;
  unhandledSessions: number;
  crashFreeSessions: number | null;
  sessionUsers: number;
  crashedUsers: number;
  /**
   * From sessions when there are any (null when none of them names a user); without sessions, users seen in spans
   * vs users with error events.
   */
  crashFreeUsers: number | null;
  /** Share of the project's calls in the last 24 h that carried this release. */
  adoption: number | null;
  /** p95 duration of the release's entry spans (SERVER and CONSUMER), ns; null without any. */
  p95DurationNano: number | null;
  topOperations: Array<{ service: string; name: string; calls: number; p95DurationNano: number }>;
}

export async function listReleaseRows(db: Database, projectId: number): Promise<ReleaseRow[]> {
  return db.query<ReleaseRow>(sql`
    SELECT Version AS version,
      formatDateTime(min(FirstSeen), '%Y-%m-%dT%H:%i:%S.%fZ') AS firstSeen, formatDateTime(max(LastSeen), '%Y-%m-%dT%H:%i:%S.%fZ') AS lastSeen
    FROM ${db.rollup('releases')} WHERE ProjectId = ${typed(projectId, 'UInt32')} AND Version != ''
    GROUP BY Version`);
}

/**
 * The services that carried each release in their spans (`service.version`), from the hourly RED rollup: which
 * releases belong to one line of versions (see `previousInLine`).
 */
export async function releaseServices(db: Database, projectId: number): Promise<Map<string, string[]>> {
  const rows = await db.query<{ version: string; services: string[] }>(sql`
    SELECT toString(Release) AS version, arraySort(groupUniqArray(toString(ServiceName))) AS services
    FROM ${db.rollup('span_metrics_1h')} WHERE ProjectId = ${typed(projectId, 'UInt32')} AND Release != ''
    GROUP BY Release`);
  return new Map(rows.map((r) => [r.version, r.services]));
}

/** Figures of one release (see `releasesStats`). */
export async function releaseStats(db: Database, projectId: number, version: string): Promise<ReleaseStats> {
  return (await releasesStats(db, projectId, [version])).get(version) as ReleaseStats;
}

type ByRelease<T> = Map<string, T>;

async function byRelease<T extends { release: string }>(db: Database, statement: Sql): Promise<ByRelease<T>> {
  return new Map((await db.query<T>(statement)).map((r) => [r.release, r]));
}

/**
 * Figures of several releases, each kind read once for all of them (a releases page compares ~40): every query is
 * bounded by project and releases (and the aggregates' keys).
 */
export async function releasesStats(db: Database, projectId: number, versions: readonly string[]): Promise<Map<string, ReleaseStats>> {
  const p = typed(projectId, 'UInt32');
  const vs = [...new Set(versions)];
  const out = new Map<string, ReleaseStats>();
  if (vs.length === 0) return out;
  const entry = sql`SpanKind IN ('SERVER', 'CONSUMER')`;
  const [errors, newIssues, regressed, spans, sessions, calls, top, users] = await Promise.all([
    byRelease<{ release: string; events: number; users: number }>(db, sql`
      SELECT toString(Release) AS release, toUInt64(sum(Events)) AS events, toUInt64(uniqMerge(Users)) AS users
      FROM ${db.table('issue_hourly')} WHERE ProjectId = ${p} AND Release IN ${vs} GROUP BY Release`),
    byRelease<{ release: string; n: number }>(db, sql`
      SELECT first AS release, toUInt64(count()) AS n FROM (
        SELECT IssueId, argMinMerge(FirstRelease) AS first FROM ${db.table('issue_stats')} WHERE ProjectId = ${p} GROUP BY IssueId)
      WHERE first IN ${vs} GROUP BY first`),
    byRelease<{ release: string; n: number }>(db, sql`
      SELECT JSONExtractString(Data, 'release') AS release, toUInt64(uniqExact(IssueId)) AS n FROM ${db.table('issue_activity')} FINAL
      WHERE ProjectId = ${p} AND Kind = 'regression' AND release IN ${vs} GROUP BY release`),
    byRelease<{ release: string; calls: number; errors: number; entryCalls: number; p95: number }>(db, sql`
      SELECT toString(Release) AS release, toUInt64(sum(Calls)) AS calls, toUInt64(sum(Errors)) AS errors,
        toUInt64(sumIf(Calls, ${entry})) AS entryCalls, quantilesTDigestMergeIf(0.5, 0.95, 0.99)(Quantiles, ${entry})[2] AS p95
      FROM ${db.rollup('span_metrics_1h')} WHERE ProjectId = ${p} AND Release IN ${vs} GROUP BY Release`),
    // `unhandled` counts as a crash: see SessionStatus in @faultline/proto.
    byRelease<{ release: string; total: number; crashed: number; unhandled: number; users: number; crashedUsers: number }>(db, sql`
      SELECT toString(Release) AS release,
        toUInt64(uniqExactIf(SessionId, SessionId != '') + sumIf(Quantity, SessionId = '')) AS total,
        toUInt64(uniqExactIf(SessionId, SessionId != '' AND Status IN ('crashed', 'abnormal', 'unhandled'))
          + sumIf(Quantity, SessionId = '' AND Status IN ('crashed', 'abnormal', 'unhandled'))) AS crashed,
        toUInt64(uniqExactIf(SessionId, SessionId != '' AND Status = 'unhandled')
          + sumIf(Quantity, SessionId = '' AND Status = 'unhandled')) AS unhandled,
        toUInt64(uniqExactIf(DistinctId, DistinctId != '')) AS users,
        toUInt64(uniqExactIf(DistinctId, DistinctId != '' AND Status IN ('crashed', 'abnormal', 'unhandled'))) AS crashedUsers
      FROM ${db.table('sessions')} WHERE ProjectId = ${p} AND Release IN ${vs} GROUP BY Release`),
    // Every release's calls of the last 24 h: adoption is a release's share of them all.
    byRelease<{ release: string; calls: number }>(db, sql`
      SELECT toString(Release) AS release, toUInt64(sum(Calls)) AS calls
      FROM ${db.rollup('span_metrics_1m')} WHERE ProjectId = ${p} AND Minute >= now() - INTERVAL 1 DAY GROUP BY Release`),
    db.query<{ release: string; service: string; name: string; calls: number; q: number[] }>(sql`
      SELECT toString(Release) AS release, toString(ServiceName) AS service, toString(SpanName) AS name, toUInt64(sum(Calls)) AS calls,
        quantilesTDigestMerge(0.5, 0.95, 0.99)(Quantiles) AS q
      FROM ${db.rollup('span_metrics_1h')}
      WHERE ProjectId = ${p} AND Release IN ${vs} AND ${entry}
      GROUP BY Release, ServiceName, SpanName ORDER BY Release, calls DESC LIMIT 5 BY Release`),
    // Users seen in the releases' spans (OTel apps without Sentry sessions), from their hourly rollup (migration 0023).
    byRelease<{ release: string; n: number }>(db, sql`
      SELECT toString(Release) AS release, toUInt64(uniqMerge(Users)) AS n FROM ${db.rollup('release_users')}
      WHERE ProjectId = ${p} AND Release IN ${vs} GROUP BY Release`),
  ]);
  const allCalls = [...calls.values()].reduce((n, r) => n + r.calls, 0);
  for (const v of vs) {
    out.set(
      v,
      figures({
        e: errors.get(v) ?? { events: 0, users: 0 },
        newIssues: newIssues.get(v)?.n ?? 0,
        regressed: regressed.get(v)?.n ?? 0,
        s: spans.get(v) ?? { calls: 0, errors: 0, entryCalls: 0, p95: 0 },
        sess: sessions.get(v) ?? { total: 0, crashed: 0, unhandled: 0, users: 0, crashedUsers: 0 },
        adoption: allCalls > 0 ? (calls.get(v)?.calls ?? 0) / allCalls : null,
        top: top.filter((t) => t.release === v),
        spanUsers: users.get(v)?.n ?? 0,
      }),
    );
  }
  return out;
}

function figures(r: {
  e: { events: number; users: number };
  newIssues: number;
  regressed: number;
  s: { calls: number; errors: number; entryCalls: number; p95: number };
  sess: { total: number; crashed: number; unhandled: number; users: number; crashedUsers: number };
  adoption: number | null;
  top: Array<{ service: string; name: string; calls: number; q: number[] }>;
  spanUsers: number;
}): ReleaseStats {
  const { e, s, sess } = r;
  // Users from spans stand in only for releases without sessions. With sessions that name no user (server
  // aggregates without `did`), the share of users with handled errors is no crash-free figure: unknown instead.
  const otelUsers = sess.total > 0 ? null : r.spanUsers;
  return {
    errorEvents: e.events,
    affectedUsers: e.users,
    newIssues: r.newIssues,
    regressedIssues: r.regressed,
    spanCalls: s.calls,
    spanErrors: s.errors,
    errorRate: s.calls > 0 ? s.errors / s.calls : null,
    sessions: sess.total,
    crashedSessions: sess.crashed,
    unhandledSessions: sess.unhandled,
    crashFreeSessions: sess.total > 0 ? 1 - sess.crashed / sess.total : null,
    sessionUsers: sess.users,
    crashedUsers: sess.crashedUsers,
    crashFreeUsers: crashFreeUsers(sess, e.users, otelUsers),
    adoption: r.adoption,
    p95DurationNano: s.entryCalls > 0 ? Math.round(s.p95) : null,
    topOperations: r.top.map((t) => ({ service: t.service, name: t.name, calls: t.calls, p95DurationNano: Math.round(t.q[1] ?? 0) })),
  };
}

function crashFreeUsers(sess: { total: number; users: number; crashedUsers: number }, errorUsers: number, otelUsers: number | null): number | null {
  if (sess.users > 0) return 1 - sess.crashedUsers / sess.users;
  if (sess.total > 0 || otelUsers === null || otelUsers === 0) return null;
  return Math.max(0, 1 - errorUsers / otelUsers);
}
