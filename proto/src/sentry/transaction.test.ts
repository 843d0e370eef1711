import { describe, expect, test } from 'vitest';
import { SpanKind, StatusCode } from '../model.ts';
import { ROOT_SPAN_ID, TRACE_ID, nodeTransaction } from './fixtures.ts';
import { SentryFormatError, sentryTransactionToSpans } from './index.ts';

const opts = { serviceName: 'checkout-api', receivedAtMs: 1718031240000 };

describe('sentryTransactionToSpans: @sentry/node 8 server transaction', () => {
  const spans = sentryTransactionToSpans(nodeTransaction(), opts);
  const [root, db, http, fn] = spans;

  test('the transaction and its usable children become spans; bad children are left out', () => {
    expect(spans.map((s) => s.spanId)).toEqual([ROOT_SPAN_ID, '1111aaaa2222bbbb', '3333cccc4444dddd', '5555eeee6666ffff']);
    expect(spans.every((s) => s.traceId === TRACE_ID)).toBe(true);
  });

  test('the transaction is a server span with the trace context', () => {
    expect(root).toMatchObject({
      parentSpanId: 'b7ad6b7169203331',
      name: 'GET /users/:id',
      kind: SpanKind.SERVER,
      startTimeUnixNano: 1718031234100123000n,
      endTimeUnixNano: 1718031234587654000n,
      statusCode: StatusCode.ERROR,
      statusMessage: 'internal_error',
      serviceName: 'checkout-api',
      traceState: '',
      events: [],
      links: [],
    });
    expect(root!.attributes).toEqual({
      'sentry.source': 'route',
      'http.method': 'GET',
      'http.response.status_code': 500,
      'sentry.sample_rate': 1,
      region: 'eu-west-1',
      'sentry.op': 'http.server',
      'sentry.origin': 'auto.http.otel.http',
      'sentry.transaction.source': 'route',
    });
  });

  test('resource and scope come from the SDK, release and environment', () => {
    expect(root!.resource).toEqual({
      'service.name': 'checkout-api',
      'service.version': 'checkout@2.4.1',
      'deployment.environment.name': 'production',
      'telemetry.sdk.name': 'sentry.javascript.node',
      'telemetry.sdk.version': '8.9.2',
    });
    expect(root!.scope).toEqual({ name: 'sentry.javascript.node', version: '8.9.2', attributes: {} });
    expect(db!.resource).toBe(root!.resource);
  });

  test('a database child: client kind, description as name, microseconds kept', () => {
    expect(db).toMatchObject({
      parentSpanId: ROOT_SPAN_ID,
      name: 'SELECT id, name FROM users WHERE id = $1',
      kind: SpanKind.CLIENT,
      startTimeUnixNano: 1718031234200001000n,
      endTimeUnixNano: 1718031234250002000n,
      statusCode: StatusCode.OK,
      statusMessage: '',
    });
    expect(db!.attributes).toEqual({ 'db.system': 'postgresql', 'sentry.op': 'db', 'sentry.origin': 'auto.db.otel.postgres' });
  });

  test('an HTTP client child with a failing status and tags', () => {
    expect(http).toMatchObject({
      parentSpanId: '1111aaaa2222bbbb',
      kind: SpanKind.CLIENT,
      statusCode: StatusCode.ERROR,
      statusMessage: 'not_found',
    });
    expect(http!.attributes).toEqual({
      'http.response.status_code': 404,
      'url.full': 'http://users.internal/42',
      retry: '1',
      'sentry.op': 'http.client',
    });
  });

  test('a child without description or parent: named by op, hung under the transaction, status unset', () => {
    expect(fn).toMatchObject({ name: 'function', kind: SpanKind.INTERNAL, parentSpanId: ROOT_SPAN_ID, statusCode: StatusCode.UNSET });
  });
});

describe('sentryTransactionToSpans: other shapes', () => {
  const minimal = (trace: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    contexts: { trace: { trace_id: TRACE_ID, span_id: ROOT_SPAN_ID, ...trace } },
    start_timestamp: '2024-06-10T14:53:54.100123Z',
    timestamp: '2024-06-10T14:53:54.200456Z',
    ...extra,
  });

  test('a browser pageload is internal; ISO times; no release or sdk means a bare resource', () => {
    const [root] = sentryTransactionToSpans(minimal({ op: 'pageload', status: 'ok' }, { transaction: '/checkout' }), opts);
    expect(root).toMatchObject({
      name: '/checkout',
      kind: SpanKind.INTERNAL,
      parentSpanId: '',
      startTimeUnixNano: 1718031234100123000n,
      endTimeUnixNano: 1718031234200456000n,
      statusCode: StatusCode.OK,
      resource: { 'service.name': 'checkout-api' },
      scope: { name: 'sentry', version: '' },
    });
  });

  test('a transaction without op is a server span named by its op fallback', () => {
    const [root] = sentryTransactionToSpans(minimal({}), opts);
    expect(root).toMatchObject({ kind: SpanKind.SERVER, name: '<unlabeled transaction>', statusCode: StatusCode.UNSET });
  });

  test('db.* ops are client spans, other ops internal', () => {
    const child = (op: string) => ({ span_id: 'abcdefabcdefabcd', op, start_timestamp: 1718031234.15, timestamp: 1718031234.16 });
    const kinds = ['db.sql.query', 'db.redis', 'dbx', 'http.client', 'middleware.express'].map(
      (op) => sentryTransactionToSpans(minimal({}, { spans: [child(op)] }), opts)[1]!.kind,
    );
    expect(kinds).toEqual([SpanKind.CLIENT, SpanKind.CLIENT, SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.INTERNAL]);
  });

  test('an unusable transaction is refused with the reason', () => {
    const reason = (payload: unknown) => {
      try {
        sentryTransactionToSpans(payload, opts);
      } catch (err) {
        expect(err).toBeInstanceOf(SentryFormatError);
        return (err as Error).message;
      }
      return 'no error';
    };
    expect(reason('tx')).toBe('transaction must be a JSON object');
    expect(reason({ contexts: {} })).toBe('transaction contexts.trace.trace_id is not 32 hex characters');
    expect(reason(minimal({ span_id: '00f0' }))).toBe('transaction contexts.trace.span_id is not 16 hex characters');
    expect(reason(minimal({}, { start_timestamp: undefined }))).toBe('transaction start_timestamp is missing or not a timestamp');
    expect(reason(minimal({}, { timestamp: null }))).toBe('transaction timestamp is missing or not a timestamp');
    expect(reason(minimal({}, { timestamp: 1 }))).toBe('transaction timestamp is before its start_timestamp');
  });
});
