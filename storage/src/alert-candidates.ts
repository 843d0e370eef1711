import type { Database } from './database.ts';
import { serviceRed } from './metrics-reader.ts';
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

/** A service needs this many calls in the window before its error rate or p95 can fire (one failed call is not 100 %). */
export const SERVICE_ALERT_MIN_CALLS = 10;

export interface ServiceBreachQuery {
  projectId: number;
  kind: 'service_error_rate' | 'service_latency_p95';
  /** Percent of failed calls, or the p95 duration in ms. */
  threshold: number;
  windowMinutes: number;
  /** '' = every service. */
  service: string;
  nowMs: number;
}

export interface ServiceBreach {
  service: string;
  /** The figure compared with the threshold: error rate in percent, or p95 in ms. */
  value: number;
  calls: number;
  errors: number;
  errorRate: number;
  p95DurationNano: number;
}

/**
 * Services whose entry calls over the last `windowMinutes` reach the threshold, from the RED rollups (the figures
 * the services page shows for the same range), with at least SERVICE_ALERT_MIN_CALLS calls.
 */
export async function serviceBreaches(db: Database, q: ServiceBreachQuery): Promise<ServiceBreach[]> {
  return (await serviceFigures(db, q)).filter((f) => f.calls >= SERVICE_ALERT_MIN_CALLS && f.value >= q.threshold);
}

/** The watched figure of every service the rule covers over its window (services without calls are absent). */
export async function serviceFigures(db: Database, q: ServiceBreachQuery): Promise<ServiceBreach[]> {
  const red = await serviceRed(db, { projectId: q.projectId, startMs: q.nowMs - q.windowMinutes * 60_000, endMs: q.nowMs, apdexMs: 500 });
  return red
    .filter((r) => q.service === '' || r.name === q.service)
    .map((r) => ({
      service: r.name,
      value: q.kind === 'service_error_rate' ? r.errorRate * 100 : r.p95DurationNano / 1e6,
      calls: r.calls,
      errors: r.errors,
      errorRate: r.errorRate,
      p95DurationNano: r.p95DurationNano,
    }));
}

/** A service alert's occurrence: one per service and window bucket (`<kind>:<service>:<bucket>`). */
export function serviceAlertKey(kind: string, service: string, bucket: number): string {
  return `${kind}:${service}:${bucket}`;
}

/** The occurrence of a service alert's "resolved" notification (one per alert it ends). */
export const RESOLVED_PREFIX = 'resolved:';

/** The service a service alert's occurrence key (or its resolution's) names; service names may hold ':'. */
export function serviceOfAlertKey(key: string): string {
  const alert = key.startsWith(RESOLVED_PREFIX) ? key.slice(RESOLVED_PREFIX.length) : key;
  return alert.slice(alert.indexOf(':') + 1, alert.lastIndexOf(':'));
}
