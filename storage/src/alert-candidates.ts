import type { Database } from './database.ts';
import { join, sql, typed, type Sql } from './sql.ts';

/** An issue that may deserve a notification, with the key that makes it one occurrence. */
export interface AlertCandidate {
  issueId: string;
  dedupeKey: string;
}

/**
 * New or regressed issues since `sinceMs`, read from the facts the collector records in issue_activity
 * (`first_seen` once per issue, `regression` once per reopening, each with a deterministic id) instead of
 * scanning events. A regression's key is its activity id, so every reopening is its own occurrence.
 */
export async function activityCandidates(db: Database, projectId: number, kind: 'first_seen' | 'regression', sinceMs: number): Promise<AlertCandidate[]> {
  const rows = await db.query<{ issueId: string; activityId: string }>(sql`
    SELECT IssueId AS issueId, ActivityId AS activityId FROM ${db.table('issue_activity')} FINAL
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND Kind = ${kind}
      AND Timestamp >= fromUnixTimestamp64Milli(${typed(sinceMs, 'Int64')})
    ORDER BY Timestamp, IssueId
    LIMIT 10000`);
  const prefix = kind === 'first_seen' ? 'new_issue' : 'regression';
  return rows.map((r) => ({ issueId: r.issueId, dedupeKey: kind === 'first_seen' ? `${prefix}:${r.issueId}` : `${prefix}:${r.issueId}:${r.activityId}` }));
}

export interface SpikeQuery {
  projectId: number;
  threshold: number;
  windowMinutes: number;
  environment: string;
  level: string;
  nowMs: number;
}

/**
 * Issues with at least `threshold` events in the last `windowMinutes`. The hourly aggregates name the few issues
 * that can qualify (their events in the hours touching the window are an upper bound); only those are counted
 * exactly in error_events, whose key (project, issue, time) makes that a narrow read.
 */
export async function spikingIssues(db: Database, q: SpikeQuery): Promise<Map<string, number>> {
  const project = typed(q.projectId, 'UInt32');
  const fromMs = q.nowMs - q.windowMinutes * 60_000;
  const from = sql`fromUnixTimestamp64Milli(${typed(fromMs, 'Int64')})`;
  const hourly: Sql[] = [sql`ProjectId = ${project}`, sql`Hour >= toStartOfHour(${from})`];
  if (q.environment) hourly.push(sql`Environment = ${q.environment}`);
  const candidates = await db.query<{ issueId: string }>(sql`
    SELECT IssueId AS issueId FROM ${db.table('issue_hourly')}
    WHERE ${join(hourly, ' AND ')}
    GROUP BY IssueId HAVING sum(Events) >= ${typed(q.threshold, 'UInt64')}
    LIMIT 1000`);
  if (candidates.length === 0) return new Map();
  const exact: Sql[] = [sql`ProjectId = ${project}`, sql`IssueId IN ${candidates.map((c) => c.issueId)}`, sql`Timestamp >= ${from}`];
  if (q.environment) exact.push(sql`Environment = ${q.environment}`);
  if (q.level) exact.push(sql`Level = ${q.level}`);
  const rows = await db.query<{ issueId: string; events: number }>(sql`
    SELECT IssueId AS issueId, toUInt64(count()) AS events FROM ${db.table('error_events')}
    WHERE ${join(exact, ' AND ')}
    GROUP BY IssueId HAVING events >= ${typed(q.threshold, 'UInt64')}`);
  return new Map(rows.map((r) => [r.issueId, Number(r.events)]));
}
