import { describe, expect, test } from 'vitest';
import { newestFirstSlices } from './trace-search.ts';

const H = 3_600_000_000_000n;

describe('newestFirstSlices', () => {
  test('cuts at the newest hour and five hours before it, newest first, covering the window exactly', () => {
    const start = 100n * H + 1234n;
    const end = 130n * H + 5n;
    expect(newestFirstSlices(start, end)).toEqual([
      [130n * H, end],
      [125n * H, 130n * H - 1n],
      [start, 125n * H - 1n],
    ]);
  });

  test('a window inside one hour, or ending on an hour boundary, is one slice', () => {
    expect(newestFirstSlices(10n * H + 1n, 10n * H + 99n)).toEqual([[10n * H + 1n, 10n * H + 99n]]);
    expect(newestFirstSlices(10n * H, 11n * H)).toEqual([[10n * H, 11n * H]]);
  });

  test('an hour-long unaligned window is two slices; a point is one', () => {
    expect(newestFirstSlices(10n * H + 7n, 11n * H + 7n)).toEqual([
      [11n * H, 11n * H + 7n],
      [10n * H + 7n, 11n * H - 1n],
    ]);
    expect(newestFirstSlices(5n, 5n)).toEqual([[5n, 5n]]);
  });
});
