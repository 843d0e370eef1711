import type { StoredAttributes, StoredSpan } from '@faultline/proto';
import { decodeAttributes, type ApiAttributeValue } from './attributes.ts';
import type { Database } from './database.ts';
import { errorsForTrace, type TraceError } from './issues-reader.ts';
import { logsForTrace, type TraceLog } from './logs-reader.ts';
import { sql, typed } from './sql.ts';
import { spanHours, traceExtent, traceWindow, type TraceWindow } from './trace-window.ts';

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
  LinkCount: number;
}

interface LinkRowOut {
  SpanId: string;
  LinkTraceIds: string[];
  LinkSpanIds: string[];
  LinkTraceStates: string[];
  LinkAttributes: Array<Record<string, string>>;
  LinkAttributeTypes: Array<Record<string, string>>;
}

const stored = (values: Record<string, string>, types: Record<string, string> | undefined): StoredAttributes => ({ values, types: types ?? {} });

/** A row as stored: attribute texts with their OTLP types (what an OTLP export needs). */
function toStoredSpan(r: SpanRowOut, l: LinkRowOut | undefined): StoredSpan {
  return {
    traceId: r.TraceId,
    spanId: r.SpanId,
    parentSpanId: r.ParentSpanId,
    traceState: r.TraceState,
    name: r.SpanName,
    serviceName: r.ServiceName,
    kind: r.SpanKind,
    startTimeUnixNano: r.StartNs,
    durationNano: r.DurationNs,
    statusCode: r.StatusCode,
    statusMessage: r.StatusMessage,
    attributes: stored(r.SpanAttributes, r.SpanAttributeTypes),
    resource: stored(r.ResourceAttributes, r.ResourceAttributeTypes),
    scope: { name: r.ScopeName, version: r.ScopeVersion },
    events: r.EventTimes.map((time, i) => ({ timeUnixNano: time, name: r.EventNames[i] ?? '', attributes: stored(r.EventAttributes[i] ?? {}, r.EventAttributeTypes[i]) })),
    links: (l?.LinkTraceIds ?? []).map((traceId, i) => ({
      traceId,
      spanId: l?.LinkSpanIds[i] ?? '',
      traceState: l?.LinkTraceStates[i] ?? '',
      attributes: stored(l?.LinkAttributes[i] ?? {}, l?.LinkAttributeTypes[i]),
    })),
  };
}

const decoded = (a: StoredAttributes): ApiAttributes => decodeAttributes(a.values, a.types);

/** A stored span as the API answers it: attribute values in their JSON types. */
function toTraceSpan(s: StoredSpan): TraceSpan {
  const { attributes, resource, events, links, ...fields } = s;
  return {
    ...fields,
    attributes: decoded(attributes),
    resource: decoded(resource),
    events: events.map((e) => ({ timeUnixNano: e.timeUnixNano, name: e.name, attributes: decoded(e.attributes) })),
    links: links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, traceState: l.traceState, attributes: decoded(l.attributes) })),
  };
}

const SPAN_COLUMNS = sql`TraceId, SpanId, ParentSpanId, TraceState, SpanName, toString(SpanKind) AS SpanKind, ServiceName,
  ResourceAttributes, ResourceAttributeTypes, ScopeName, ScopeVersion, SpanAttributes, SpanAttributeTypes,
  toString(toUnixTimestamp64Nano(Timestamp)) AS StartNs, toString(Duration) AS DurationNs,
  toString(StatusCode) AS StatusCode, StatusMessage,
  arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS EventTimes, Events.Name AS EventNames,
  Events.Attributes AS EventAttributes, Events.AttributeTypes AS EventAttributeTypes,
  toUInt32(length(Links.TraceId)) AS LinkCount`;

const LINK_COLUMNS = sql`SpanId, Links.TraceId AS LinkTraceIds, Links.SpanId AS LinkSpanIds, Links.TraceState AS LinkTraceStates,
  Links.Attributes AS LinkAttributes, Links.AttributeTypes AS LinkAttributeTypes`;

/**
 * The rows of one trace's spans (each once), ordered by start time, with the links of those that have any; [] when
 * the project has no such spans. Links are read by a second statement only when a span has some: few spans do, and
 * the five `Links.*` columns (each a stream of sizes and values, two of them maps) cost a third of the read even
 * when empty (10M spans, alternating: 21.1 → 15.2 ms p50 for the spans statement without them).
 */
