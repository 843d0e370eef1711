import type { LogRecord, MetricPoint, Span } from '@faultline/proto';
import { encodeAttributes } from './attributes.ts';
import type { Database } from './database.ts';
import { encodeSpans, SPAN_COLUMNS, spanDuration } from './span-row-binary.ts';
import { nanosToDateTime64 } from './time.ts';

const KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUS_NAMES = ['UNSET', 'OK', 'ERROR'] as const;

/** A span of one project, ready to be written. */
export interface ProjectSpan {
  projectId: number;
  span: Span;
}

export function spanRow(projectId: number, span: Span): Record<string, unknown> {
  const resource = encodeAttributes(span.resource);
  const attributes = encodeAttributes(span.attributes);
  const events = span.events.map((e) => ({ time: nanosToDateTime64(e.timeUnixNano), name: e.name, attrs: encodeAttributes(e.attributes) }));
  const links = span.links.map((l) => ({ ...l, attrs: encodeAttributes(l.attributes) }));
  return {
    ProjectId: projectId,
    Timestamp: nanosToDateTime64(span.startTimeUnixNano),
    TraceId: span.traceId,
    SpanId: span.spanId,
    ParentSpanId: span.parentSpanId,
    TraceState: span.traceState,
    SpanName: span.name,
    SpanKind: KIND_NAMES[span.kind] ?? 'UNSPECIFIED',
    ServiceName: span.serviceName,
    ResourceAttributes: resource.values,
    ResourceAttributeTypes: resource.types,
    ScopeName: span.scope.name,
    ScopeVersion: span.scope.version,
    SpanAttributes: attributes.values,
    SpanAttributeTypes: attributes.types,
    Duration: spanDuration(span).toString(),
    StatusCode: STATUS_NAMES[span.statusCode] ?? 'UNSET',
    StatusMessage: span.statusMessage,
    'Events.Timestamp': events.map((e) => e.time),
    'Events.Name': events.map((e) => e.name),
    'Events.Attributes': events.map((e) => e.attrs.values),
    'Events.AttributeTypes': events.map((e) => e.attrs.types),
    'Links.TraceId': links.map((l) => l.traceId),
    'Links.SpanId': links.map((l) => l.spanId),
    'Links.TraceState': links.map((l) => l.traceState),
    'Links.Attributes': links.map((l) => l.attrs.values),
    'Links.AttributeTypes': links.map((l) => l.attrs.types),
  };
}

function bodyText(body: LogRecord['body']): { text: string; type: string } {
  if (typeof body === 'string') return { text: body, type: 'string' };
  const encoded = encodeAttributes({ body });
  return { text: encoded.values.body ?? '', type: encoded.types.body ?? 'string' };
}

export function logRow(projectId: number, log: LogRecord): Record<string, unknown> {
  const resource = encodeAttributes(log.resource);
  const attributes = encodeAttributes(log.attributes);
  const body = bodyText(log.body);
  // OTLP allows both times to be unset; the receive time is the best we have then.
  const observed = log.observedTimeUnixNano === 0n ? BigInt(Date.now()) * 1_000_000n : log.observedTimeUnixNano;
  const time = log.timeUnixNano === 0n ? observed : log.timeUnixNano;
  return {
    ProjectId: projectId,
    Timestamp: nanosToDateTime64(time),
    ObservedTimestamp: nanosToDateTime64(observed),
    TraceId: log.traceId,
    SpanId: log.spanId,
    TraceFlags: log.flags & 0xff,
    SeverityText: log.severityText,
    SeverityNumber: log.severityNumber,
    ServiceName: log.serviceName,
    Body: body.text,
    BodyType: body.type,
    EventName: log.eventName,
    ResourceAttributes: resource.values,
    ResourceAttributeTypes: resource.types,
    ScopeName: log.scope.name,
    ScopeVersion: log.scope.version,
    LogAttributes: attributes.values,
    LogAttributeTypes: attributes.types,
  };
}

/**
 * Writes spans of many projects in one insert (the collector's group commit hands us whole batches): as
 * RowBinary on embedded chDB, as row objects (JSON) on a server.
 */
export async function insertSpans(db: Database, rows: readonly ProjectSpan[]): Promise<void> {
  if (rows.length === 0) return;
  if (db.insertRowBinary) await db.insertRowBinary('spans', SPAN_COLUMNS, encodeSpans(rows), rows.length);
  else await db.insert('spans', rows.map((r) => spanRow(r.projectId, r.span)));
}

export async function insertLogs(db: Database, rows: readonly Record<string, unknown>[]): Promise<void> {
  await db.insert('logs', rows);
}

function finite(n: number | null): number | null {
  return n === null || Number.isFinite(n) ? n : null;
}

export function metricRow(projectId: number, point: MetricPoint): Record<string, unknown> {
  const detail = point.exponential ? { exponential: point.exponential } : point.quantiles.length > 0 ? { quantiles: point.quantiles } : null;
  return {
    ProjectId: projectId,
    Timestamp: nanosToDateTime64(point.timeUnixNano),
    StartTimestamp: nanosToDateTime64(point.startTimeUnixNano),
    MetricName: point.name,
    MetricType: point.type,
    Unit: point.unit,
    Description: point.description,
    ServiceName: point.serviceName,
    ResourceAttributes: encodeAttributes(point.resource).values,
    ScopeName: point.scope.name,
    Attributes: encodeAttributes(point.attributes).values,
    Value: Number.isFinite(point.value) ? point.value : 0,
    IsMonotonic: point.isMonotonic,
    Temporality: point.aggregationTemporality,
    Flags: point.flags,
    Count: point.count,
    Sum: finite(point.sum),
    Min: finite(point.min),
    Max: finite(point.max),
    BucketCounts: point.bucketCounts,
    ExplicitBounds: point.explicitBounds.map((b) => (Number.isFinite(b) ? b : b > 0 ? 1.7976931348623157e308 : -1.7976931348623157e308)),
    Detail: detail ? JSON.stringify(detail) : '',
  };
}

export async function insertMetrics(db: Database, rows: readonly Record<string, unknown>[]): Promise<void> {
  await db.insert('metric_points', rows);
}
