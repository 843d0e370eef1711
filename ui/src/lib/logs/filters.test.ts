import { describe, expect, test } from 'vitest';
import { defaultLogFilters, logApiQuery, logFiltersFromQuery, logFiltersToQuery, traceIdError } from './filters.ts';

describe('log filters', () => {
  test('URL round trip keeps only what is set, and the range of the page', () => {
    const url = new URLSearchParams(
      'range=6h&service=api&severity=warn&query=card%20declined&traceId=ABCDEF0123456789ABCDEF0123456789&attr.step=3&severity=bogus',
    );
    const f = logFiltersFromQuery(url);
    expect(f).toEqual({
      service: 'api',
      severity: 'warn',
      query: 'card declined',
      traceId: 'ABCDEF0123456789ABCDEF0123456789',
      attributes: [['step', '3']],
    });
    expect(logFiltersToQuery(f, url).toString()).toBe(
      'range=6h&service=api&severity=warn&query=card+declined&traceId=abcdef0123456789abcdef0123456789&attr.step=3',
    );
    expect(logFiltersToQuery(defaultLogFilters()).toString()).toBe('');
    expect(logFiltersFromQuery(new URLSearchParams('severity=loud')).severity).toBe('');
  });

  test('API query resolves the range and carries limit and cursor', () => {
    const q = logApiQuery({ ...defaultLogFilters(), service: 'api' }, { kind: 'relative', key: '1h' }, 10_000_000, 100, 'c1');
    expect(Object.fromEntries(q)).toEqual({
      start: String(10_000_000 - 3_600_000),
      end: '10000000',
      service: 'api',
      limit: '100',
      cursor: 'c1',
    });
  });

  test('trace id validation', () => {
    expect(traceIdError('')).toBe('');
    expect(traceIdError('a'.repeat(32))).toBe('');
    expect(traceIdError('xyz')).not.toBe('');
  });
});
