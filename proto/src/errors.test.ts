import { describe, expect, test } from 'vitest';
import { type Obj, encodeRequest, jsonBody, spansJson, spansProtobuf } from './fixtures/otlp.ts';
import { traceRequest } from './fixtures/trace-request.ts';
import { DecodeError, decodeLogs, decodeMetrics, decodeTraces } from './index.ts';

/** Hand-assembled protobuf: a length-delimited field holding `payload`. */
function ld(field: number, ...payload: number[]): number[] {
  return [(field << 3) | 2, payload.length, ...payload];
}

function decodeError(run: () => unknown): DecodeError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as Error).name).toBe('DecodeError');
    return err as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

const pb = (bytes: number[] | Uint8Array) => decodeError(() => decodeTraces(new Uint8Array(bytes), 'protobuf')).message;

describe('protobuf that is not a request', () => {
  test('truncated body', () => {
    const body = encodeRequest('traces', traceRequest());
    expect(pb(body.subarray(0, body.length - 3))).toMatch(
      new RegExp(
        '^invalid protobuf: index out of range at byte \\d+: ' +
          'field resourceSpans \\(1\\) of ExportTraceServiceRequest declares \\d+ bytes but only \\d+ remain$',
      ),
    );
  });

  test('body cut inside a varint', () => {
    expect(pb([0x0a, 0x80])).toBe('invalid protobuf: index out of range at byte 1: varint runs past the end of the message');
  });

  test('wrong wire type for a known field', () => {
    expect(pb([0x08, 0x01])).toBe(
      'invalid protobuf: wrong wire type 0 at byte 0: field resourceSpans (1) of ExportTraceServiceRequest expects wire type 2',
    );
    // resourceSpans → scopeSpans → spans → span_id sent as a varint.
    expect(pb(ld(1, ...ld(2, ...ld(2, 0x10, 0x05))))).toBe(
      'invalid protobuf: wrong wire type 0 at byte 6: field spanId (2) of Span expects wire type 2',
    );
  });

  test('a nested message longer than its parent', () => {
    // ScopeSpans claims 10 bytes inside a ResourceSpans that only has 2.
    expect(pb([0x0a, 0x02, 0x12, 0x0a])).toBe(
      'invalid protobuf: index out of range at byte 2: field scopeSpans (2) of ResourceSpans declares 10 bytes but only 0 remain',
    );
  });

  test('invalid tags', () => {
    expect(pb([0x00])).toBe('invalid protobuf: invalid field number 0 at byte 0: in ExportTraceServiceRequest');
    expect(pb([0x1f])).toBe('invalid protobuf: invalid wire type 7 at byte 0: unknown field 3 of ExportTraceServiceRequest');
    expect(pb([0x0e])).toBe(
      'invalid protobuf: wrong wire type 6 at byte 0: field resourceSpans (1) of ExportTraceServiceRequest expects wire type 2',
    );
    expect(pb(Array(11).fill(0xff))).toBe('invalid protobuf: malformed varint at byte 0: longer than 10 bytes');
  });

  test('JSON sent as protobuf', () => {
    expect(pb([...new TextEncoder().encode('{"resourceSpans":[]}')])).toMatch(/^invalid protobuf: invalid wire type 3 at byte 0/);
  });

  test('unknown fields with valid wire types are skipped', () => {
    const unknown = [0xa0, 0x06, 0x01, 0xa9, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0xb2, 0x06, 0x01, 0x00, 0xbd, 0x06, 1, 2, 3, 4];
    expect(decodeTraces(new Uint8Array([...unknown, ...spansProtobuf({})]), 'protobuf').items).toHaveLength(1);
  });

  test('packed fields of the wrong size', () => {
    // resourceMetrics → scopeMetrics → metrics → histogram (9) → dataPoints → bucketCounts packed, 3 bytes.
    const body = ld(1, ...ld(2, ...ld(2, ...ld(9, ...ld(1, ...ld(6, 1, 2, 3))))));
    expect(decodeError(() => decodeMetrics(new Uint8Array(body), 'protobuf')).message).toBe(
      'invalid protobuf: malformed packed field at byte 10: ' +
        'packed field bucketCounts (6) of HistogramDataPoint is not a multiple of 8 bytes',
    );
  });
});

const json = (value: unknown) => decodeError(() => decodeTraces(jsonBody(value), 'json')).message;
const text = (body: string) => decodeError(() => decodeTraces(new TextEncoder().encode(body), 'json')).message;
const spanError = (span: Obj) => json(spansJson(span));
const SPAN = 'resourceSpans[0].scopeSpans[0].spans[0]';

