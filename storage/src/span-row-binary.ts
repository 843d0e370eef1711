import type { AttributeValue, Attributes, Span } from '@faultline/proto';
import { valueText, valueType } from './attributes.ts';
import { RowBinaryWriter } from './row-binary.ts';
import type { ProjectSpan } from './spans-writer.ts';
import { clampNanos, MAX_NANOS } from './time.ts';

/** The columns of `spans` in the order `writeSpan` writes them (Nested columns flattened). */
export const SPAN_COLUMNS = [
  'ProjectId',
  'Timestamp',
  'TraceId',
  'SpanId',
  'ParentSpanId',
  'TraceState',
  'SpanName',
  'SpanKind',
  'ServiceName',
  'ResourceAttributes',
  'ResourceAttributeTypes',
  'ScopeName',
  'ScopeVersion',
  'SpanAttributes',
  'SpanAttributeTypes',
  'Duration',
  'StatusCode',
  'StatusMessage',
  'Events.Timestamp',
  'Events.Name',
  'Events.Attributes',
  'Events.AttributeTypes',
  'Links.TraceId',
  'Links.SpanId',
  'Links.TraceState',
  'Links.Attributes',
  'Links.AttributeTypes',
] as const;

/** `Map(String, String)` of every value's text (the same text `encodeAttributes` gives). */
function writeValues(w: RowBinaryWriter, attributes: Attributes): void {
  w.counted(() => {
    let count = 0;
    for (const key in attributes) {
      const value = attributes[key] as AttributeValue;
      w.string(key);
      w.string(valueText(value));
      count++;
    }
    return count;
  });
}

/** `Map(String, String)` of the types of the values that are not strings. */
function writeTypes(w: RowBinaryWriter, attributes: Attributes): void {
  w.counted(() => {
    let count = 0;
    for (const key in attributes) {
      const type = valueType(attributes[key] as AttributeValue);
      if (type === null) continue;
      w.string(key);
      w.string(type);
      count++;
    }
    return count;
  });
}

/**
 * Duration in ns, never negative; the end is clamped so that start + duration stays inside DateTime64(9) (the
 * trace index adds them). Shared by both span encodings.
 */
export function spanDuration(span: Span): bigint {
  const end = span.endTimeUnixNano > MAX_NANOS ? MAX_NANOS : span.endTimeUnixNano;
  const duration = end - span.startTimeUnixNano;
  return duration < 0n ? 0n : duration;
}

function writeArray<T>(w: RowBinaryWriter, items: readonly T[], write: (item: T) => void): void {
  w.varint(items.length);
  for (const item of items) write(item);
}

/** One `spans` row, the same values as `spanRow` gives (kinds and statuses are the Enum8 values). */
export function writeSpan(w: RowBinaryWriter, projectId: number, span: Span): void {
  w.u32(projectId);
  w.i64(clampNanos(span.startTimeUnixNano));
  w.string(span.traceId);
  w.string(span.spanId);
  w.string(span.parentSpanId);
  w.string(span.traceState);
  w.string(span.name);
  w.u8(span.kind >= 0 && span.kind <= 5 ? span.kind : 0);
  w.string(span.serviceName);
  writeValues(w, span.resource);
  writeTypes(w, span.resource);
  w.string(span.scope.name);
  w.string(span.scope.version);
  writeValues(w, span.attributes);
  writeTypes(w, span.attributes);
  w.i64(spanDuration(span));
  w.u8(span.statusCode >= 0 && span.statusCode <= 2 ? span.statusCode : 0);
  w.string(span.statusMessage);
  writeArray(w, span.events, (e) => w.i64(clampNanos(e.timeUnixNano)));
  writeArray(w, span.events, (e) => w.string(e.name));
  writeArray(w, span.events, (e) => writeValues(w, e.attributes));
  writeArray(w, span.events, (e) => writeTypes(w, e.attributes));
  writeArray(w, span.links, (l) => w.string(l.traceId));
  writeArray(w, span.links, (l) => w.string(l.spanId));
  writeArray(w, span.links, (l) => w.string(l.traceState));
  writeArray(w, span.links, (l) => writeValues(w, l.attributes));
  writeArray(w, span.links, (l) => writeTypes(w, l.attributes));
}

/** The spans as one RowBinary payload for `SPAN_COLUMNS`. */
export function encodeSpans(rows: readonly ProjectSpan[]): Buffer {
  const w = new RowBinaryWriter(Math.max(1 << 16, rows.length * 640));
  for (const row of rows) writeSpan(w, row.projectId, row.span);
  return w.finish();
}
