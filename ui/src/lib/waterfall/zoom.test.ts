import { describe, expect, it } from 'vitest';
import { axisTicks, barGeometry, timeScale } from './scale.ts';
import {
  MIN_WINDOW_NS,
  clampWindow,
  fullWindow,
  isDrag,
  isFullWindow,
  overlapsWindow,
  windowFromPixels,
} from './zoom.ts';

describe('zoom windows', () => {
  it('starts with the whole trace', () => {
    expect(fullWindow(5_000)).toEqual([0, 5_000]);
    expect(fullWindow(0)).toEqual([0, 1]);
    expect(isFullWindow(fullWindow(5_000), 5_000)).toBe(true);
    expect(isFullWindow([10, 5_000], 5_000)).toBe(false);
  });

  it('orders and clamps a window into the trace', () => {
    expect(clampWindow([9_000, -50], 5_000)).toEqual([0, 5_000]);
    expect(clampWindow([4_000, 2_000], 5_000)).toEqual([2_000, 4_000]);
    expect(clampWindow([NaN, 3], 5_000)).toEqual([0, 5_000]);
  });

  it('widens a too-narrow window around its centre, inside the trace', () => {
    expect(clampWindow([2_000, 2_010], 5_000)).toEqual([2_005 - MIN_WINDOW_NS / 2, 2_005 + MIN_WINDOW_NS / 2]);
    expect(clampWindow([4_990, 5_000], 5_000)).toEqual([5_000 - MIN_WINDOW_NS, 5_000]);
    // a trace shorter than the minimum is shown whole
    expect(clampWindow([10, 20], 300)).toEqual([0, 300]);
  });

  it('turns pixel selections into windows of the current scale', () => {
    const full = timeScale(10_000, 1_000);
    expect(windowFromPixels(full, 500, 250, 10_000)).toEqual([2_500, 5_000]);
    // zoomed scale: pixels now mean a narrower range
    const zoomed = timeScale(10_000, 1_000, [2_000, 4_000]);
    expect(windowFromPixels(zoomed, 0, 500, 10_000)).toEqual([2_000, 3_000]);
  });

  it('tells which spans overlap a window', () => {
    expect(overlapsWindow([100, 200], 0, 99)).toBe(false);
    expect(overlapsWindow([100, 200], 0, 100)).toBe(true);
    expect(overlapsWindow([100, 200], 150, 1_000)).toBe(true);
    expect(overlapsWindow([100, 200], 201, 5)).toBe(false);
  });

  it('tells drags from clicks', () => {
    expect(isDrag(10, 12)).toBe(false);
    expect(isDrag(10, 40)).toBe(true);
  });
});

describe('zoomed scales', () => {
  it('maps the window onto the whole track and clips bars to it', () => {
    const s = timeScale(10_000, 1_000, [2_000, 4_000]);
    expect(s(2_000)).toBe(0);
    expect(s(4_000)).toBe(1_000);
    expect(barGeometry(s, 3_000, 500)).toEqual({ left: 500, width: 250 });
    // starts before the window, ends inside
    expect(barGeometry(s, 0, 2_500)).toEqual({ left: 0, width: 250 });
    // covers the whole window
    expect(barGeometry(s, 0, 10_000)).toEqual({ left: 0, width: 1_000 });
  });

  it('labels the ticks of the window', () => {
    const ticks = axisTicks(timeScale(10_000_000, 600, [2_000_000, 4_000_000]));
    expect(ticks[0]!.value).toBeGreaterThanOrEqual(2_000_000);
    expect(ticks[ticks.length - 1]!.value).toBeLessThanOrEqual(4_000_000);
  });
});
