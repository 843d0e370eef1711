import type { Database } from './database.ts';
import { sql, typed } from './sql.ts';

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

/** Figures of one release; every query is bounded by project and release (and the aggregates' keys). */
export async function releaseStats(db: Database, projectId: number, version: string): Promise<ReleaseStats> {
  const p = typed(projectId, 'UInt32');
  const [errors, newIssues, regressed, spans, sessions, adoption, top] = await Promise.all([
    db.query<{ events: number; users: number }>(sql`
      SELECT toUInt64(sum(Events)) AS events, toUInt64(uniqMerge(Users)) AS users
      FROM ${db.table('issue_hourly')} WHERE ProjectId = ${p} AND Release = ${version}`),
    db.query<{ n: number }>(sql`
      SELECT toUInt64(count()) AS n FROM (
        SELECT IssueId, argMinMerge(FirstRelease) AS first FROM ${db.table('issue_stats')}
        WHERE ProjectId = ${p} GROUP BY IssueId HAVING first = ${version})`),
    db.query<{ n: number }>(sql`
      SELECT toUInt64(uniqExact(IssueId)) AS n FROM ${db.table('issue_activity')} FINAL
      WHERE ProjectId = ${p} AND Kind = 'regression' AND JSONExtractString(Data, 'release') = ${version}`),
    db.query<{ calls: number; errors: number; entryCalls: number; p95: number }>(sql`
      SELECT toUInt64(sum(Calls)) AS calls, toUInt64(sum(Errors)) AS errors,
        toUInt64(sumIf(Calls, SpanKind IN ('SERVER', 'CONSUMER'))) AS entryCalls,
        quantilesTDigestMergeIf(0.5, 0.95, 0.99)(Quantiles, SpanKind IN ('SERVER', 'CONSUMER'))[2] AS p95
      FROM ${db.rollup('span_metrics_1h')} WHERE ProjectId = ${p} AND Release = ${version}`),
    // `unhandled` counts as a crash: see SessionStatus in @faultline/proto.
    db.query<{ total: number; crashed: number; unhandled: number; users: number; crashedUsers: number }>(sql`
      SELECT
        toUInt64(uniqExactIf(SessionId, SessionId != '') + sumIf(Quantity, SessionId = '')) AS total,
        toUInt64(uniqExactIf(SessionId, SessionId != '' AND Status IN ('crashed', 'abnormal', 'unhandled'))
          + sumIf(Quantity, SessionId = '' AND Status IN ('crashed', 'abnormal', 'unhandled'))) AS crashed,
        toUInt64(uniqExactIf(SessionId, SessionId != '' AND Status = 'unhandled')
          + sumIf(Quantity, SessionId = '' AND Status = 'unhandled')) AS unhandled,
        toUInt64(uniqExactIf(DistinctId, DistinctId != '')) AS users,
        toUInt64(uniqExactIf(DistinctId, DistinctId != '' AND Status IN ('crashed', 'abnormal', 'unhandled'))) AS crashedUsers
      FROM ${db.table('sessions')} WHERE ProjectId = ${p} AND Release = ${version}`),
    db.query<{ mine: number; all: number }>(sql`
      SELECT toUInt64(sumIf(Calls, Release = ${version})) AS mine, toUInt64(sum(Calls)) AS all
      FROM ${db.rollup('span_metrics_1m')} WHERE ProjectId = ${p} AND Minute >= now() - INTERVAL 1 DAY`),
    db.query<{ service: string; name: string; calls: number; q: number[] }>(sql`
      SELECT toString(ServiceName) AS service, toString(SpanName) AS name, toUInt64(sum(Calls)) AS calls,
        quantilesTDigestMerge(0.5, 0.95, 0.99)(Quantiles) AS q
      FROM ${db.rollup('span_metrics_1h')}
      WHERE ProjectId = ${p} AND Release = ${version} AND SpanKind IN ('SERVER', 'CONSUMER')
      GROUP BY ServiceName, SpanName ORDER BY calls DESC LIMIT 5`),
  ]);
  const e = errors[0] ?? { events: 0, users: 0 };
  const s = spans[0] ?? { calls: 0, errors: 0, entryCalls: 0, p95: 0 };
  const sess = sessions[0] ?? { total: 0, crashed: 0, unhandled: 0, users: 0, crashedUsers: 0 };
  const a = adoption[0] ?? { mine: 0, all: 0 };
  // Users from spans stand in only for releases without sessions. With sessions that name no user (server
  // aggregates without `did`), the share of users with handled errors is no crash-free figure: unknown instead.
  const otelUsers = sess.total > 0 ? null : await spanUsers(db, projectId, version);
  return {
    errorEvents: e.events,
    affectedUsers: e.users,
    newIssues: newIssues[0]?.n ?? 0,
    regressedIssues: regressed[0]?.n ?? 0,
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
    adoption: a.all > 0 ? a.mine / a.all : null,
    p95DurationNano: s.entryCalls > 0 ? Math.round(s.p95) : null,
    topOperations: top.map((t) => ({ service: t.service, name: t.name, calls: t.calls, p95DurationNano: Math.round(t.q[1] ?? 0) })),
  };
}

function crashFreeUsers(sess: { total: number; users: number; crashedUsers: number }, errorUsers: number, otelUsers: number | null): number | null {
  if (sess.users > 0) return 1 - sess.crashedUsers / sess.users;
  if (sess.total > 0 || otelUsers === null || otelUsers === 0) return null;
  return Math.max(0, 1 - errorUsers / otelUsers);
}

/** Users seen in the release's spans (OTel apps without Sentry sessions), from their hourly rollup (migration 0023). */
async function spanUsers(db: Database, projectId: number, version: string): Promise<number> {
  const rows = await db.query<{ n: number }>(sql`
    SELECT toUInt64(uniqMerge(Users)) AS n FROM ${db.rollup('release_users')}
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND Release = ${version}`);
  return rows[0]?.n ?? 0;
}
