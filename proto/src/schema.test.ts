import type protobuf from 'protobufjs';
import { describe, expect, test } from 'vitest';
import { otlpSchema } from './index.ts';

/** Field numbers and types that must match opentelemetry-proto exactly, or the wire format breaks. */
const FIELDS: [string, string, number, string][] = [
  ['common.v1.AnyValue', 'intValue', 3, 'int64'],
  ['common.v1.AnyValue', 'bytesValue', 7, 'bytes'],
  ['common.v1.InstrumentationScope', 'droppedAttributesCount', 4, 'uint32'],
  ['resource.v1.Resource', 'entityRefs', 3, 'opentelemetry.proto.common.v1.EntityRef'],
  ['trace.v1.Span', 'traceId', 1, 'bytes'],
  ['trace.v1.Span', 'parentSpanId', 4, 'bytes'],
  ['trace.v1.Span', 'flags', 16, 'fixed32'],
  ['trace.v1.Span', 'startTimeUnixNano', 7, 'fixed64'],
  ['trace.v1.Span', 'status', 15, 'Status'],
  ['trace.v1.Span.Link', 'flags', 6, 'fixed32'],
  ['trace.v1.Status', 'code', 3, 'StatusCode'],
  ['logs.v1.LogRecord', 'observedTimeUnixNano', 11, 'fixed64'],
  ['logs.v1.LogRecord', 'eventName', 12, 'string'],
  ['logs.v1.LogRecord', 'traceId', 9, 'bytes'],
  ['metrics.v1.Metric', 'exponentialHistogram', 10, 'ExponentialHistogram'],
  ['metrics.v1.Metric', 'metadata', 12, 'opentelemetry.proto.common.v1.KeyValue'],
  ['metrics.v1.NumberDataPoint', 'asInt', 6, 'sfixed64'],
  ['metrics.v1.HistogramDataPoint', 'bucketCounts', 6, 'fixed64'],
  ['metrics.v1.HistogramDataPoint', 'max', 12, 'double'],
  ['metrics.v1.ExponentialHistogramDataPoint', 'zeroThreshold', 14, 'double'],
  ['metrics.v1.ExponentialHistogramDataPoint.Buckets', 'bucketCounts', 2, 'uint64'],
  ['collector.trace.v1.ExportTracePartialSuccess', 'rejectedSpans', 1, 'int64'],
  ['collector.logs.v1.ExportLogsPartialSuccess', 'rejectedLogRecords', 1, 'int64'],
  ['collector.metrics.v1.ExportMetricsPartialSuccess', 'rejectedDataPoints', 1, 'int64'],
];

describe('otlpSchema', () => {
  test('loads once', () => {
    expect(otlpSchema()).toBe(otlpSchema());
  });

  test.each(FIELDS)('%s.%s is field %i of type %s', (message, field, id, type) => {
    const t: protobuf.Type = otlpSchema().root.lookupType(`opentelemetry.proto.${message}`);
    expect(t.fields[field]?.id).toBe(id);
    expect(t.fields[field]?.type).toBe(type);
  });

  test('histogram sum/min/max are proto3 optional (presence is tracked)', () => {
    const t = otlpSchema().root.lookupType('opentelemetry.proto.metrics.v1.HistogramDataPoint');
    expect(t.fields['sum']?.partOf?.name).toBe('_sum');
  });

  test('enum names for OTLP/JSON', () => {
    const { enums } = otlpSchema();
    expect(enums.spanKind['SPAN_KIND_CONSUMER']).toBe(5);
    expect(enums.statusCode['STATUS_CODE_ERROR']).toBe(2);
    expect(enums.severityNumber['SEVERITY_NUMBER_FATAL4']).toBe(24);
    expect(enums.aggregationTemporality['AGGREGATION_TEMPORALITY_CUMULATIVE']).toBe(2);
  });
});
