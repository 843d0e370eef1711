import { candidateTexts, decodeAttributes, type ApiAttributeValue } from './attributes.ts';
import type { Database } from './database.ts';
import { join, sql, typed, type Sql } from './sql.ts';
import { nanosToDateTime64 } from './time.ts';

type ApiAttributes = Record<string, ApiAttributeValue>;

export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: string;
  serviceName: string;
  startTimeUnixNano: string;
  durationNano: string;
  statusCode: string;
  statusMessage: string;
  attributes: ApiAttributes;
  resource: ApiAttributes;
  scope: { name: string; version: string };
  events: Array<{ timeUnixNano: string; name: string; attributes: ApiAttributes }>;
  links: Array<{ traceId: string; spanId: string; traceState: string; attributes: ApiAttributes }>;
}

interface SpanRowOut {
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: Record<string, string>;
  ResourceAttributeTypes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: Record<string, string>;
  SpanAttributeTypes: Record<string, string>;
  StartNs: string;
  DurationNs: string;
  StatusCode: string;
  StatusMessage: string;
  EventTimes: string[];
  EventNames: string[];
  EventAttributes: Array<Record<string, string>>;
  EventAttributeTypes: Array<Record<string, string>>;
  LinkTraceIds: string[];
  LinkSpanIds: string[];
  LinkTraceStates: string[];
  LinkAttributes: Array<Record<string, string>>;
  LinkAttributeTypes: Array<Record<string, string>>;
}

function toTraceSpan(r: SpanRowOut): TraceSpan {
  return {
    traceId: r.TraceId,
    spanId: r.SpanId,
    parentSpanId: r.ParentSpanId,
    traceState: r.TraceState,
    name: r.SpanName,
    kind: r.SpanKind,
    serviceName: r.ServiceName,
    startTimeUnixNano: r.StartNs,
    durationNano: r.DurationNs,
    statusCode: r.StatusCode,
    statusMessage: r.StatusMessage,
    attributes: decodeAttributes(r.SpanAttributes, r.SpanAttributeTypes),
    resource: decodeAttributes(r.ResourceAttributes, r.ResourceAttributeTypes),
    scope: { name: r.ScopeName, version: r.ScopeVersion },
    events: r.EventTimes.map((time, i) => ({
      timeUnixNano: time,
      name: r.EventNames[i] ?? '',
      attributes: decodeAttributes(r.EventAttributes[i] ?? {}, r.EventAttributeTypes[i] ?? {}),
    })),
    links: r.LinkTraceIds.map((traceId, i) => ({
      traceId,
      spanId: r.LinkSpanIds[i] ?? '',
      traceState: r.LinkTraceStates[i] ?? '',
      attributes: decodeAttributes(r.LinkAttributes[i] ?? {}, r.LinkAttributeTypes[i] ?? {}),
    })),
  };
}

const SPAN_COLUMNS = sql`TraceId, SpanId, ParentSpanId, TraceState, SpanName, toString(SpanKind) AS SpanKind, ServiceName,
  ResourceAttributes, ResourceAttributeTypes, ScopeName, ScopeVersion, SpanAttributes, SpanAttributeTypes,
  toString(toUnixTimestamp64Nano(Timestamp)) AS StartNs, toString(Duration) AS DurationNs,
  toString(StatusCode) AS StatusCode, StatusMessage,
  arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS EventTimes, Events.Name AS EventNames,
  Events.Attributes AS EventAttributes, Events.AttributeTypes AS EventAttributeTypes,
  Links.TraceId AS LinkTraceIds, Links.SpanId AS LinkSpanIds, Links.TraceState AS LinkTraceStates,
  Links.Attributes AS LinkAttributes, Links.AttributeTypes AS LinkAttributeTypes`;

/** All spans of one trace, ordered by start time; null when the trace is unknown in this project. */
export async function getTrace(db: Database, projectId: number, traceId: string, maxSpans: number): Promise<TraceSpan[] | null> {
  const windows = await db.query<{ n: number; start: string; end: string }>(sql`
    SELECT count() AS n, toString(min(Start)) AS start, toString(max(End)) AS end
    FROM ${db.table('trace_index')}
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND TraceId = ${traceId}`);
  const window = windows[0];
  if (!window || window.n === 0) return null;
  const rows = await db.query<SpanRowOut>(
    sql`SELECT ${SPAN_COLUMNS} FROM ${db.table('spans')}
      WHERE ProjectId = ${typed(projectId, 'UInt32')} AND TraceId = ${traceId}
        AND Timestamp >= ${typed(window.start, "DateTime64(9, 'UTC')")} AND Timestamp <= ${typed(window.end, "DateTime64(9, 'UTC')")}
      ORDER BY Timestamp, SpanId
      LIMIT ${typed(maxSpans, 'UInt32')}`,
    { max_result_rows: String(maxSpans + 1) },
  );
  return rows.length === 0 ? null : rows.map(toTraceSpan);
}

