import { describe, expect, test } from 'vitest';
import { timestampMs, timestampNs } from './time.ts';

describe('timestampNs', () => {
  test('float seconds keep microseconds', () => {
    expect(timestampNs(1718031234.567891)).toBe(1718031234567891000n);
    // Rounds up into the next second rather than producing 1_000_000 microseconds.
    expect(timestampNs(1718031234 + 0.9999996)).toBe(1718031235000000000n);
    expect(timestampNs(1718031234)).toBe(1718031234000000000n);
    expect(timestampNs('1718031234.25')).toBe(1718031234250000000n);
  });

  test('RFC 3339 strings with fractions and zones; naive times are UTC', () => {
    expect(timestampNs('2024-06-10T14:53:54.567891Z')).toBe(1718031234567891000n);
    expect(timestampNs('2024-06-10T14:53:54.123456789Z')).toBe(1718031234123456789n);
    expect(timestampNs('2024-06-10T16:53:54.5+02:00')).toBe(1718031234500000000n);
    expect(timestampNs('2024-06-10T09:53:54-0500')).toBe(1718031234000000000n);
    expect(timestampNs('2024-06-10T14:53:54.567891')).toBe(1718031234567891000n);
    expect(timestampNs('2024-06-10 14:53:54Z')).toBe(1718031234000000000n);
  });

  test('anything else is null', () => {
    for (const v of [undefined, null, true, -1, Number.NaN, Infinity, '', 'yesterday', '2024-13-01T00:00:00Z', '2024-06-10', {}]) {
      expect(timestampNs(v)).toBeNull();
    }
  });

  test('milliseconds are whole', () => {
    expect(timestampMs(1718031233.1)).toBe(1718031233100);
    expect(timestampMs('2024-06-10T14:53:54.1009Z')).toBe(1718031234100);
  });
});
