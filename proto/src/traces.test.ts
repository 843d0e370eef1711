import { describe, expect, test } from 'vitest';
import { type JsonStyle, encodeRequest, jsonBody, jsonRequest, spansJson } from './fixtures/otlp.ts';
import { SPAN_1, TRACE_A, expectedSpans, traceRequest } from './fixtures/trace-request.ts';
import { decodeTraces } from './index.ts';

describe('decodeTraces', () => {
  test('protobuf: every field of every span', () => {
    const result = decodeTraces(encodeRequest('traces', traceRequest()), 'protobuf');
    expect(result.rejected).toEqual([]);
    expect(result.items).toEqual(expectedSpans());
    expect(result.stats).toEqual({ received: 4, truncatedValues: 0, droppedAttributes: 0 });
  });

  test('protobuf: spans of one resource share the resource and scope objects', () => {
    const { items } = decodeTraces(encodeRequest('traces', traceRequest()), 'protobuf');
    expect(items[0]?.resource).toBe(items[1]?.resource);
    expect(items[0]?.scope).toBe(items[1]?.scope);
  });

  const styles: Record<string, JsonStyle> = {
    'canonical (lower-case hex, enum names, int64 strings)': {},
    'upper-case hex ids': { upperHex: true },
    'enums as numbers': { enumNames: false },
    'int64 as numbers where exact': { int64AsNumbers: true, upperHex: true },
    'snake_case field names': { snakeCase: true },
    'unknown fields everywhere': { unknownFields: true, snakeCase: true },
  };
  for (const [name, style] of Object.entries(styles)) {
    test(`JSON, ${name}: same spans as protobuf`, () => {
      const result = decodeTraces(jsonRequest('traces', traceRequest(), style), 'json');
      expect(result.rejected).toEqual([]);
      expect(result.items).toEqual(expectedSpans());
    });
  }

  test('JSON: hand-written request as SDKs send it', () => {
    const body = jsonBody({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
          scopeSpans: [
            {
              scope: { name: 'manual' },
              spans: [
                {
                  traceId: TRACE_A.toUpperCase(),
                  spanId: SPAN_1.toUpperCase(),
                  parentSpanId: '',
                  name: 'handler',
                  kind: 'SPAN_KIND_SERVER',
                  startTimeUnixNano: '1544712660000000000',
                  endTimeUnixNano: 1544712661000000000,
                  attributes: [{ key: 'n', value: { intValue: 42 } }],
                  status: { code: 'STATUS_CODE_ERROR', message: 'failed' },
                },
              ],
            },
          ],
        },
      ],
    });
    const [span] = decodeTraces(body, 'json').items;
    expect(span).toMatchObject({
      traceId: TRACE_A,
      spanId: SPAN_1,
      parentSpanId: '',
      kind: 2,
      startTimeUnixNano: 1544712660000000000n,
      endTimeUnixNano: 1544712661000000000n,
      attributes: { n: 42 },
      statusCode: 2,
      statusMessage: 'failed',
      serviceName: 'api',
      scope: { name: 'manual', version: '', attributes: {} },
    });
  });

  test('JSON: an integer beyond 2^53 written as a number keeps every digit', () => {
    const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${TRACE_A}","spanId":"${SPAN_1}",
      "startTimeUnixNano":1700000000123456789,"endTimeUnixNano":"1700000000123456790",
      "attributes":[{"key":"big","value":{"intValue":-9007199254740993}},{"key":"d","value":{"doubleValue":12345678901234567890}},
        {"key":"s","value":{"stringValue":"x: 12345678901234567890,"}}]}]}]}]}`;
    const [span] = decodeTraces(new TextEncoder().encode(body), 'json').items;
    expect(span?.startTimeUnixNano).toBe(1700000000123456789n);
    expect(span?.endTimeUnixNano).toBe(1700000000123456790n);
    expect(span?.attributes).toEqual({ big: -9007199254740993n, d: Number('12345678901234567890'), s: 'x: 12345678901234567890,' });
  });

  test('unknown enum values read as the zero value', () => {
    const body = jsonBody(spansJson({ kind: 9, status: { code: 7 } }));
    expect(decodeTraces(body, 'json').items[0]).toMatchObject({ kind: 0, statusCode: 0 });
  });

  test('empty requests decode to nothing', () => {
    for (const [body, format] of [
      [new Uint8Array(0), 'protobuf'],
      [jsonBody({}), 'json'],
      [jsonBody({ resourceSpans: [] }), 'json'],
      [jsonBody({ resourceSpans: null }), 'json'],
      [jsonBody({ resourceSpans: [{ scopeSpans: [{}] }] }), 'json'],
    ] as const) {
      expect(decodeTraces(body, format)).toEqual({ items: [], rejected: [], stats: expect.objectContaining({ received: 0 }) });
    }
  });
});
