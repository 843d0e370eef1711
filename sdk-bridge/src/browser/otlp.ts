/** OTLP/JSON encoding of spans (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding). */
import type { AttributeValue } from '../exception.ts';
import type { SpanRecord } from './tracer.ts';

type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } };
interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface Scope {
  name: string;
  version: string;
}

const MAX_STRING = 16_000;

function anyValue(value: AttributeValue): AnyValue {
  if (Array.isArray(value)) return { arrayValue: { values: value.map((v) => anyValue(v)) } };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  return { stringValue: value.length > MAX_STRING ? value.slice(0, MAX_STRING) : value };
}

export function keyValues(attributes: Record<string, AttributeValue>): KeyValue[] {
  const out: KeyValue[] = [];
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== undefined && value !== null) out.push({ key, value: anyValue(value) });
  }
  return out;
}

/**
 * Epoch milliseconds (fractional) as decimal nanoseconds. Multiplying by 1e6 would pass 2^53 and lose
 * digits, so the whole milliseconds and the sub-millisecond part are written separately.
 */
export function toNanos(ms: number): string {
  let whole = Math.floor(ms);
  let frac = Math.round((ms - whole) * 1e6);
  if (frac >= 1e6) {
    whole += 1;
    frac -= 1e6;
  }
  return whole === 0 && frac === 0 ? '0' : `${whole}${String(frac).padStart(6, '0')}`;
}

function encodeSpan(span: SpanRecord) {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    ...(span.traceState ? { traceState: span.traceState } : {}),
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: toNanos(span.start),
    endTimeUnixNano: toNanos(span.end),
    attributes: keyValues(span.attributes),
    events: span.events.map((e) => ({ timeUnixNano: toNanos(e.time), name: e.name, attributes: keyValues(e.attributes) })),
    status: span.status.message ? { code: span.status.code, message: span.status.message } : { code: span.status.code },
  };
}

/** One ExportTraceServiceRequest body: a single resource and scope, since the page is one service. */
export function encodeTraces(resource: Record<string, AttributeValue>, scope: Scope, spans: readonly SpanRecord[]): string {
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: keyValues(resource) }, scopeSpans: [{ scope, spans: spans.map(encodeSpan) }] }],
  });
}
