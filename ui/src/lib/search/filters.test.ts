import { describe, expect, it } from 'vitest';
import {
  apiQuery,
  defaultFilters,
  durationError,
  filtersFromQuery,
  filtersToQuery,
  parseAttributeLines,
} from './filters.ts';

describe('search filters', () => {
  it('round-trips through the page query', () => {
    const f = {
      ...defaultFilters(),
      service: 'checkout',
      operation: 'POST /pay',
      status: 'error' as const,
      minDurationMs: '100',
      attributes: [
        ['http.status_code', '500'],
        ['a=b', 'c'],
      ] as [string, string][],
      range: '24h' as const,
      limit: 100,
      sort: 'duration' as const,
    };
    const q = filtersToQuery(f);
    expect(q.get('range')).toBe('24h');
    expect(q.getAll('attr.http.status_code')).toEqual(['500']);
    expect(filtersFromQuery(new URLSearchParams(q.toString()))).toEqual(f);
  });

  it('leaves defaults out of the URL', () => {
    expect(filtersToQuery(defaultFilters()).toString()).toBe('');
  });

  it('ignores junk in the URL', () => {
    const f = filtersFromQuery(new URLSearchParams('status=bogus&range=3y&limit=-4&attr.=x&sort=name'));
    expect(f).toEqual(defaultFilters());
  });

  it('turns a relative range into start/end for the API', () => {
    const q = apiQuery({ ...defaultFilters(), range: '15m' }, 1_000_000_000);
    expect(q.get('start')).toBe(String(1_000_000_000 - 15 * 60_000));
    expect(q.get('end')).toBe('1000000000');
    expect(q.get('limit')).toBe('50');
    expect(q.has('range')).toBe(false);
  });

  it('keeps the order in the URL and the API query, leaving the default out', () => {
    expect(filtersToQuery({ ...defaultFilters(), sort: 'duration' }).toString()).toBe('sort=duration');
    expect(filtersFromQuery(new URLSearchParams('sort=duration')).sort).toBe('duration');
    expect(filtersFromQuery(new URLSearchParams('sort=start')).sort).toBe('start');
    expect(apiQuery({ ...defaultFilters(), sort: 'duration' }, 5).get('sort')).toBe('duration');
    expect(apiQuery(defaultFilters(), 5).has('sort')).toBe(false);
  });

  it('passes an explicit window through', () => {
    const q = apiQuery({ ...defaultFilters(), start: '2024-01-01T00:00:00Z' }, 5);
    expect(q.get('start')).toBe('2024-01-01T00:00:00Z');
    expect(q.has('end')).toBe(false);
  });

  it('parses key=value lines', () => {
    expect(parseAttributeLines(' a = 1 \n\nb=x=y\n=bad\nnoeq')).toEqual({
      attributes: [
        ['a', '1'],
        ['b', 'x=y'],
      ],
      errors: ['Line 4: expected key=value', 'Line 5: expected key=value'],
    });
  });

  it('validates durations', () => {
    expect(durationError('Min', '')).toBe('');
    expect(durationError('Min', '12.5')).toBe('');
    expect(durationError('Min', '-1')).not.toBe('');
    expect(durationError('Min', 'abc')).not.toBe('');
  });
});
