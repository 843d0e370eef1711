import { describe, expect, test } from 'vitest';
import { SpanKind, type Attributes, type Span, type SpanKindValue } from '@faultline/proto';
import { makeSpan } from '../../../storage/src/testing/make-span.ts';
import { makeLog } from '../../../storage/src/testing/make-log.ts';
import { errorFromLog, errorsFromSpan, transactionName } from './extract-otlp.ts';

function span(name: string, kind: SpanKindValue, attributes: Attributes = {}): Span {
  return makeSpan({ name, kind, attributes });
}

describe('transactionName', () => {
  test('http.route with the method: current and older semantic conventions', () => {
    expect(transactionName(span('POST', SpanKind.SERVER, { 'http.request.method': 'POST', 'http.route': '/api/checkout' }))).toBe('POST /api/checkout');
    expect(transactionName(span('HTTP GET', SpanKind.SERVER, { 'http.method': 'GET', 'http.route': '/orders/:id', 'http.target': '/orders/42' }))).toBe('GET /orders/:id');
    // The route wins over a raw path, and over a span name that is not just the method.
    expect(transactionName(span('handle', SpanKind.INTERNAL, { 'http.request.method': 'PUT', 'http.route': '/items/{id}', 'url.path': '/items/7' }))).toBe('PUT /items/{id}');
    expect(transactionName(span('x', SpanKind.SERVER, { 'http.request.method': '_OTHER', 'http.request.method_original': 'PURGE', 'http.route': '/cache' }))).toBe('PURGE /cache');
    expect(transactionName(span('/health', SpanKind.SERVER, { 'http.route': '/health' }))).toBe('/health');
  });

  test('a server span named only by its method takes the path without its query string', () => {
    expect(transactionName(span('POST', SpanKind.SERVER, { 'http.request.method': 'POST', 'url.path': '/api/pay' }))).toBe('POST /api/pay');
    expect(transactionName(span('HTTP GET', SpanKind.SERVER, { 'http.method': 'GET', 'http.target': '/search?q=shoes&page=2' }))).toBe('GET /search');
    expect(transactionName(span('get', SpanKind.SERVER, { 'http.target': '/a#frag' }))).toBe('GET /a');
    expect(transactionName(span('POST', SpanKind.SERVER, { 'url.path': '/p', 'http.target': '/t?x=1' }))).toBe('POST /p');
  });

  test('otherwise the span name', () => {
    // Not a server span: a client's path is not this service's transaction.
    expect(transactionName(span('POST', SpanKind.CLIENT, { 'http.request.method': 'POST', 'url.path': '/upstream' }))).toBe('POST');
    // The name already says more than the method.
    expect(transactionName(span('POST /pay', SpanKind.SERVER, { 'http.request.method': 'POST', 'url.path': '/pay/123' }))).toBe('POST /pay');
    // No path to add.
    expect(transactionName(span('POST', SpanKind.SERVER, { 'http.request.method': 'POST', 'http.target': '?x=1' }))).toBe('POST');
    expect(transactionName(span('GET', SpanKind.SERVER))).toBe('GET');
    expect(transactionName(span('process order', SpanKind.CONSUMER, { 'messaging.system': 'kafka' }))).toBe('process order');
  });
});

describe('errorsFromSpan', () => {
  test('the event transaction is named from the span; the trace context keeps the span name as op', () => {
    const s = span('POST', SpanKind.SERVER, { 'http.request.method': 'POST', 'http.route': '/api/checkout', 'url.path': '/api/checkout' });
    s.events = [{ timeUnixNano: 3n, name: 'exception', attributes: { 'exception.type': 'Error', 'exception.message': 'boom' }, droppedAttributesCount: 0 }];
    const [event] = errorsFromSpan(s);
    expect(event?.transaction).toBe('POST /api/checkout');
    expect(event?.contexts.trace).toMatchObject({ op: 'POST' });
  });
});

describe('exception ids: one error however many signals carry it, every occurrence of it counted', () => {
  const exception: Attributes = { 'exception.type': 'QuotaError', 'exception.message': 'quota exceeded', 'exception.stacktrace': 'QuotaError: quota exceeded\n    at reserve (/app/quota.js:9:3)' };
  const spanWith = (n: number): Span => {
    const span = makeSpan({ name: 'batch' });
    span.events = Array.from({ length: n }, (_, i) => ({ timeUnixNano: span.startTimeUnixNano + BigInt(i), name: 'exception', attributes: exception, droppedAttributesCount: 0 }));
    return span;
  };

  test('the same failure recorded for three items of a batch span is three events', () => {
    expect(new Set(errorsFromSpan(spanWith(3)).map((e) => e.eventId)).size).toBe(3);
  });

  test('logged with exception.* attributes in the same span, it is the same event as the span event', () => {
    const span = spanWith(2);
    const ids = errorsFromSpan(span).map((e) => e.eventId);
    const seen = new Map<string, number>();
    const logged = [0, 1, 2].map((i) => errorFromLog(makeLog({ traceId: span.traceId, spanId: span.spanId, timeUnixNano: span.startTimeUnixNano + 1000n + BigInt(i), attributes: exception }), seen)?.eventId);
    expect(logged.slice(0, 2)).toEqual(ids);
    // A third logged occurrence has no span event to match: it is an error of its own.
    expect(ids).not.toContain(logged[2]);
    // Without a span, a record's time tells occurrences apart.
    const lone = (t: bigint) => errorFromLog(makeLog({ timeUnixNano: t, attributes: exception }))?.eventId;
    expect(lone(1n)).not.toBe(lone(2n));
  });
});