async function traceRows(
  db: Database,
  projectId: number,
  traceId: string,
  maxSpans: number,
  window: TraceWindow,
): Promise<Array<{ span: SpanRowOut; links: LinkRowOut | undefined }>> {
  const where = sql`ProjectId = ${typed(projectId, 'UInt32')} AND TraceId = ${traceId} AND ${spanHours(window)}`;
  const rows = await db.query<SpanRowOut>(
    sql`SELECT ${SPAN_COLUMNS} FROM ${db.table('spans')} WHERE ${where}
      ORDER BY Timestamp, SpanId
      LIMIT ${typed(maxSpans, 'UInt32')}`,
    { max_result_rows: String(maxSpans + 1) },
  );
  // An export retried after its answer was lost stores its spans twice; the trace shows each span once.
  const seen = new Set<string>();
  const spans = rows.filter((r) => !seen.has(r.SpanId) && seen.add(r.SpanId));
  const links = new Map<string, LinkRowOut>();
  if (spans.some((r) => r.LinkCount > 0)) {
    // In the order of the spans read: the linked spans of that page come first, whatever the trace holds beyond it.
    const linkRows = await db.query<LinkRowOut>(
      sql`SELECT ${LINK_COLUMNS} FROM ${db.table('spans')} WHERE ${where} AND notEmpty(Links.TraceId)
        ORDER BY Timestamp, SpanId
        LIMIT ${typed(maxSpans, 'UInt32')}`,
      { max_result_rows: String(maxSpans + 1) },
    );
    for (const l of linkRows) if (!links.has(l.SpanId)) links.set(l.SpanId, l);
  }
  return spans.map((span) => ({ span, links: links.get(span.SpanId) }));
}

/**
 * A trace's spans as stored (attribute texts with their OTLP types, what an OTLP export needs), ordered by start time;
 * null when the trace is unknown in this project. With the trace's window known, only that trace's granules are read:
 * its hours, then its id, lead the spans' primary key.
 */
export async function getStoredTrace(
  db: Database,
  projectId: number,
  traceId: string,
  maxSpans: number,
  known?: TraceWindow,
): Promise<StoredSpan[] | null> {
  const window = known ?? (await traceWindow(db, projectId, traceId));
  const rows = window ? await traceRows(db, projectId, traceId, maxSpans, window) : [];
  return rows.length === 0 ? null : rows.map((r) => toStoredSpan(r.span, r.links));
}

/** All spans of one trace as the API answers them (see getStoredTrace); null when unknown. */
export async function getTrace(db: Database, projectId: number, traceId: string, maxSpans: number, known?: TraceWindow): Promise<TraceSpan[] | null> {
  return (await getStoredTrace(db, projectId, traceId, maxSpans, known))?.map(toTraceSpan) ?? null;
}

export interface TraceRead {
  spans: TraceSpan[];
  errors: TraceError[];
  logs: TraceLog[];
  logsTruncated: boolean;
}

/**
 * What the trace view needs in one call: spans, linked error events and log records. One trace_index lookup says
 * where each of them is (an unknown trace ends there); the reads then run with those windows as constants, and the
 * error and log reads only for a trace that has such records (on embedded chDB each costs ~8 ms even when it finds
 * nothing). A trace known only from its error events or log records (an SDK with tracing off, spans sampled out or
 * expired) is answered with no spans: its errors and logs are what the user came for. Null when nothing of it is
 * stored in this project.
 */
export async function readTrace(
  db: Database,
  projectId: number,
  traceId: string,
  limits: { maxSpans: number; maxLogs: number },
): Promise<TraceRead | null> {
  const extent = await traceExtent(db, projectId, traceId);
  if (!extent.spans && !extent.errors && !extent.logs) return null;
  const [spans, errors, logs] = await Promise.all([
    extent.spans ? getTrace(db, projectId, traceId, limits.maxSpans, extent.spans) : null,
    extent.errors ? errorsForTrace(db, projectId, traceId, extent.errors) : [],
    extent.logs && limits.maxLogs > 0 ? logsForTrace(db, projectId, traceId, limits.maxLogs, extent.logs) : { logs: [], truncated: false },
  ]);
  // The index can outlive the rows it points at by a merge (retention drops rows first): nothing read is unknown.
  if (!spans && errors.length === 0 && logs.logs.length === 0) return null;
  return { spans: spans ?? [], errors, logs: logs.logs, logsTruncated: logs.truncated };
}
