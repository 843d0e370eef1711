/**
 * The hand-written SQL each endpoint of bench/query.ts is compared with: what a ClickHouse user would type for the
 * same answer (one statement where possible), with the same time bounds the API spells out.
 */
import { nanosToDateTime64, sql, typed, wholeHours, type Database, type Sql } from '@faultline/storage';

export const HOUR = 3_600_000;
const DT9 = "DateTime64(9, 'UTC')";

export interface Env {
  db: Database;
  /** GET on the API with the admin token. */
  get(path: string): Promise<{ status: number; body: unknown }>;
  projectId: number;
  /** "Now" of the seeded data (its spans cover the 24 h before it), Unix ms. */
  nowMs: number;
  traceIds: string[];
  userIds: string[];
  /** (service, SERVER operation) pairs that exist in the data. */
  operations: Array<{ service: string; operation: string }>;
  services: string[];
}

export interface Window {
  startMs: number;
  endMs: number;
}

export const dt9 = (ms: number) => typed(nanosToDateTime64(BigInt(ms) * 1_000_000n), DT9);

/**
 * Hand-written trace search, summarized in one statement: the newest 20 traces by their latest matching span, as the
 * API pages. For service/operation filters the API's first page reads the newest 84 matching spans only (it groups
 * every matching span instead when those hold fewer than 21 traces); attribute filters group every matching span.
 */
function searchSql(env: Env, w: Window, filter: Sql, topRows: boolean): Sql {
  const spans = env.db.table('spans');
  const project = typed(env.projectId, 'UInt32');
  const matching = sql`
          FROM ${spans}
          WHERE ProjectId = ${project} AND toStartOfHour(Timestamp) >= toStartOfHour(${dt9(w.startMs)})
            AND toStartOfHour(Timestamp) <= toStartOfHour(${dt9(w.endMs)}) AND Timestamp >= ${dt9(w.startMs)} AND Timestamp <= ${dt9(w.endMs)} AND ${filter}`;
  const page = topRows
    ? sql`SELECT TraceId FROM (SELECT TraceId, Timestamp ${matching} ORDER BY Timestamp DESC LIMIT 84) GROUP BY TraceId ORDER BY max(Timestamp) DESC LIMIT 20`
    : sql`SELECT TraceId ${matching} GROUP BY TraceId ORDER BY max(Timestamp) DESC LIMIT 20`;
  return sql`
    SELECT TraceId,
      argMinIf(ServiceName, Timestamp, ParentSpanId = '') AS rootService, argMinIf(SpanName, Timestamp, ParentSpanId = '') AS rootName,
      toString(min(toUnixTimestamp64Nano(Timestamp))) AS startNs,
      toString(max(toUnixTimestamp64Nano(Timestamp) + Duration) - min(toUnixTimestamp64Nano(Timestamp))) AS durationNs,
      count() AS spanCount, countIf(StatusCode = 'ERROR') AS errorCount, arraySort(groupUniqArray(toString(ServiceName))) AS services
    FROM ${spans}
    WHERE ProjectId = ${project}
      AND toStartOfHour(Timestamp) >= toStartOfHour(${dt9(w.startMs - HOUR)}) AND toStartOfHour(Timestamp) <= toStartOfHour(${dt9(w.endMs + HOUR)})
      AND Timestamp >= ${dt9(w.startMs - HOUR)} AND Timestamp <= ${dt9(w.endMs + HOUR)}
      AND TraceId IN (${page})
    GROUP BY TraceId
    ORDER BY max(Timestamp) DESC`;
}

export function traceByIdSql(env: Env, traceId: string): Sql {
  const project = typed(env.projectId, 'UInt32');
  const index = env.db.table('trace_index');
  return sql`
    SELECT TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName, ResourceAttributes, ResourceAttributeTypes,
      ScopeName, ScopeVersion, SpanAttributes, SpanAttributeTypes, toString(toUnixTimestamp64Nano(Timestamp)) AS startNs, toString(Duration) AS durationNs,
      StatusCode, StatusMessage, Events.Timestamp, Events.Name, Events.Attributes, Events.AttributeTypes,
      Links.TraceId, Links.SpanId, Links.TraceState, Links.Attributes, Links.AttributeTypes
    FROM ${env.db.table('spans')}
    WHERE ProjectId = ${project} AND TraceId = ${traceId}
      AND toStartOfHour(Timestamp) >= (SELECT toStartOfHour(min(Start)) FROM ${index} WHERE ProjectId = ${project} AND TraceId = ${traceId} AND Source = 'span')
      AND toStartOfHour(Timestamp) <= (SELECT toStartOfHour(max(End)) FROM ${index} WHERE ProjectId = ${project} AND TraceId = ${traceId} AND Source = 'span')
      AND Timestamp <= (SELECT max(End) FROM ${index} WHERE ProjectId = ${project} AND TraceId = ${traceId} AND Source = 'span')
    ORDER BY Timestamp, SpanId`;
}

export function attributeSql(env: Env, w: Window, key: string, value: string): Sql {
  return searchSql(env, w, sql`SpanAttributes[${key}] = ${value}`, false);
}

