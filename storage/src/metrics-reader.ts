import type { Database } from './database.ts';
import { join, sql, typed, type Sql } from './sql.ts';

/** RED figures over one time range or one time bucket. Durations in nanoseconds. */
export interface Red {
  calls: number;
  errors: number;
  /** Calls per second over the range (or bucket). */
  requestRate: number;
  errorRate: number;
  p50DurationNano: number;
  p95DurationNano: number;
  p99DurationNano: number;
  apdex: number | null;
}

export interface RangeQuery {
  projectId: number;
  startMs: number;
  endMs: number;
  /** Apdex threshold T in ms: satisfied ≤ T, tolerating ≤ 4T. */
  apdexMs: number;
}

interface RawRed {
  calls: number;
  errors: number;
  q: number[];
  hk: number[];
  hv: number[];
}

/**
 * Apdex with failed calls as frustrated: ((satisfied + tolerating / 2) / total) × (1 − errors / total).
 * Satisfied (≤ T) and tolerating (≤ 4T) come from the log-scale histogram (bucket b = durations in
 * [1.25^b, 1.25^(b+1)) µs; a bucket counts on the side of the threshold where its geometric middle lies), which
 * holds every call, failed or not; the aggregates keep no durations of the failed ones, so they are taken to be
 * spread over the buckets like the others and moved from each to frustrated. Null without calls.
 */
export function apdexFromHistogram(keys: readonly number[], counts: readonly number[], thresholdMs: number, errors: number): number | null {
  let total = 0;
  let satisfied = 0;
  let tolerating = 0;
  const t = thresholdMs * 1000;
  keys.forEach((b, i) => {
    const n = counts[i] ?? 0;
    const mid = Math.pow(1.25, b + 0.5);
    total += n;
    if (mid <= t) satisfied += n;
    else if (mid <= 4 * t) tolerating += n;
  });
  if (total === 0) return null;
  const succeeded = 1 - Math.min(1, Math.max(0, errors) / total);
  return ((satisfied + tolerating / 2) / total) * succeeded;
}

function toRed(r: RawRed, seconds: number, apdexMs: number): Red {
  return {
    calls: r.calls,
    errors: r.errors,
    requestRate: seconds > 0 ? r.calls / seconds : 0,
    errorRate: r.calls > 0 ? r.errors / r.calls : 0,
    p50DurationNano: Math.round(r.q[0] ?? 0),
    p95DurationNano: Math.round(r.q[1] ?? 0),
    p99DurationNano: Math.round(r.q[2] ?? 0),
    apdex: apdexFromHistogram(r.hk, r.hv, apdexMs, r.errors),
  };
}

/** The RED figures of a group of rollup rows (`h` is the histogram, split by the outer query or below). */
const RED_AGGREGATES = sql`
  toUInt64(sum(Calls)) AS calls, toUInt64(sum(Errors)) AS errors,
  quantilesTDigestMerge(0.5, 0.95, 0.99)(Quantiles) AS q, sumMap(Histogram) AS h`;

const OPERATION_AGGREGATES = sql`${RED_AGGREGATES}, h.1 AS hk, h.2 AS hv`;

/**
 * Minute rows of a range: those starting before its end, so a range ending on a minute boundary (an hour, "now"
 * rounded) leaves out the minute that begins there and two adjacent ranges never count one call twice. The hours
 * are spelled out too: span_metrics_1m is sorted by `toStartOfHour(Minute)` and ClickHouse does not derive that
 * key's range from a range on `Minute`.
 */
function rangeFilter(db: Database, q: RangeQuery, extra: Sql[] = []): Sql {
  const start = sql`fromUnixTimestamp64Milli(${typed(q.startMs, 'Int64')}, 'UTC')`;
  const end = sql`fromUnixTimestamp64Milli(${typed(q.endMs, 'Int64')}, 'UTC')`;
  return join(
    [
      sql`ProjectId = ${typed(q.projectId, 'UInt32')}`,
      sql`toStartOfHour(Minute) >= toStartOfHour(${start}) AND toStartOfHour(Minute) <= toStartOfHour(${end})`,
      sql`Minute >= toStartOfMinute(${start})`,
      sql`Minute < ${end}`,
      ...extra,
    ],
    ' AND ',
  );
}

