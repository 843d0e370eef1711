import { describe, expect, test } from 'vitest';
import type { ApiTraceLog } from '../api/types.ts';
import { buildLogs, filterLogs, logMarksBySpan, severityOf } from './logs.ts';

const log = (over: Partial<ApiTraceLog>): ApiTraceLog => ({
  timeUnixNano: '1000000000000000100',
  observedTimeUnixNano: '1000000000000000100',
  spanId: 'a'.repeat(16),
  severityText: '',
  severityNumber: 9,
  serviceName: 'api',
  eventName: '',
  body: 'hello',
  attributes: {},
  ...over,
});

describe('trace logs', () => {
  test('severity classes follow the OTLP number ranges, else the text', () => {
    expect([1, 4, 5, 9, 12, 13, 17, 20, 21, 24].map((n) => severityOf(n, ''))).toEqual([
      'trace',
      'trace',
      'debug',
      'info',
      'info',
      'warn',
      'error',
      'error',
      'fatal',
      'fatal',
    ]);
    expect(severityOf(0, 'WARNING')).toBe('warn');
    expect(severityOf(0, 'Error')).toBe('error');
    expect(severityOf(0, 'debug')).toBe('debug');
    expect(severityOf(0, '')).toBe('unset');
    expect(severityOf(99, 'info')).toBe('info');
  });

  test('offsets from the trace start (negative before it), text bodies and levels', () => {
    const logs = buildLogs(
      [
        log({ timeUnixNano: '999999999999999100', body: { order: 'o-1' }, severityNumber: 17 }),
        log({ body: '<b>x</b>', severityText: 'NOTICE', severityNumber: 10 }),
        log({ timeUnixNano: 'garbage', body: 42, severityNumber: 0 }),
      ],
      1_000_000_000_000_000_000n,
    );
    expect(logs.map((l) => [l.offsetNs, l.text, l.severity, l.level])).toEqual([
      [-900, '{"order":"o-1"}', 'error', 'ERROR'],
      [100, '<b>x</b>', 'info', 'NOTICE'],
      [0, '42', 'unset', '—'],
    ]);
    expect(buildLogs(undefined, 0n)).toEqual([]);
  });

  test('filter matches text, level and service, ignoring case', () => {
    const logs = buildLogs(
      [log({ body: 'card declined' }), log({ body: 'ok', serviceName: 'Payments' }), log({ body: 'x', severityNumber: 13 })],
      0n,
    );
    expect(filterLogs(logs, 'DECLINED').map((l) => l.index)).toEqual([0]);
    expect(filterLogs(logs, 'payments').map((l) => l.index)).toEqual([1]);
    expect(filterLogs(logs, 'warn').map((l) => l.index)).toEqual([2]);
    expect(filterLogs(logs, '  ')).toHaveLength(3);
  });

  test('marks by span: records naming a span, in order; records without one are left out', () => {
    const logs = buildLogs(
      [
        log({ spanId: 'a', timeUnixNano: '300' }),
        log({ spanId: '', timeUnixNano: '400' }),
        log({ spanId: 'a', timeUnixNano: '500', severityNumber: 17 }),
      ],
      100n,
    );
    expect(Object.fromEntries(logMarksBySpan(logs))).toEqual({
      a: [
        { offsetNs: 200, severity: 'info' },
        { offsetNs: 400, severity: 'error' },
      ],
    });
  });
});
