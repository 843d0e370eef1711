import { describe, expect, test } from 'vitest';
import { SentryFormatError } from './errors.ts';
import { sentrySpansV2ToSpans } from './span-v2.ts';

const TRACE = '1f6ea137f210485db3e5fac1168bb7f6';

describe('span v2 items', () => {
  test('typed attributes, segment kind, release as service and version, bad spans left out', () => {
    const spans = sentrySpansV2ToSpans(
      {
        items: [
          {
            trace_id: TRACE,
            span_id: 'b3c5417d8c8b0caa',
            name: 'POST /checkout',
            start_timestamp: 1764070000.123456,
            end_timestamp: 1764070000.223456,
            status: 'ok',
            is_segment: true,
            attributes: {
              'sentry.op': { type: 'string', value: 'http.server' },
              'sentry.release': { type: 'string', value: 'shop@2.3.1' },
              'sentry.environment': { type: 'string', value: 'staging' },
              'http.response.status_code': { type: 'integer', value: 200 },
            },
          },
          { trace_id: TRACE, span_id: 'b5a97cd311bd02cc', parent_span_id: 'b3c5417d8c8b0caa', name: 'charge', start_timestamp: 1764070000.13, end_timestamp: 1764070000.2, status: 'error', is_segment: false, attributes: {} },
          { trace_id: 'bad', span_id: 'x', name: 'broken' },
        ],
      },
      { defaultServiceName: 'sentry' },
    );
    expect(spans).toHaveLength(2);
    const [root, child] = spans;
    expect(root).toMatchObject({ traceId: TRACE, kind: 2, serviceName: 'shop', statusCode: 1, startTimeUnixNano: 1764070000123456000n, endTimeUnixNano: 1764070000223456000n });
    expect(root?.resource).toEqual({ 'service.name': 'shop', 'service.version': 'shop@2.3.1', 'deployment.environment.name': 'staging' });
    expect(root?.attributes['http.response.status_code']).toBe(200);
    expect(child).toMatchObject({ parentSpanId: 'b3c5417d8c8b0caa', kind: 1, statusCode: 2, serviceName: 'sentry' });
  });

  test('a container without items is refused', () => {
    expect(() => sentrySpansV2ToSpans({ spans: [] }, { defaultServiceName: 's' })).toThrow(SentryFormatError);
  });
});
