import { expect, test } from 'vitest';
import { nanosToDateTime64 } from './time.ts';

test('nanosecond times keep every digit and absurd ones are clamped into what ClickHouse parses', () => {
  expect(nanosToDateTime64(1700000000123456789n)).toBe('1700000000.123456789');
  expect(nanosToDateTime64(1700000000000000001n)).toBe('1700000000.000000001');
  expect(nanosToDateTime64(0n)).toBe('100000000.000000000');
  expect(nanosToDateTime64(5n)).toBe('100000000.000000000');
  expect(nanosToDateTime64(-5n)).toBe('100000000.000000000');
  expect(nanosToDateTime64(99999999999000000000n)).toBe('9223372035.000000000');
  expect(nanosToDateTime64(18000000000000000000n)).toBe('9223372035.000000000');
});
