/**
 * Stored spans back to an OTLP/JSON ExportTraceServiceRequest (the body `POST /v1/traces` takes with
 * `Content-Type: application/json`), so a trace can be downloaded, attached to a ticket and sent to any OTLP
 * receiver — another Faultline included. Ids are hex and 64-bit integers decimal strings, as OTLP/JSON writes
 * them; spans are grouped under their resource and scope.
 */

/** Attributes as storage keeps them: every value's text, and the OTLP type of those that are not strings. */
export interface StoredAttributes {
  values: Readonly<Record<string, string>>;
  types: Readonly<Record<string, string>>;
}

export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  /** The resource's `service.name` (or what ingest named the service when the resource had none). */
  serviceName: string;
  /** `SERVER`, `CLIENT`, … as stored. */
  kind: string;
  startTimeUnixNano: string;
  durationNano: string;
  /** `UNSET`, `OK` or `ERROR`. */
  statusCode: string;
  statusMessage: string;
  attributes: StoredAttributes;
  resource: StoredAttributes;
  scope: { name: string; version: string };
  events: ReadonlyArray<{ timeUnixNano: string; name: string; attributes: StoredAttributes }>;
  links: ReadonlyArray<{ traceId: string; spanId: string; traceState: string; attributes: StoredAttributes }>;
}

type AnyValueJson =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { bytesValue: string }
  | { arrayValue: { values: AnyValueJson[] } }
  | { kvlistValue: { values: KeyValueJson[] } }
  | Record<string, never>;

interface KeyValueJson {
  key: string;
  value: AnyValueJson;
}

const KINDS: Readonly<Record<string, number>> = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const STATUS: Readonly<Record<string, number>> = { UNSET: 0, OK: 1, ERROR: 2 };

/**
 * A value inside a stored array or kvlist (kept as JSON text): the element types were not recorded, so integral
 * numbers come back as ints, others as doubles, and 64-bit ints or bytes that were written as strings as strings.
 */
function fromJson(value: unknown): AnyValueJson {
  if (value === null || value === undefined) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(fromJson) } };
  return { kvlistValue: { values: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: fromJson(v) })) } };
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function anyValue(text: string, type: string | undefined): AnyValueJson {
  switch (type) {
    case undefined:
      return { stringValue: text };
    case 'int':
      return { intValue: text };
    case 'double':
      return { doubleValue: Number(text) };
    case 'bool':
      return { boolValue: text === 'true' };
    case 'bytes':
      return { bytesValue: text };
    case 'null':
      return {};
    default:
      // 'array' and 'kvlist': the stored JSON of the value.
      return fromJson(parsed(text));
  }
}

function keyValues(a: StoredAttributes): KeyValueJson[] {
  return Object.keys(a.values).map((key) => ({ key, value: anyValue(a.values[key] ?? '', a.types[key]) }));
}

/** The resource's attributes, with `service.name` first when ingest named the service from elsewhere (Sentry). */
function resourceOf(span: StoredSpan): StoredAttributes {
  if ('service.name' in span.resource.values || span.serviceName === '') return span.resource;
  return { values: { 'service.name': span.serviceName, ...span.resource.values }, types: span.resource.types };
}

function endNano(span: StoredSpan): string {
  return (BigInt(span.startTimeUnixNano) + BigInt(span.durationNano)).toString();
}

function spanJson(span: StoredSpan): Record<string, unknown> {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    ...(span.traceState ? { traceState: span.traceState } : {}),
    name: span.name,
    kind: KINDS[span.kind] ?? 0,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: endNano(span),
    attributes: keyValues(span.attributes),
    events: span.events.map((e) => ({ timeUnixNano: e.timeUnixNano, name: e.name, attributes: keyValues(e.attributes) })),
    links: span.links.map((l) => ({
      traceId: l.traceId,
      spanId: l.spanId,
      ...(l.traceState ? { traceState: l.traceState } : {}),
      attributes: keyValues(l.attributes),
    })),
    status: { code: STATUS[span.statusCode] ?? 0, ...(span.statusMessage ? { message: span.statusMessage } : {}) },
  };
}

/** One ExportTraceServiceRequest holding the spans, in their order within each resource and scope. */
export function encodeTracesJson(spans: readonly StoredSpan[]): { resourceSpans: unknown[] } {
  const resources = new Map<
    string,
    { resource: StoredAttributes; scopes: Map<string, { scope: StoredSpan['scope']; spans: unknown[] }> }
  >();
  for (const span of spans) {
    const resource = resourceOf(span);
    // Attribute order is the stored (sorted) order, so equal resources give equal keys.
    const resourceKey = JSON.stringify([resource.values, resource.types]);
    let entry = resources.get(resourceKey);
    if (!entry) resources.set(resourceKey, (entry = { resource, scopes: new Map() }));
    const scopeKey = JSON.stringify([span.scope.name, span.scope.version]);
    let scope = entry.scopes.get(scopeKey);
    if (!scope) entry.scopes.set(scopeKey, (scope = { scope: span.scope, spans: [] }));
    scope.spans.push(spanJson(span));
  }
  return {
    resourceSpans: [...resources.values()].map(({ resource, scopes }) => ({
      resource: { attributes: keyValues(resource) },
      scopeSpans: [...scopes.values()].map(({ scope, spans: list }) => ({
        scope: { name: scope.name, ...(scope.version ? { version: scope.version } : {}) },
        spans: list,
      })),
    })),
  };
}