export interface TraceQuery {
  projectId: number;
  /** Unix nanoseconds, inclusive. */
  startNs: bigint;
  endNs: bigint;
  service?: string;
  operation?: string;
  status?: 'UNSET' | 'OK' | 'ERROR';
  minDurationNs?: bigint;
  maxDurationNs?: bigint;
  /** Attribute equality on span or resource attributes. */
  attributes: Array<{ key: string; value: string }>;
  limit: number;
}

export interface TraceSummary {
  traceId: string;
  rootServiceName: string;
  rootName: string;
  startTimeUnixNano: string;
  durationNano: string;
  spanCount: number;
  errorCount: number;
  services: string[];
}

/** Conditions a single span must meet for its trace to match (Jaeger's semantics: one span meets all). */
function spanFilters(q: TraceQuery): Sql[] {
  const where: Sql[] = [
    sql`ProjectId = ${typed(q.projectId, 'UInt32')}`,
    sql`Timestamp >= ${typed(nanosToDateTime64(q.startNs), "DateTime64(9, 'UTC')")}`,
    sql`Timestamp <= ${typed(nanosToDateTime64(q.endNs), "DateTime64(9, 'UTC')")}`,
  ];
  if (q.service !== undefined) where.push(sql`ServiceName = ${q.service}`);
  if (q.operation !== undefined) where.push(sql`SpanName = ${q.operation}`);
  if (q.status !== undefined) where.push(sql`StatusCode = ${q.status}`);
  if (q.minDurationNs !== undefined) where.push(sql`Duration >= ${typed(q.minDurationNs.toString(), 'UInt64')}`);
  if (q.maxDurationNs !== undefined) where.push(sql`Duration <= ${typed(q.maxDurationNs.toString(), 'UInt64')}`);
  for (const { key, value } of q.attributes) {
    const texts = candidateTexts(value);
    where.push(sql`(SpanAttributes[${key}] IN ${texts} OR ResourceAttributes[${key}] IN ${texts})`);
  }
  return where;
}

/** Matching traces, newest first; every filter applies before the limit. */
export async function searchTraces(db: Database, q: TraceQuery): Promise<TraceSummary[]> {
  const spans = db.table('spans');
  const ids = await db.query<{ TraceId: string }>(sql`
    SELECT TraceId FROM ${spans}
    WHERE ${join(spanFilters(q), ' AND ')}
    GROUP BY TraceId
    ORDER BY max(Timestamp) DESC
    LIMIT ${typed(q.limit, 'UInt32')}`);
  if (ids.length === 0) return [];
  const traceIds = ids.map((r) => r.TraceId);
  const project = typed(q.projectId, 'UInt32');
  const index = db.table('trace_index');
  const rows = await db.query<TraceSummary>(sql`
    SELECT
      TraceId AS traceId,
      if(countIf(ParentSpanId = '') > 0, argMinIf(ServiceName, Timestamp, ParentSpanId = ''), argMin(ServiceName, Timestamp)) AS rootServiceName,
      if(countIf(ParentSpanId = '') > 0, argMinIf(SpanName, Timestamp, ParentSpanId = ''), argMin(SpanName, Timestamp)) AS rootName,
      toString(min(toUnixTimestamp64Nano(Timestamp))) AS startTimeUnixNano,
      toString(max(toUnixTimestamp64Nano(Timestamp) + Duration) - min(toUnixTimestamp64Nano(Timestamp))) AS durationNano,
      toUInt32(count()) AS spanCount,
      toUInt32(countIf(StatusCode = 'ERROR')) AS errorCount,
      arraySort(groupUniqArray(toString(ServiceName))) AS services
    FROM ${spans}
    WHERE ProjectId = ${project} AND TraceId IN ${traceIds}
      AND Timestamp >= (SELECT min(Start) FROM ${index} WHERE ProjectId = ${project} AND TraceId IN ${traceIds})
      AND Timestamp <= (SELECT max(End) FROM ${index} WHERE ProjectId = ${project} AND TraceId IN ${traceIds})
    GROUP BY TraceId
    ORDER BY min(Timestamp) DESC`);
  return rows;
}

export async function listServices(db: Database, projectId: number, sinceNs: bigint): Promise<string[]> {
  const rows = await db.query<{ name: string }>(sql`
    SELECT DISTINCT toString(ServiceName) AS name FROM ${db.table('spans')}
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND Timestamp >= ${typed(nanosToDateTime64(sinceNs), "DateTime64(9, 'UTC')")}
    ORDER BY name`);
  return rows.map((r) => r.name);
}

export async function listOperations(db: Database, projectId: number, service: string, sinceNs: bigint): Promise<Array<{ name: string; kind: string }>> {
  return db.query<{ name: string; kind: string }>(sql`
    SELECT toString(SpanName) AS name, toString(any(SpanKind)) AS kind FROM ${db.table('spans')}
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND ServiceName = ${service}
      AND Timestamp >= ${typed(nanosToDateTime64(sinceNs), "DateTime64(9, 'UTC')")}
    GROUP BY SpanName
    ORDER BY name`);
}