const HOUR_MS = 3_600_000;

/**
 * `Minute` inside the whole hours of a range (minute rows [start's minute, end's minute]), for reading those hours
 * from an hourly rollup and the rest from the minute table; null when the range holds no whole hour.
 */
export function wholeHours(startMs: number, endMs: number, column: Sql = sql`Minute`): Sql | null {
  const hourStart = Math.ceil((Math.floor(startMs / 60_000) * 60_000) / HOUR_MS) * HOUR_MS;
  const hourEnd = Math.floor(endMs / HOUR_MS) * HOUR_MS;
  if (hourEnd <= hourStart) return null;
  return sql`${column} >= toDateTime(${typed(hourStart / 1000, 'UInt32')}, 'UTC') AND ${column} < toDateTime(${typed(hourEnd / 1000, 'UInt32')}, 'UTC')`;
}

/**
 * A range split into its whole hours (for an hourly rollup) and the minute rows outside them, the latter in terms
 * of the minute table's hour key so its index skips the whole hours; null when the range holds no whole hour.
 */
function hourSplit(q: RangeQuery): { whole: Sql; partial: Sql } | null {
  const whole = wholeHours(q.startMs, q.endMs);
  const byKey = wholeHours(q.startMs, q.endMs, sql`toStartOfHour(Minute)`);
  return whole && byKey ? { whole, partial: sql`NOT (${byKey})` } : null;
}

/**
 * The RED rows of a range as a FROM clause: whole hours from the hourly rollup, the partial hours at both ends
 * from the minute table (both have the same columns). `hours: false` keeps to minutes (series whose step does
 * not fall on hour boundaries).
 */
export function redSource(db: Database, q: RangeQuery, extra: Sql[] = [], hours = true): Sql {
  const split = hours ? hourSplit(q) : null;
  if (!split) return sql`${db.rollup('span_metrics_1m')} WHERE ${rangeFilter(db, q, extra)}`;
  const { whole, partial } = split;
  return sql`(
    SELECT * FROM ${db.rollup('span_metrics_1m')} WHERE ${rangeFilter(db, q, [...extra, partial])}
    UNION ALL
    SELECT * FROM ${db.rollup('span_metrics_1h')} WHERE ${join([sql`ProjectId = ${typed(q.projectId, 'UInt32')}`, whole, ...extra], ' AND ')}
  )`;
}

const SERVICE_COLUMNS = sql`ServiceName, Entry, Minute, Calls, Errors, DurationSum, Quantiles, Histogram`;

/**
 * Per-service RED rows of a range (operations and releases folded away, `Entry` for server/consumer spans): whole
 * hours from service_metrics_1h, the partial hours at both ends from service_metrics_1m. `hours: false` keeps to
 * minutes (series whose step does not fall on hour boundaries).
 */
function serviceSource(db: Database, q: RangeQuery, extra: Sql[] = [], hours = true): Sql {
  const minutes = (more: Sql[]) => sql`SELECT ${SERVICE_COLUMNS} FROM ${db.rollup('service_metrics_1m')} WHERE ${rangeFilter(db, q, [...extra, ...more])}`;
  const split = hours ? hourSplit(q) : null;
  if (!split) return sql`(${minutes([])})`;
  return sql`(
    ${minutes([split.partial])}
    UNION ALL
    SELECT ${SERVICE_COLUMNS} FROM ${db.rollup('service_metrics_1h')} WHERE ${join([sql`ProjectId = ${typed(q.projectId, 'UInt32')}`, split.whole, ...extra], ' AND ')}
  )`;
}

const seconds = (q: RangeQuery): number => Math.max(1, (q.endMs - q.startMs) / 1000);

