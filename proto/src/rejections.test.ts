import { describe, expect, test } from 'vitest';
import { type Obj, bytes, encodeRequest, jsonBody, jsonSpan, pbSpan, spansJson, spansProtobuf } from './fixtures/otlp.ts';
import { decodeLogs, decodeTraces } from './index.ts';

/** A span field override given once as hex, applied to both wire formats. */
interface Case {
  name: string;
  fields: Record<string, string>;
  reason: string;
}

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

function forProtobuf(fields: Record<string, string>): Obj {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, ID_FIELDS.has(k) ? bytes(v) : v]));
}

const SPAN_CASES: Case[] = [
  { name: 'short trace id', fields: { traceId: '01'.repeat(15) }, reason: 'span 0: trace_id must be 16 bytes, got 15' },
  { name: 'long trace id', fields: { traceId: '01'.repeat(17) }, reason: 'span 0: trace_id must be 16 bytes, got 17' },
  { name: 'missing trace id', fields: { traceId: '' }, reason: 'span 0: trace_id must be 16 bytes, got 0' },
  { name: 'all-zero trace id', fields: { traceId: '00'.repeat(16) }, reason: 'span 0: trace_id must not be all zeros' },
  { name: 'short span id', fields: { spanId: '01'.repeat(7) }, reason: 'span 0: span_id must be 8 bytes, got 7' },
  { name: 'missing span id', fields: { spanId: '' }, reason: 'span 0: span_id must be 8 bytes, got 0' },
  { name: 'all-zero span id', fields: { spanId: '00'.repeat(8) }, reason: 'span 0: span_id must not be all zeros' },
  { name: 'odd parent id', fields: { parentSpanId: '01'.repeat(4) }, reason: 'span 0: parent_span_id must be 8 bytes, got 4' },
  {
    name: 'end before start',
    fields: { startTimeUnixNano: '1700000000000000002', endTimeUnixNano: '1700000000000000001' },
    reason: 'span 0: end_time_unix_nano 1700000000000000001 is before start_time_unix_nano 1700000000000000002',
  },
  { name: 'zero start time', fields: { startTimeUnixNano: '0', endTimeUnixNano: '5' }, reason: 'span 0: start_time_unix_nano is 0' },
];

describe('span rejections', () => {
  for (const { name, fields, reason } of SPAN_CASES) {
    test(`${name}: rejected with a reason, in both formats`, () => {
      for (const result of [
        decodeTraces(spansProtobuf(forProtobuf(fields)), 'protobuf'),
        decodeTraces(jsonBody(spansJson(fields)), 'json'),
      ]) {
        expect(result.items).toEqual([]);
        expect(result.rejected).toEqual([{ index: 0, reason }]);
        expect(result.stats.received).toBe(1);
      }
    });
  }

  test('JSON ids that are not hex (e.g. base64) are rejected', () => {
    const traceId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex').toString('base64');
    const result = decodeTraces(jsonBody(spansJson({ traceId }, { spanId: 'zz'.repeat(8) })), 'json');
    expect(result.rejected).toEqual([
      { index: 0, reason: 'span 0: trace_id is not a hex string' },
      { index: 1, reason: 'span 1: span_id is not a hex string' },
    ]);
  });

  test('an all-zero parent span id means a root span', () => {
    for (const result of [
      decodeTraces(spansProtobuf({ parentSpanId: bytes('00'.repeat(8)) }), 'protobuf'),
      decodeTraces(jsonBody(spansJson({ parentSpanId: '00'.repeat(8) })), 'json'),
    ]) {
      expect(result.rejected).toEqual([]);
      expect(result.items[0]?.parentSpanId).toBe('');
    }
  });

  test('equal start and end times are fine', () => {
    const result = decodeTraces(jsonBody(spansJson({ endTimeUnixNano: '1700000000000000000' })), 'json');
    expect(result.rejected).toEqual([]);
  });

  test('the index counts spans across resources and scopes in request order', () => {
    const bad = { spanId: bytes('00'.repeat(8)) };
    const request = {
      resourceSpans: [
        { scopeSpans: [{ spans: [pbSpan({ name: 'a' }), pbSpan(bad)] }, { spans: [pbSpan({ name: 'b' })] }] },
        { scopeSpans: [{ spans: [pbSpan({ name: 'c' }), pbSpan({ ...bad, name: 'd' })] }] },
      ],
    };
    const result = decodeTraces(encodeRequest('traces', request), 'protobuf');
    expect(result.items.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 4]);
    expect(result.rejected[1]?.reason).toBe('span 4: span_id must not be all zeros');
    expect(result.stats.received).toBe(5);
  });

  test('a rejected span does not stop the others (JSON)', () => {
    const result = decodeTraces(jsonBody(spansJson({ name: 'ok' }, { traceId: 'ab' }, jsonSpan({ name: 'ok too' }))), 'json');
    expect(result.items.map((s) => s.name)).toEqual(['ok', 'ok too']);
    expect(result.rejected).toEqual([{ index: 1, reason: 'span 1: trace_id must be 16 bytes, got 1' }]);
  });
});

function logsJson(...records: Obj[]): Uint8Array {
  return jsonBody({ resourceLogs: [{ scopeLogs: [{ logRecords: records }] }] });
}

function logsProtobuf(...records: Obj[]): Uint8Array {
  return encodeRequest('logs', { resourceLogs: [{ scopeLogs: [{ logRecords: records }] }] });
}

describe('log record rejections', () => {
  const cases: Case[] = [
    { name: 'short trace id', fields: { traceId: '01'.repeat(3) }, reason: 'log record 0: trace_id must be 16 bytes, got 3' },
    { name: 'long span id', fields: { spanId: '01'.repeat(9) }, reason: 'log record 0: span_id must be 8 bytes, got 9' },
  ];
  for (const { name, fields, reason } of cases) {
    test(`${name}: rejected with a reason, in both formats`, () => {
      for (const result of [decodeLogs(logsProtobuf(forProtobuf(fields)), 'protobuf'), decodeLogs(logsJson(fields), 'json')]) {
        expect(result.items).toEqual([]);
        expect(result.rejected).toEqual([{ index: 0, reason }]);
      }
    });
  }

  test('absent and all-zero ids both mean "not correlated"', () => {
    const zero = { traceId: '00'.repeat(16), spanId: '00'.repeat(8) };
    for (const result of [
      decodeLogs(logsProtobuf({}, forProtobuf(zero)), 'protobuf'),
      decodeLogs(logsJson({}, zero), 'json'),
    ]) {
      expect(result.rejected).toEqual([]);
      expect(result.items.map((r) => [r.traceId, r.spanId])).toEqual([
        ['', ''],
        ['', ''],
      ]);
    }
  });

  test('records without a timestamp are kept', () => {
    const result = decodeLogs(logsJson({ body: { stringValue: 'x' } }), 'json');
    expect(result.items).toHaveLength(1);
    expect(result.items[0]?.timeUnixNano).toBe(0n);
  });
});
