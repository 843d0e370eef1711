import { describe, expect, test } from 'vitest';
import { encodeExportResponse, otlpSchema } from './index.ts';

const text = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown;

describe('encodeExportResponse', () => {
  const cases = [
    ['traces', 'rejectedSpans', () => otlpSchema().traceResponse],
    ['logs', 'rejectedLogRecords', () => otlpSchema().logsResponse],
    ['metrics', 'rejectedDataPoints', () => otlpSchema().metricsResponse],
  ] as const;

  for (const [signal, field, type] of cases) {
    test(`${signal}: full success is the empty message`, () => {
      expect(encodeExportResponse(signal, 'protobuf')).toEqual(new Uint8Array(0));
      expect(encodeExportResponse(signal, 'protobuf', { rejected: 0, message: '' })).toHaveLength(0);
      expect(text(encodeExportResponse(signal, 'json'))).toEqual({});
    });

    test(`${signal}: partial success decodes back with protobufjs`, () => {
      const bytes = encodeExportResponse(signal, 'protobuf', { rejected: 3, message: 'span 1: trace_id must be 16 bytes, got 15' });
      const decoded = type().toObject(type().decode(bytes), { longs: String });
      expect(decoded).toEqual({ partialSuccess: { [field]: '3', errorMessage: 'span 1: trace_id must be 16 bytes, got 15' } });
    });

    test(`${signal}: partial success as proto3 JSON (int64 as string)`, () => {
      const bytes = encodeExportResponse(signal, 'json', { rejected: 2, message: 'bad' });
      expect(text(bytes)).toEqual({ partialSuccess: { [field]: '2', errorMessage: 'bad' } });
    });
  }

  test('a warning without rejections is still reported', () => {
    expect(text(encodeExportResponse('logs', 'json', { rejected: 0, message: 'values truncated' }))).toEqual({
      partialSuccess: { errorMessage: 'values truncated' },
    });
    const bytes = encodeExportResponse('logs', 'protobuf', { rejected: 0, message: 'values truncated' });
    expect(otlpSchema().logsResponse.toObject(otlpSchema().logsResponse.decode(bytes))).toEqual({
      partialSuccess: { errorMessage: 'values truncated' },
    });
  });

  test('large counts survive', () => {
    const bytes = encodeExportResponse('metrics', 'protobuf', { rejected: 2 ** 40, message: '' });
    const decoded = otlpSchema().metricsResponse.toObject(otlpSchema().metricsResponse.decode(bytes), { longs: String });
    expect(decoded).toEqual({ partialSuccess: { rejectedDataPoints: String(2 ** 40) } });
  });

  test('a negative or fractional count is a programming error', () => {
    expect(() => encodeExportResponse('traces', 'json', { rejected: -1, message: '' })).toThrow(RangeError);
    expect(() => encodeExportResponse('traces', 'protobuf', { rejected: 1.5, message: '' })).toThrow(RangeError);
  });
});