export function operationSql(env: Env, w: Window, service: string, operation: string): Sql {
  return searchSql(env, w, sql`ServiceName = ${service} AND SpanName = ${operation}`, true);
}

/**
 * The minute rows of a range's partial hours plus the hourly rollup's whole hours — the same source the API
 * reads (redSource in storage/src/metrics-reader.ts), written out by hand.
 */
/** Minute rows of a window outside its whole hours, with the hour key spelled out as the API does. */
function partialMinutes(w: Window): Sql {
  const whole = wholeHours(w.startMs, w.endMs, sql`toStartOfHour(Minute)`) ?? sql`0`;
  return sql`toStartOfHour(Minute) >= toStartOfHour(${dt9(w.startMs)}) AND toStartOfHour(Minute) <= toStartOfHour(${dt9(w.endMs)})
    AND Minute >= toStartOfMinute(${dt9(w.startMs)}) AND Minute <= ${dt9(w.endMs)} AND NOT (${whole})`;
}

function redRows(env: Env, w: Window, extra: Sql): Sql {
  const p = typed(env.projectId, 'UInt32');
  const whole = wholeHours(w.startMs, w.endMs) ?? sql`0`;
  return sql`(
    SELECT * FROM ${env.db.rollup('span_metrics_1m')}
    WHERE ProjectId = ${p} AND ${partialMinutes(w)} AND ${extra}
    UNION ALL
    SELECT * FROM ${env.db.rollup('span_metrics_1h')} WHERE ProjectId = ${p} AND ${whole} AND ${extra})`;
}

export function redSql(env: Env, w: Window): Sql {
  const p = typed(env.projectId, 'UInt32');
  const whole = wholeHours(w.startMs, w.endMs) ?? sql`0`;
  return sql`
    SELECT toString(ServiceName) AS name, sum(Calls) AS calls, sum(Errors) AS errors,
      quantilesTDigestMerge(0.5, 0.95, 0.99)(Quantiles) AS q, sumMap(Histogram) AS h
    FROM (
      SELECT ServiceName, Calls, Errors, Quantiles, Histogram FROM ${env.db.rollup('service_metrics_1m')}
      WHERE ProjectId = ${p} AND Entry AND ${partialMinutes(w)}
      UNION ALL
      SELECT ServiceName, Calls, Errors, Quantiles, Histogram FROM ${env.db.rollup('service_metrics_1h')} WHERE ProjectId = ${p} AND Entry AND ${whole})
    GROUP BY ServiceName ORDER BY name`;
}

export function redFromSpansSql(env: Env, w: Window): Sql {
  return sql`
    SELECT toString(ServiceName) AS name, count() AS calls, countIf(StatusCode = 'ERROR') AS errors,
      quantilesTDigest(0.5, 0.95, 0.99)(Duration) AS q
    FROM ${env.db.table('spans')}
    WHERE ProjectId = ${typed(env.projectId, 'UInt32')} AND SpanKind IN ('SERVER', 'CONSUMER')
      AND Timestamp >= ${dt9(w.startMs)} AND Timestamp <= ${dt9(w.endMs)}
    GROUP BY ServiceName ORDER BY name`;
}

export function operationsRedSql(env: Env, w: Window, service: string): Sql {
  return sql`
    SELECT toString(SpanName) AS name, toString(SpanKind) AS kind, sum(Calls) AS calls, sum(Errors) AS errors,
      quantilesTDigestMerge(0.5, 0.95, 0.99)(Quantiles) AS q, sumMap(Histogram) AS h
    FROM ${redRows(env, w, sql`ServiceName = ${service}`)}
    GROUP BY SpanName, SpanKind ORDER BY calls DESC`;
}

export function issuesSql(env: Env): Sql {
  const project = typed(env.projectId, 'UInt32');
  return sql`
    SELECT IssueId, sum(Events) AS events, uniqMerge(Users) AS users, min(FirstSeen) AS firstSeen, max(LastSeen) AS lastSeen,
      argMaxMerge(Title) AS title, argMaxMerge(Culprit) AS culprit, argMaxMerge(Level) AS level,
      argMinMerge(FirstRelease) AS firstRelease, argMaxMerge(LastRelease) AS lastRelease
    FROM ${env.db.table('issue_stats')}
    WHERE ProjectId = ${project}
      AND IssueId NOT IN (SELECT IssueId FROM ${env.db.table('issue_status')} FINAL WHERE ProjectId = ${project} AND Status != 'unresolved')
    GROUP BY IssueId ORDER BY lastSeen DESC LIMIT 50`;
}

export function serviceMapSql(env: Env, w: Window): Sql {
  return sql`
    SELECT toString(Source) AS source, toString(Target) AS target, toString(TargetKind) AS kind, sum(Calls) AS calls, sum(Errors) AS errors,
      quantilesTDigestMerge(0.5, 0.95, 0.99)(Quantiles) AS q
    FROM ${env.db.table('service_edges')}
    WHERE ProjectId = ${typed(env.projectId, 'UInt32')} AND Minute >= toStartOfMinute(${dt9(w.startMs)}) AND Minute <= ${dt9(w.endMs)}
    GROUP BY Source, Target, TargetKind`;
}