/**
 * The RED figures of per-service rollup rows grouped by `key` (a service, a time bucket), each group measured by its
 * entry spans when it has any, else by all its spans. Each side's t-digests are merged once per key, then one row per
 * key is kept — measured at 10M spans, merging under `if(sumIf(…) > 0, …MergeIf, …Merge)` cost both merges.
 */
function entrySpansFirst(key: Sql, source: Sql): Sql {
  return sql`
    SELECT k, calls, errors, q, h FROM (
      SELECT ${key} AS k, Entry, ${RED_AGGREGATES} FROM ${source} GROUP BY k, Entry HAVING calls > 0)
    ORDER BY k, Entry DESC LIMIT 1 BY k`;
}

/** RED per service: the entry spans' figures, or every span's for a service without entry spans. */
export async function serviceRed(db: Database, q: RangeQuery): Promise<Array<{ name: string } & Red>> {
  const rows = await db.query<RawRed & { name: string }>(sql`
    SELECT toString(k) AS name, calls, errors, q, h.1 AS hk, h.2 AS hv
    FROM (${entrySpansFirst(sql`ServiceName`, serviceSource(db, q))})
    ORDER BY name`);
  return rows.map((r) => ({ name: r.name, ...toRed(r, seconds(q), q.apdexMs) }));
}

/** Request and error rates per service (as serviceRed counts them), without percentiles: for the service map. */
export async function serviceRates(db: Database, q: RangeQuery): Promise<Array<{ name: string; calls: number; errors: number; requestRate: number; errorRate: number }>> {
  const rows = await db.query<{ name: string; calls: number; errors: number }>(sql`
    SELECT toString(ServiceName) AS name,
      sumIf(Calls, Entry) AS entry, sum(Calls) AS allCalls,
      toUInt64(if(entry > 0, entry, allCalls)) AS calls,
      toUInt64(if(entry > 0, sumIf(Errors, Entry), sum(Errors))) AS errors
    FROM ${serviceSource(db, q)}
    GROUP BY ServiceName ORDER BY name`);
  const secs = seconds(q);
  return rows.map((r) => ({ name: r.name, calls: r.calls, errors: r.errors, requestRate: r.calls / secs, errorRate: r.calls > 0 ? r.errors / r.calls : 0 }));
}

export async function operationRed(db: Database, q: RangeQuery, service: string): Promise<Array<{ name: string; kind: string } & Red>> {
  const rows = await db.query<RawRed & { name: string; kind: string }>(sql`
    SELECT toString(SpanName) AS name, toString(SpanKind) AS kind, ${OPERATION_AGGREGATES}
    FROM ${redSource(db, q, [sql`ServiceName = ${service}`])}
    GROUP BY SpanName, SpanKind ORDER BY calls DESC, name LIMIT 1000`);
  return rows.map((r) => ({ name: r.name, kind: r.kind, ...toRed(r, seconds(q), q.apdexMs) }));
}

/**
 * One service (or one of its operations) as a time series with buckets of `stepSeconds`. A service's buckets come
 * from its per-service rollups, each measured as serviceRed measures a range (entrySpansFirst; at 10M spans, 24 h
 * in 5-minute buckets read in 72.3 ms against 95.5 from every operation's rows).
 */
export async function serviceSeries(db: Database, q: RangeQuery, service: string, stepSeconds: number, operation?: string): Promise<Array<{ time: string } & Red>> {
  const step = typed(stepSeconds, 'UInt32');
  const hours = stepSeconds % 3600 === 0;
  const bucket = sql`toStartOfInterval(Minute, toIntervalSecond(${step}))`;
  const buckets =
    operation === undefined
      ? entrySpansFirst(bucket, serviceSource(db, q, [sql`ServiceName = ${service}`], hours))
      : sql`SELECT ${bucket} AS k, ${RED_AGGREGATES}
        FROM ${redSource(db, q, [sql`ServiceName = ${service}`, sql`SpanName = ${operation}`], hours)}
        GROUP BY k`;
  const rows = await db.query<RawRed>(sql`
    SELECT k, calls, errors, q, h.1 AS hk, h.2 AS hv FROM (${buckets})
    ORDER BY k
    WITH FILL
      FROM toStartOfInterval(toDateTime(intDiv(${typed(q.startMs, 'Int64')}, 1000), 'UTC'), toIntervalSecond(${step}))
      TO toDateTime(intDiv(${typed(q.endMs, 'Int64')}, 1000), 'UTC')
      STEP toIntervalSecond(${step})`);
  // Filled rows carry default values (the bucket time too), so the bucket time is rebuilt from the order.
  const first = Math.floor(q.startMs / 1000 / stepSeconds) * stepSeconds;
  return rows.map((r, i) => ({ ...toRed(r, stepSeconds, q.apdexMs), time: new Date((first + i * stepSeconds) * 1000).toISOString() }));
}

