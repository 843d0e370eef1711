// An OTLP/JSON trace export (the trace page's "OTLP JSON" download, a collector's file exporter, Tempo) read in
// the browser into the API's trace shape, so the waterfall can show a file nobody ingested.
import type { ApiSpan, ApiTrace, Attributes, AttributeValue, SpanKind, StatusCode } from '../api/types.ts';

type Json = Record<string, unknown>;

const KINDS: readonly SpanKind[] = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUSES: readonly StatusCode[] = ['UNSET', 'OK', 'ERROR'];

export class TraceFileError extends Error {}

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Ids are hex in OTLP/JSON; some writers put protobuf's base64 instead. '' when neither. */
function hexId(v: unknown, bytes: number): string {
  const s = text(v);
  if (s.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(s)) return s.toLowerCase();
  try {
    const raw = atob(s);
    if (raw.length !== bytes) return '';
    return Array.from(raw, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  } catch {
    return '';
  }
}

/** An enum written as its number or its proto name (`SPAN_KIND_SERVER`, `STATUS_CODE_ERROR`). */
function enumValue<T extends string>(v: unknown, names: readonly T[], prefix: string): T {
  if (typeof v === 'number') return names[v] ?? (names[0] as T);
  const name = text(v).replace(prefix, '') as T;
  return names.includes(name) ? name : (names[0] as T);
}

function anyValue(v: unknown): AttributeValue {
  const value = obj(v);
  if ('stringValue' in value) return text(value.stringValue);
  if ('boolValue' in value) return value.boolValue === true;
  if ('intValue' in value) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : text(value.intValue);
  }
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('bytesValue' in value) return text(value.bytesValue);
  if ('arrayValue' in value) return list(obj(value.arrayValue).values).map(anyValue);
  if ('kvlistValue' in value) return attributes(obj(value.kvlistValue).values);
  return null;
}

function attributes(v: unknown): Attributes {
  const out: Attributes = {};
  for (const kv of list(v)) out[text(obj(kv).key)] = anyValue(obj(kv).value);
  return out;
}

function nanos(v: unknown): bigint {
  const s = text(v);
  return /^\d{1,20}$/.test(s) ? BigInt(s) : 0n;
}

function toSpan(node: Json, resource: Attributes, scope: Json): ApiSpan | null {
  const traceId = hexId(node.traceId, 16);
  const spanId = hexId(node.spanId, 8);
  if (!traceId || !spanId) return null;
  const start = nanos(node.startTimeUnixNano);
  const end = nanos(node.endTimeUnixNano);
  const status = obj(node.status);
  return {
    traceId,
    spanId,
    parentSpanId: hexId(node.parentSpanId, 8),
    name: text(node.name),
    kind: enumValue(node.kind, KINDS, 'SPAN_KIND_'),
    serviceName: typeof resource['service.name'] === 'string' ? resource['service.name'] : '',
    startTimeUnixNano: start.toString(),
    durationNano: (end > start ? end - start : 0n).toString(),
    statusCode: enumValue(status.code, STATUSES, 'STATUS_CODE_'),
    statusMessage: text(status.message),
    attributes: attributes(node.attributes),
    resource,
    scope: { name: text(scope.name), version: text(scope.version) },
    events: list(node.events).map((e) => ({
      timeUnixNano: nanos(obj(e).timeUnixNano).toString(),
      name: text(obj(e).name),
      attributes: attributes(obj(e).attributes),
    })),
    links: list(node.links).map((l) => ({
      traceId: hexId(obj(l).traceId, 16),
      spanId: hexId(obj(l).spanId, 8),
      traceState: text(obj(l).traceState),
      attributes: attributes(obj(l).attributes),
    })),
  };
}

/**
 * The traces of an OTLP/JSON ExportTraceServiceRequest (or a file of them, one per line, as collectors' file
 * exporters write), the one with the most spans first. Spans without valid ids are left out; a file with none
 * throws TraceFileError saying what was expected.
 */
export function parseTraceFile(content: string): ApiTrace[] {
  const requests: unknown[] = [];
  try {
    requests.push(JSON.parse(content));
  } catch {
    try {
      for (const line of content.split('\n')) if (line.trim()) requests.push(JSON.parse(line));
    } catch {
      throw new TraceFileError('the file is not JSON: expected an OTLP/JSON export request ({"resourceSpans": [...]})');
    }
  }
  const byTrace = new Map<string, ApiSpan[]>();
  for (const request of requests) {
    for (const rs of list(obj(request).resourceSpans)) {
      const resource = attributes(obj(obj(rs).resource).attributes);
      for (const ss of list(obj(rs).scopeSpans)) {
        for (const node of list(obj(ss).spans)) {
          const span = toSpan(obj(node), resource, obj(obj(ss).scope));
          if (!span) continue;
          const spans = byTrace.get(span.traceId);
          if (spans) spans.push(span);
          else byTrace.set(span.traceId, [span]);
        }
      }
    }
  }
  if (byTrace.size === 0)
    throw new TraceFileError('the file holds no spans: expected an OTLP/JSON export request ({"resourceSpans": [...]})');
  return [...byTrace.entries()]
    .map(([traceId, spans]): ApiTrace => ({ traceId, spans, errors: [], logs: [], logsTruncated: false }))
    .sort((a, b) => b.spans.length - a.spans.length);
}
