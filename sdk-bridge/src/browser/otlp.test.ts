import { describe, expect, test } from 'vitest';
import { encodeTraces, toNanos } from './otlp.ts';
import { addEvent, endSpan, setError, SpanKind, startSpan } from './tracer.ts';

describe('OTLP/JSON encoding', () => {
  test('milliseconds become exact decimal nanoseconds', () => {
    expect(toNanos(1_700_000_000_000)).toBe('1700000000000000000');
    expect(toNanos(1_700_000_000_000.5)).toBe('1700000000000500000');
    expect(toNanos(1.000_000_4)).toBe('1000000');
    expect(toNanos(1.999_999_9)).toBe('2000000');
    expect(toNanos(0)).toBe('0');
  });

  test('spans, events, attributes and status in the OTLP/JSON shape', () => {
    const span = startSpan('POST', {
      parent: null,
      kind: SpanKind.CLIENT,
      start: 1000,
      attributes: { 'http.response.status_code': 500, ok: false, ratio: 0.5, tags: ['a', 'b'] },
    });
    addEvent(span, 'exception', { 'exception.type': 'Error' }, 1500);
    setError(span, 'HTTP 500');
    endSpan(span, 2000);
    const body = JSON.parse(encodeTraces({ 'service.name': 'web' }, { name: 'sdk', version: '1' }, [span])) as {
      resourceSpans: Array<{
        resource: { attributes: unknown[] };
        scopeSpans: Array<{ scope: unknown; spans: Array<Record<string, unknown>> }>;
      }>;
    };
    const resourceSpans = body.resourceSpans[0]!;
    expect(resourceSpans.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'web' } }]);
    const out = resourceSpans.scopeSpans[0]!.spans[0]!;
    expect(out).toMatchObject({
      traceId: span.traceId,
      spanId: span.spanId,
      name: 'POST',
      kind: 3,
      startTimeUnixNano: '1000000000',
      endTimeUnixNano: '2000000000',
      status: { code: 2, message: 'HTTP 500' },
      events: [{ timeUnixNano: '1500000000', name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'Error' } }] }],
    });
    expect(out.parentSpanId).toBeUndefined();
    expect(out.attributes).toEqual([
      { key: 'http.response.status_code', value: { intValue: '500' } },
      { key: 'ok', value: { boolValue: false } },
      { key: 'ratio', value: { doubleValue: 0.5 } },
      { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } } },
    ]);
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
  });
});
