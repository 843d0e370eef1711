import { describe, expect, it } from 'vitest';
import type { ApiSpan } from '../api/types.ts';
import { buildTraceModel, rowIndexOfSpan } from './model.ts';
import { axisTicks, barGeometry, timeScale } from './scale.ts';

function apiSpan(spanId: string, parentSpanId: string, start: string, dur: string, status = 'UNSET'): ApiSpan {
  return {
    traceId: 't',
    spanId,
    parentSpanId,
    name: `op-${spanId}`,
    kind: 'INTERNAL',
    serviceName: spanId === 'b' ? 'db' : 'web',
    startTimeUnixNano: start,
    durationNano: dur,
    statusCode: status as ApiSpan['statusCode'],
    statusMessage: '',
    attributes: {},
    resource: {},
    scope: { name: '', version: '' },
    events: [],
    links: [],
  };
}

describe('buildTraceModel', () => {
  // 1.7e18 ns: far beyond 2^53, where Number() would lose the last digits
  const t0 = '1700000000123456789';
  const model = buildTraceModel({
    traceId: 't',
    errors: [],
    logs: [],
    logsTruncated: false,
    spans: [
      apiSpan('b', 'a', '1700000000123456790', '5', 'ERROR'),
      apiSpan('a', '', t0, '1000'),
      apiSpan('c', 'gone', 'garbage', 'x'),
    ],
  });

  it('keeps nanosecond precision via BigInt offsets', () => {
    const b = model.spans.find((s) => s.spanId === 'b')!;
    expect(b.startNs).toBe(1);
    expect(model.startUnixNs).toBe(BigInt(t0));
  });

  it('places a span with a malformed start at the trace origin', () => {
    const c = model.spans.find((s) => s.spanId === 'c')!;
    expect(c.startNs).toBe(0);
    expect(c.durationNs).toBe(0);
  });

  it('derives root, services, errors and rows', () => {
    expect(model.root?.spanId).toBe('a');
    expect(model.services).toEqual(['db', 'web']);
    expect(model.errorSpanCount).toBe(1);
    expect(model.rows.map((r) => r.span.spanId)).toEqual(['a', 'b', 'c']);
    expect(rowIndexOfSpan(model, 'c')).toBe(2);
    expect(rowIndexOfSpan(model, 'zz')).toBe(-1);
  });

  it('measures the trace from earliest start to latest end', () => {
    const m = buildTraceModel({
      traceId: 't',
      errors: [],
      logs: [],
      logsTruncated: false,
      spans: [apiSpan('a', '', t0, '1000'), apiSpan('b', 'a', '1700000000123457789', '500')],
    });
    expect(m.startUnixNs).toBe(BigInt(t0));
    expect(m.durationNs).toBe(1500);
  });

  it('counts a span with an error event as failed; errors outside every span are kept apart', () => {
    const m = buildTraceModel({
      traceId: 't',
      errors: [
        { eventId: 'e1', issueId: 'i1', spanId: 'a' },
        { eventId: 'e2', issueId: 'i2', spanId: 'propagation' },
      ],
      logs: [],
      logsTruncated: false,
      spans: [apiSpan('a', '', t0, '1000'), apiSpan('b', 'a', '1700000000123457789', '500')],
    });
    expect(m.spans.map((s) => s.isError)).toEqual([true, false]);
    expect(m.errorSpanCount).toBe(1);
    expect(m.detachedErrors.map((e) => e.eventId)).toEqual(['e2']);
  });

  it('survives an empty trace', () => {
    const m = buildTraceModel({ traceId: 'x', spans: [], errors: [], logs: [], logsTruncated: false });
    expect(m.rows).toEqual([]);
    expect(m.root).toBeNull();
    expect(m.durationNs).toBe(1);
  });

  it('starts a trace known only from its errors and logs at its first log record', () => {
    const log = (timeUnixNano: string) => ({
      timeUnixNano,
      observedTimeUnixNano: timeUnixNano,
      spanId: '',
      severityText: 'INFO',
      severityNumber: 9,
      serviceName: 'web',
      eventName: '',
      body: 'hello',
      attributes: {},
    });
    const m = buildTraceModel({
      traceId: 'x',
      spans: [],
      errors: [{ eventId: 'e1', issueId: 'i1', spanId: 'propagation' }],
      logs: [log('1700000000000000900'), log('1700000000000000100'), log('garbage')],
      logsTruncated: false,
    });
    expect(m.startUnixNs).toBe(1700000000000000100n);
    expect(m.logs.map((l) => l.offsetNs)).toEqual([800, 0, 0]);
    expect(m.detachedErrors.map((e) => e.eventId)).toEqual(['e1']);
    expect(m.services).toEqual(['web']);
  });
});

describe('scales', () => {
  it('maps [0, duration] onto the pixel range', () => {
    const s = timeScale(1_000_000, 500);
    expect(s(0)).toBe(0);
    expect(s(1_000_000)).toBe(500);
    expect(barGeometry(s, 500_000, 0)).toEqual({ left: 250, width: 2 });
    expect(barGeometry(s, 0, 1_000_000)).toEqual({ left: 0, width: 500 });
  });

  it('labels axis ticks in time units', () => {
    const ticks = axisTicks(timeScale(50_000_000, 600));
    expect(ticks[0]).toMatchObject({ value: 0, x: 0, label: '0' });
    expect(ticks.map((t) => t.label)).toContain('20ms');
  });
});