export interface EdgeOut {
  source: string;
  target: string;
  targetKind: string;
  callCount: number;
  errorCount: number;
  p50DurationNano: number;
  p95DurationNano: number;
}

/** A pair's calls and errors less the retracted ones; never below 0 (a retraction whose call's insert failed). */
const NET_CALLS = sql`toUInt64(greatest(0, toInt64(sumIf(Calls, TargetKind != 'retracted')) - toInt64(sumIf(Calls, TargetKind = 'retracted'))))`;
const NET_ERRORS = sql`toUInt64(greatest(0, toInt64(sumIf(Errors, TargetKind != 'retracted')) - toInt64(sumIf(Errors, TargetKind = 'retracted'))))`;

/**
 * One edge per (source, target) pair. The collector counts each call once, under one kind: 'peer' when the caller
 * named the target, 'service' when a span of the target was found (see collector/src/service-graph.ts), so the
 * kinds of a pair add up; the pair is a 'service' edge when any of its calls reached a span of the target.
 * 'retracted' rows take back host calls found to reach a service after they were written (same minute as the call,
 * so any range of whole minutes subtracts exactly what it added); a pair left without calls is no edge.
 */
export async function serviceMapEdges(db: Database, q: RangeQuery): Promise<EdgeOut[]> {
  const rows = await db.query<{ source: string; target: string; targetKind: string; callCount: number; errorCount: number; q: number[] }>(sql`
    SELECT toString(Source) AS source, toString(Target) AS target, if(countIf(TargetKind = 'service') > 0, 'service', 'peer') AS targetKind,
      ${NET_CALLS} AS callCount, ${NET_ERRORS} AS errorCount,
      quantilesTDigestMergeIf(0.5, 0.95, 0.99)(Quantiles, TargetKind != 'retracted') AS q
    FROM ${db.table('service_edges')} WHERE ${rangeFilter(db, q)}
    GROUP BY Source, Target HAVING callCount > 0 ORDER BY source, target`);
  return rows.map(({ q: quantiles, ...r }) => ({ ...r, p50DurationNano: Math.round(quantiles[0] ?? 0), p95DurationNano: Math.round(quantiles[1] ?? 0) }));
}

/** Spans per clock hour of a range (of one service, if named), newest hour first, from the per-service rollups. */
export async function spansPerHour(db: Database, q: RangeQuery, service?: string): Promise<Array<{ hourMs: number; spans: number }>> {
  const extra = service === undefined ? [] : [sql`ServiceName = ${service}`];
  return db.query<{ hourMs: number; spans: number }>(sql`
    SELECT toUInt64(toUnixTimestamp(toStartOfHour(Minute))) * 1000 AS hourMs, toUInt64(sum(Calls)) AS spans
    FROM ${serviceSource(db, q, extra)} GROUP BY hourMs ORDER BY hourMs DESC`);
}

/** Names of services seen in a range, from the aggregates' primary key (no percentile merge). */
export async function serviceNames(db: Database, projectId: number, startMs: number, endMs: number): Promise<string[]> {
  const rows = await db.query<{ name: string }>(sql`
    SELECT DISTINCT toString(ServiceName) AS name FROM ${serviceSource(db, { projectId, startMs, endMs, apdexMs: 0 })} ORDER BY name`);
  return rows.map((r) => r.name);
}
