import { describe, expect, test } from 'vitest';
import { encodeTracesJson, type StoredSpan } from './otlp-json-export.ts';
import { decodeTraces } from './traces.ts';

const none = { values: {}, types: {} };
const TRACE = '5b8efff798038103d269b633813fc60c';

function stored(overrides: Partial<StoredSpan>): StoredSpan {
  return {
    traceId: TRACE,
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: '',
    traceState: '',
    name: 'GET /cart',
    serviceName: 'frontend',
    kind: 'SERVER',
    startTimeUnixNano: '1700000000123456789',
    durationNano: '2500000',
    statusCode: 'UNSET',
    statusMessage: '',
    attributes: none,
    resource: { values: { 'service.name': 'frontend', 'host.cores': '8' }, types: { 'host.cores': 'int' } },
    scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' },
    events: [],
    links: [],
    ...overrides,
  };
}

const decode = (body: unknown) => decodeTraces(new TextEncoder().encode(JSON.stringify(body)), 'json');

describe('stored spans to OTLP/JSON', () => {
  test('our own OTLP/JSON decoder reads back every field, attribute types included', () => {
    const root = stored({
      traceState: 'vendor=1',
      attributes: {
        values: {
          'http.route': '/cart',
          'http.status_code': '503',
          ratio: '0.25',
          cached: 'false',
          big: '9007199254740993',
          raw: 'AP9/gA==',
          tags: '["a",2,1.5,true]',
          nested: '{"k":"v","n":3}',
          nothing: '',
        },
        types: {
          'http.status_code': 'int',
          ratio: 'double',
          cached: 'bool',
          big: 'int',
          raw: 'bytes',
          tags: 'array',
          nested: 'kvlist',
          nothing: 'null',
        },
      },
      statusCode: 'ERROR',
      statusMessage: 'upstream timed out',
      events: [
        { timeUnixNano: '1700000000124000000', name: 'exception', attributes: { values: { 'exception.type': 'TimeoutError' }, types: {} } },
      ],
      links: [
        {
          traceId: 'a'.repeat(32),
          spanId: 'b'.repeat(16),
          traceState: 'x=y',
          attributes: { values: { 'link.n': '1' }, types: { 'link.n': 'int' } },
        },
      ],
    });
    const child = stored({
      spanId: '1111111111111111',
      parentSpanId: root.spanId,
      name: 'SELECT carts',
      kind: 'CLIENT',
      durationNano: '1000',
      scope: { name: 'pg', version: '' },
    });
    const { items, rejected } = decode(encodeTracesJson([root, child]));
    expect(rejected).toEqual([]);
    const [r, c] = items;
    expect(r).toMatchObject({
      traceId: TRACE,
      spanId: root.spanId,
      parentSpanId: '',
      traceState: 'vendor=1',
      name: 'GET /cart',
      kind: 2,
      startTimeUnixNano: 1700000000123456789n,
      endTimeUnixNano: 1700000000125956789n,
      statusCode: 2,
      statusMessage: 'upstream timed out',
      serviceName: 'frontend',
      resource: { 'service.name': 'frontend', 'host.cores': 8 },
      scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' },
    });
    expect(r?.attributes).toEqual({
      'http.route': '/cart',
      'http.status_code': 503,
      ratio: 0.25,
      cached: false,
      big: 9007199254740993n,
      raw: new Uint8Array([0, 255, 127, 128]),
      tags: ['a', 2, 1.5, true],
      nested: { k: 'v', n: 3 },
      nothing: null,
    });
    expect(r?.events).toEqual([
      {
        timeUnixNano: 1700000000124000000n,
        name: 'exception',
        attributes: { 'exception.type': 'TimeoutError' },
        droppedAttributesCount: 0,
      },
    ]);
    expect(r?.links).toMatchObject([{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceState: 'x=y', attributes: { 'link.n': 1 } }]);
    expect(c).toMatchObject({ parentSpanId: root.spanId, kind: 3, scope: { name: 'pg' }, endTimeUnixNano: 1700000000123457789n });
  });

  test('spans are grouped by resource, then scope; a resource without service.name gets the stored service', () => {
    const a = stored({ spanId: '1'.repeat(16) });
    const b = stored({ spanId: '2'.repeat(16), scope: { name: 'other', version: '' } });
    const c = stored({
      spanId: '3'.repeat(16),
      serviceName: 'sentry-app',
      resource: { values: { 'deployment.environment': 'prod' }, types: {} },
    });
    const body = encodeTracesJson([a, b, c]) as {
      resourceSpans: Array<{ resource: { attributes: unknown[] }; scopeSpans: Array<{ spans: unknown[] }> }>;
    };
    expect(body.resourceSpans.map((rs) => rs.scopeSpans.map((ss) => ss.spans.length))).toEqual([[1, 1], [1]]);
    expect(body.resourceSpans[1]?.resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'sentry-app' } },
      { key: 'deployment.environment', value: { stringValue: 'prod' } },
    ]);
    expect(decode(body).items.map((s) => s.serviceName)).toEqual(['frontend', 'frontend', 'sentry-app']);
  });
});
