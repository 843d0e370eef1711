/**
 * Sentry's streamed "span v2" item (`type: span`, `application/vnd.sentry.items.span.v2+json`): a
 * container `{items: [...]}` of spans with typed attributes `{key: {type, value}}`, sent by SDKs that
 * stream spans instead of whole transactions. Each becomes one of our spans; a bad one is left out alone.
 */
import { type Attributes, type AttributeValue, type Span, type SpanKindValue, SpanKind, StatusCode } from '../model.ts';
import { SentryFormatError } from './errors.ts';
import { timestampNs } from './time.ts';
import { type Obj, hexId, isObject, objectOr, str, toAttributeValue } from './values.ts';

export interface SpanV2Options {
  /** Service for spans whose release names none (`checkout@1.2.0` names `checkout`). */
  defaultServiceName: string;
}

function typedAttributes(raw: unknown): Attributes {
  const out: Attributes = {};
  for (const [key, entry] of Object.entries(objectOr(raw))) {
    if (key === '__proto__') continue;
    const value: unknown = isObject(entry) && 'value' in entry ? entry.value : entry;
    out[key] = toAttributeValue(value) as AttributeValue;
  }
  return out;
}

function kindOf(op: string, isSegment: boolean): SpanKindValue {
  if (op === 'http.client' || op === 'db' || op.startsWith('db.')) return SpanKind.CLIENT;
  if (op === 'http.server' || (isSegment && op === '')) return SpanKind.SERVER;
  return SpanKind.INTERNAL;
}

function text(attributes: Attributes, key: string): string {
  const v = attributes[key];
  return typeof v === 'string' ? v : '';
}

function serviceFor(release: string, fallback: string): string {
  const at = release.lastIndexOf('@');
  return at > 0 ? release.slice(0, at) : fallback;
}

function readSpan(s: Obj, opts: SpanV2Options): Span | null {
  const traceId = hexId(s.trace_id, 32);
  const spanId = hexId(s.span_id, 16);
  const start = timestampNs(s.start_timestamp);
  const end = timestampNs(s.end_timestamp) ?? start;
  if (traceId === '' || spanId === '' || start === null || end === null || end < start) return null;
  const attributes = typedAttributes(s.attributes);
  const release = text(attributes, 'sentry.release');
  const environment = text(attributes, 'sentry.environment');
  const serviceName = serviceFor(release, opts.defaultServiceName);
  const resource: Attributes = { 'service.name': serviceName };
  if (release) resource['service.version'] = release;
  if (environment) resource['deployment.environment.name'] = environment;
  const sdkName = text(attributes, 'sentry.sdk.name');
  if (sdkName) resource['telemetry.sdk.name'] = sdkName;
  const op = text(attributes, 'sentry.op');
  const failed = str(s.status) === 'error';
  return {
    traceId,
    spanId,
    parentSpanId: hexId(s.parent_span_id, 16),
    traceState: '',
    flags: 0,
    name: str(s.name) || op || '<unnamed span>',
    kind: kindOf(op, s.is_segment === true),
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes,
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    statusCode: failed ? StatusCode.ERROR : StatusCode.OK,
    statusMessage: failed ? 'error' : '',
    serviceName,
    resource,
    scope: { name: sdkName || 'sentry', version: text(attributes, 'sentry.sdk.version'), attributes: {} },
  };
}

export function sentrySpansV2ToSpans(payload: unknown, opts: SpanV2Options): Span[] {
  if (!isObject(payload) || !Array.isArray(payload.items)) throw new SentryFormatError('span item must be an object with an "items" array');
  const spans: Span[] = [];
  for (const item of payload.items) {
    const span = isObject(item) ? readSpan(item, opts) : null;
    if (span) spans.push(span);
  }
  return spans;
}
