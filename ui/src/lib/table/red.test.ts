import { describe, expect, test } from 'vitest';
import type { Red } from '../api/performance.ts';
import { isRedKey, redColumns, redValue } from './red.ts';

const red: Red = {
  calls: 10,
  errors: 2,
  requestRate: 0.5,
  errorRate: 0.2,
  p50DurationNano: 1,
  p95DurationNano: 2,
  p99DurationNano: 3,
  apdex: null,
};

describe('RED columns', () => {
  test('numeric columns in a fixed order, optional titles', () => {
    const cols = redColumns({ calls: 'Calls in the range' });
    expect(cols.map((c) => c.key)).toEqual(['calls', 'requestRate', 'errorRate', 'p50', 'p95', 'p99', 'apdex']);
    expect(cols.every((c) => c.num)).toBe(true);
    expect(cols[0]?.title).toBe('Calls in the range');
    expect(cols[1]?.title).toBeUndefined();
    // Apdex names the threshold it was computed with
    expect(cols[6]?.label).toBe('Apdex (T = 500 ms)');
    expect(cols[6]?.title).toContain('T = 500 ms');
  });

  test('sort values', () => {
    expect(redValue(red, 'p95')).toBe(2);
    expect(redValue(red, 'calls')).toBe(10);
    expect(redValue(red, 'apdex')).toBeNull();
    expect(isRedKey('p99')).toBe(true);
    expect(isRedKey('name')).toBe(false);
  });
});