describe('JSON that is not a request', () => {
  test('syntax errors keep the parser position', () => {
    expect(text('{"resourceSpans": [')).toMatch(/^invalid JSON: .*JSON/);
    expect(text('')).toMatch(/^invalid JSON: /);
    expect(text('{"a":1,}')).toMatch(/position 7/);
  });

  test('not UTF-8', () => {
    expect(decodeError(() => decodeLogs(new Uint8Array([0x7b, 0xff, 0x7d]), 'json')).message).toBe(
      'invalid JSON: body is not valid UTF-8',
    );
  });

  test('top level must be an object', () => {
    for (const body of ['[]', 'null', '"x"', '42']) {
      expect(text(body)).toBe('invalid JSON: the request must be a JSON object');
    }
  });

  test('containers of the wrong type name their path', () => {
    expect(json({ resourceSpans: {} })).toBe('invalid JSON: resourceSpans must be an array');
    expect(json({ resourceSpans: [{ scopeSpans: 'x' }] })).toBe('invalid JSON: resourceSpans[0].scopeSpans must be an array');
    expect(json({ resourceSpans: [{ scopeSpans: [5] }] })).toBe('invalid JSON: resourceSpans[0].scopeSpans[0] must be an object');
    expect(json({ resourceSpans: [{ resource: [] }] })).toBe('invalid JSON: resourceSpans[0].resource must be an object');
    expect(json({ resource_spans: [{ scope_spans: [{ spans: {} }] }] })).toBe(
      'invalid JSON: resourceSpans[0].scopeSpans[0].spans must be an array',
    );
  });

  test('scalar fields of the wrong type name their path', () => {
    expect(spanError({ name: 5 })).toBe(`invalid JSON: ${SPAN}.name must be a string`);
    expect(spanError({ traceId: 123 })).toBe(`invalid JSON: ${SPAN}.traceId must be a hex string`);
    expect(spanError({ kind: 'SPAN_KIND_BOGUS' })).toBe(`invalid JSON: ${SPAN}.kind has unknown enum value "SPAN_KIND_BOGUS"`);
    expect(spanError({ flags: 'x' })).toBe(`invalid JSON: ${SPAN}.flags must be an unsigned 32-bit integer`);
    expect(spanError({ droppedAttributesCount: -1 })).toBe(
      `invalid JSON: ${SPAN}.droppedAttributesCount must be an unsigned 32-bit integer`,
    );
    expect(spanError({ status: { code: 'X' } })).toBe(`invalid JSON: ${SPAN}.status.code has unknown enum value "X"`);
    for (const bad of ['12.5', -5, '0x10', ' 12', 1.5, true, 1e20, '18446744073709551616']) {
      expect(spanError({ endTimeUnixNano: bad })).toBe(
        `invalid JSON: ${SPAN}.endTimeUnixNano must be an unsigned 64-bit integer (decimal string or number)`,
      );
    }
  });

  test('attribute values of the wrong type name their path', () => {
    const attr = (value: unknown) => spanError({ attributes: [{ key: 'ok', value: { stringValue: 'x' } }, { key: 'k', value }] });
    expect(attr({ intValue: 'abc' })).toBe(
      `invalid JSON: ${SPAN}.attributes[1].value.intValue must be a 64-bit integer (decimal string or number)`,
    );
    expect(attr({ intValue: '9223372036854775808' })).toMatch(/intValue must be a 64-bit integer/);
    expect(attr({ intValue: 1e20 })).toMatch(/intValue must be a 64-bit integer/);
    expect(attr({ intValue: 1.5 })).toMatch(/intValue must be a 64-bit integer/);
    expect(attr({ bytesValue: '!!' })).toBe(`invalid JSON: ${SPAN}.attributes[1].value.bytesValue must be a base64 string`);
    expect(attr({ doubleValue: 'fast' })).toBe(`invalid JSON: ${SPAN}.attributes[1].value.doubleValue must be a number`);
    expect(attr({ kvlistValue: { values: [{ key: 'a', value: { arrayValue: { values: [{}, { boolValue: 'yes' }] } } }] } })).toBe(
      `invalid JSON: ${SPAN}.attributes[1].value.kvlistValue.values[0].value.arrayValue.values[1].boolValue must be true or false`,
    );
    expect(spanError({ attributes: [{ key: 7 }] })).toBe(`invalid JSON: ${SPAN}.attributes[0].key must be a string`);
  });

  test('resource and scope errors name their path', () => {
    expect(json({ resourceSpans: [{ resource: { attributes: [{ key: 1 }] } }] })).toBe(
      'invalid JSON: resourceSpans[0].resource.attributes[0].key must be a string',
    );
    expect(json({ resourceSpans: [{ scopeSpans: [{ scope: { name: 1 } }] }] })).toBe(
      'invalid JSON: resourceSpans[0].scopeSpans[0].scope.name must be a string',
    );
  });

  test('logs and metrics report paths the same way', () => {
    const logs = jsonBody({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { intValue: {} } }] }] }] });
    expect(decodeError(() => decodeLogs(logs, 'json')).message).toBe(
      'invalid JSON: resourceLogs[0].scopeLogs[0].logRecords[0].body.intValue must be a 64-bit integer (decimal string or number)',
    );
    const histogram = { dataPoints: [{ timeUnixNano: '1', bucketCounts: ['1', 'x'] }] };
    const metrics = jsonBody({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'm', histogram }] }] }] });
    expect(decodeError(() => decodeMetrics(metrics, 'json')).message).toBe(
      'invalid JSON: resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].bucketCounts[1] ' +
        'must be an unsigned 64-bit integer (decimal string or number)',
    );
  });
});
