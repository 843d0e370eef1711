/**
 * Sentry transactions into OTLP-shaped spans: the transaction itself becomes the local root span and
 * every entry of `spans[]` a child. A bad child is dropped alone; only a transaction whose own ids or
 * times are unusable is refused, since its children would have nothing to hang from.
 */
import { type Attributes, type InstrumentationScope, type Span, type SpanKindValue, SpanKind, StatusCode } from '../model.ts';
import { SentryFormatError } from './errors.ts';
import { timestampNs } from './time.ts';
import { type Obj, hexId, isObject, objectOr, put, readTags, str, toAttributes } from './values.ts';

export interface TransactionOptions {
  /** Service the spans are stored under (the caller resolves it, e.g. from the project or `contexts.app`). */
  serviceName: string;
  receivedAtMs: number;
}

/** What every span of one transaction shares. */
interface Shared {
  traceId: string;
  serviceName: string;
  resource: Attributes;
  scope: InstrumentationScope;
}

function rootKind(op: string): SpanKindValue {
  return op === '' || op === 'http.server' ? SpanKind.SERVER : SpanKind.INTERNAL;
}

function childKind(op: string): SpanKindValue {
  return op === 'http.client' || op === 'db' || op.startsWith('db.') ? SpanKind.CLIENT : SpanKind.INTERNAL;
}

/** Sentry span statuses are gRPC-style names; only `ok` is a success, a missing one says nothing. */
function status(v: unknown): { statusCode: Span['statusCode']; statusMessage: string } {
  const text = str(v);
  if (text === '') return { statusCode: StatusCode.UNSET, statusMessage: '' };
  if (text === 'ok') return { statusCode: StatusCode.OK, statusMessage: '' };
  return { statusCode: StatusCode.ERROR, statusMessage: text };
}

function attributesOf(data: unknown, tags: unknown, op: string, origin: unknown): Attributes {
  const attributes = toAttributes(objectOr(data));
  for (const [key, value] of Object.entries(readTags(tags))) put(attributes, key, value);
  if (op !== '') attributes['sentry.op'] = op;
  const originText = str(origin);
  if (originText !== '') attributes['sentry.origin'] = originText;
  return attributes;
}

function resourceOf(t: Obj, serviceName: string): Attributes {
  const resource: Attributes = { 'service.name': serviceName };
  const sdk = objectOr(t.sdk);
  const fields: [string, unknown][] = [
    ['service.version', t.release],
    ['deployment.environment.name', t.environment],
    ['telemetry.sdk.name', sdk.name],
    ['telemetry.sdk.version', sdk.version],
  ];
  for (const [key, value] of fields) {
    const text = str(value);
    if (text !== '') resource[key] = text;
  }
  return resource;
}

function makeSpan(
  shared: Shared,
  fields: Pick<
    Span,
    'spanId' | 'parentSpanId' | 'name' | 'kind' | 'startTimeUnixNano' | 'endTimeUnixNano' | 'attributes' | 'statusCode' | 'statusMessage'
  >,
): Span {
  return {
    traceId: shared.traceId,
    traceState: '',
    flags: 0,
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    serviceName: shared.serviceName,
    resource: shared.resource,
    scope: shared.scope,
    ...fields,
  };
}

function readRoot(t: Obj, shared: Shared, trace: Obj): Span {
  const spanId = hexId(trace.span_id, 16);
  if (spanId === '') throw new SentryFormatError('transaction contexts.trace.span_id is not 16 hex characters');
  const start = timestampNs(t.start_timestamp);
  const end = timestampNs(t.timestamp);
  if (start === null) throw new SentryFormatError('transaction start_timestamp is missing or not a timestamp');
  if (end === null) throw new SentryFormatError('transaction timestamp is missing or not a timestamp');
  if (end < start) throw new SentryFormatError('transaction timestamp is before its start_timestamp');
  const op = str(trace.op);
  const attributes = attributesOf(trace.data, t.tags, op, trace.origin);
  const source = str(objectOr(t.transaction_info).source);
  if (source !== '') attributes['sentry.transaction.source'] = source;
  return makeSpan(shared, {
    spanId,
    parentSpanId: hexId(trace.parent_span_id, 16),
    name: str(t.transaction) || op || '<unlabeled transaction>',
    kind: rootKind(op),
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes,
    ...status(trace.status),
  });
}

/** A child span, or null when its ids or times are unusable. */
function readChild(s: Obj, shared: Shared, rootSpanId: string): Span | null {
  const spanId = hexId(s.span_id, 16);
  const start = timestampNs(s.start_timestamp);
  const end = timestampNs(s.timestamp);
  if (spanId === '' || start === null || end === null || end < start) return null;
  // Children of another trace cannot be stored under this transaction's trace id.
  if (s.trace_id !== undefined && hexId(s.trace_id, 32) !== shared.traceId) return null;
  const op = str(s.op);
  return makeSpan(shared, {
    spanId,
    parentSpanId: s.parent_span_id === undefined ? rootSpanId : hexId(s.parent_span_id, 16),
    name: str(s.description) || op || '<unnamed span>',
    kind: childKind(op),
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes: attributesOf(s.data, s.tags, op, s.origin),
    ...status(s.status),
  });
}

/**
 * Converts a `transaction` item. Throws SentryFormatError when the transaction itself is unusable;
 * children with bad ids or times are left out.
 */
export function sentryTransactionToSpans(payload: unknown, opts: TransactionOptions): Span[] {
  if (!isObject(payload)) throw new SentryFormatError('transaction must be a JSON object');
  const trace = objectOr(objectOr(payload.contexts).trace);
  const traceId = hexId(trace.trace_id, 32);
  if (traceId === '') throw new SentryFormatError('transaction contexts.trace.trace_id is not 32 hex characters');
  const sdk = objectOr(payload.sdk);
  const shared: Shared = {
    traceId,
    serviceName: opts.serviceName,
    resource: resourceOf(payload, opts.serviceName),
    scope: { name: str(sdk.name) || 'sentry', version: str(sdk.version), attributes: {} },
  };
  const root = readRoot(payload, shared, trace);
  const spans = [root];
  const children = Array.isArray(payload.spans) ? payload.spans : [];
  for (const child of children) {
    const span = isObject(child) ? readChild(child, shared, root.spanId) : null;
    if (span !== null) spans.push(span);
  }
  return spans;
}
