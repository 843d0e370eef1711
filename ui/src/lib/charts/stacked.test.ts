import { describe, expect, test } from 'vitest';
import type { HistogramBucket } from '../logs/histogram.ts';
import { brushWindow, columnAt, stackModel, STACK_MARGIN } from './stacked.ts';

const T0 = Date.UTC(2026, 2, 4, 14, 0);
const MIN = 60_000;
const zero = { unspecified: 0, trace: 0, debug: 0, info: 0, warn: 0, error: 0, fatal: 0 };
const bucket = (i: number, over: Partial<typeof zero> = {}): HistogramBucket => {
  const counts = { ...zero, ...over };
  return { startMs: T0 + i * MIN, endMs: T0 + (i + 1) * MIN, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
};

describe('log histogram: stacked geometry', () => {
  const buckets = [bucket(0, { info: 6, error: 2 }), bucket(1), bucket(2, { warn: 4 }), bucket(3, { fatal: 1, debug: 1 })];
  const width = 400 + STACK_MARGIN.left + STACK_MARGIN.right;
  const model = stackModel(buckets, { startMs: T0 + 30_000, endMs: T0 + 4 * MIN }, width, 100 + STACK_MARGIN.top + STACK_MARGIN.bottom);

  test('columns tile the width, segments stack bottom-up by level and scale to the tallest column', () => {
    expect(model.innerWidth).toBe(400);
    expect(model.columns.map((c) => [c.slotX, c.slotWidth])).toEqual([
      [0, 100],
      [100, 100],
      [200, 100],
      [300, 100],
    ]);
    const [a, empty, , d] = model.columns;
    expect(a?.segments.map((s) => [s.level, s.count])).toEqual([
      ['info', 6],
      ['error', 2],
    ]);
    // the y domain is niced from 8: the stack's top is its share of it
    const top = model.yTicks[model.yTicks.length - 1]?.value ?? 0;
    expect(a?.segments[1]?.y).toBeCloseTo(100 - (8 / top) * 100);
    expect((a?.segments[0]?.y ?? 0) + (a?.segments[0]?.height ?? 0)).toBeCloseTo(100);
    expect(empty?.segments).toEqual([]);
    expect(d?.segments.map((s) => s.level)).toEqual(['debug', 'fatal']);
    expect(model.yTicks.every((t) => Number.isInteger(t.value))).toBe(true);
  });

  test('hover finds the column under the pointer', () => {
    expect([columnAt(model, 0), columnAt(model, 150), columnAt(model, 400), columnAt(model, -1), columnAt(model, 401)]).toEqual([0, 1, 3, -1, -1]);
  });

  test('a drag is a window within the searched range; a click is none', () => {
    expect(brushWindow(model, 300, 100)).toEqual({ startMs: T0 + MIN, endMs: T0 + 3 * MIN });
    // the first bucket begins before the search: the brush does not
    expect(brushWindow(model, -20, 80)).toEqual({ startMs: T0 + 30_000, endMs: T0 + 48_000 });
    expect(brushWindow(model, -20, 40)).toBeNull();
    expect(brushWindow(model, 100, 103)).toBeNull();
  });
});
