import { describe, expect, test } from 'vitest';
import { brushSelection, markerPath, MIN_DURATION_MS, scatterModel, scatterTimeTick, timeDomain, useLogScale, type ScatterInput } from './scatter.ts';

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);
const item = (id: string, offsetS: number, durationMs: number, error = false): ScatterInput => ({
  id,
  startMs: T0 + offsetS * 1000,
  durationMs,
  error,
});

describe('scatter scales', () => {
  test('log scale only when durations span decades', () => {
    expect(useLogScale([])).toBe(false);
    expect(useLogScale([5])).toBe(false);
    expect(useLogScale([10, 20, 90])).toBe(false);
    expect(useLogScale([2, 5000])).toBe(true);
    // zero and junk durations do not decide it
    expect(useLogScale([0, 10, 12, NaN])).toBe(false);
  });

  test('time domain pads the extent and never collapses', () => {
    expect(timeDomain([])).toEqual([0, 60_000]);
    const [a, b] = timeDomain([T0]);
    expect(a).toBeLessThan(T0);
    expect(b).toBeGreaterThan(T0);
    expect(b - a).toBeGreaterThanOrEqual(1000);
    const [c, d] = timeDomain([T0, T0 + 100_000]);
    expect(c).toBe(T0 - 4000);
    expect(d).toBe(T0 + 104_000);
  });

  test('time domain is the searched window, widened only for a trace that began before it', () => {
    const w = { startMs: T0, endMs: T0 + 3_600_000 };
    expect(timeDomain([T0 + 60_000, T0 + 120_000], w)).toEqual([T0, T0 + 3_600_000]);
    expect(timeDomain([], w)).toEqual([T0, T0 + 3_600_000]);
    expect(timeDomain([T0 - 5000, T0 + 10], w)).toEqual([T0 - 5000, T0 + 3_600_000]);
    // an unusable window falls back to the points' extent
    expect(timeDomain([T0, T0 + 100_000], { startMs: T0, endMs: T0 })).toEqual([T0 - 4000, T0 + 104_000]);
    expect(timeDomain([T0, T0 + 100_000], { startMs: NaN, endMs: T0 })).toEqual([T0 - 4000, T0 + 104_000]);
  });

  test('over a window, points sit where their start falls in it', () => {
    const w = { startMs: T0, endMs: T0 + 1_000_000 };
    const m = scatterModel([item('a', 250, 10), item('b', 500, 20)], 600, 200, w);
    expect(m.x.domain().map((d) => d.getTime())).toEqual([T0, T0 + 1_000_000]);
    expect(m.points[0]!.x).toBeCloseTo(m.innerWidth / 4, 6);
    expect(m.points[1]!.x).toBeCloseTo(m.innerWidth / 2, 6);
  });

  test('points: later is further right, slower is higher, all inside the frame', () => {
    const items = [item('a', 0, 10), item('b', 30, 40, true), item('c', 60, 25)];
    const m = scatterModel(items, 600, 200);
    expect(m.log).toBe(false);
    expect(m.innerWidth).toBe(600 - m.margin.left - m.margin.right);
    const [a, b, c] = m.points;
    expect(a!.x).toBeLessThan(b!.x);
    expect(b!.x).toBeLessThan(c!.x);
    expect(b!.y).toBeLessThan(c!.y); // 40ms above 25ms (y grows downwards)
    expect(c!.y).toBeLessThan(a!.y);
    for (const p of m.points) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(m.innerWidth);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(m.innerHeight);
    }
    expect(b!.error).toBe(true);
    expect(m.yTicks[0]?.label).toBe('0');
    expect(m.xTicks.length).toBeGreaterThan(0);
  });

  test('a log axis places zero-length traces at its floor and labels decades', () => {
    const m = scatterModel([item('a', 0, 0), item('b', 1, 1), item('c', 2, 10_000)], 600, 240);
    expect(m.log).toBe(true);
    for (const p of m.points) expect(Number.isFinite(p.y)).toBe(true);
    expect(m.points[0]!.y).toBeGreaterThanOrEqual(m.points[1]!.y);
    const labels = m.yTicks.map((t) => t.label);
    expect(labels).toContain('1ms');
    expect(labels).not.toContain('2ms');
    for (const t of m.yTicks) expect(Number.isInteger(Math.round(Math.log10(t.value) * 1e9) / 1e9)).toBe(true);
  });

  test('time ticks show seconds only when a tick needs them, and never repeat', () => {
    expect(scatterTimeTick(new Date(2024, 4, 1, 10, 30, 0))).toBe('10:30');
    expect(scatterTimeTick(new Date(2024, 4, 1, 10, 30, 30))).toBe('10:30:30');
    const m = scatterModel([item('a', 0, 5), item('b', 150, 9)], 1200, 200);
    const labels = m.xTicks.map((t) => t.label);
    expect(new Set(labels).size).toBe(labels.length);
  });

  test('markers differ by shape for errors', () => {
    expect(markerPath(false)).not.toBe('');
    expect(markerPath(true)).not.toBe(markerPath(false));
  });
});

describe('brushing', () => {
  const items = [item('a', 0, 10), item('b', 30, 40), item('c', 60, 80)];
  const m = scatterModel(items, 600, 200);

  test('a box around a point selects a window and bounds that contain it', () => {
    const p = m.points[1]!;
    const sel = brushSelection(m, { x0: p.x + 20, y0: p.y + 15, x1: p.x - 20, y1: p.y - 15 });
    expect(sel).not.toBeNull();
    expect(sel!.startMs).toBeLessThanOrEqual(p.startMs);
    expect(sel!.endMs).toBeGreaterThanOrEqual(p.startMs);
    expect(sel!.minDurationMs).toBeLessThanOrEqual(40);
    expect(sel!.maxDurationMs).toBeGreaterThanOrEqual(40);
    // the neighbours are outside
    expect(sel!.endMs).toBeLessThan(m.points[2]!.startMs);
    expect(sel!.startMs).toBeGreaterThan(m.points[0]!.startMs);
  });

  test('clicks are not brushes; boxes are clamped to the frame', () => {
    expect(brushSelection(m, { x0: 100, y0: 50, x1: 102, y1: 53 })).toBeNull();
    const all = brushSelection(m, { x0: -50, y0: -50, x1: 5000, y1: 5000 })!;
    expect(all.minDurationMs).toBe(0);
    expect(all.startMs).toBe(Math.floor(m.x.domain()[0]!.getTime()));
    expect(all.maxDurationMs).toBeGreaterThanOrEqual(80);
  });

  test('on a log axis the floor means no lower bound', () => {
    const lm = scatterModel([item('a', 0, 0.002), item('b', 10, 5000)], 600, 200);
    const sel = brushSelection(lm, { x0: 0, y0: 0, x1: lm.innerWidth, y1: lm.innerHeight })!;
    expect(sel.minDurationMs).toBe(0);
    expect(MIN_DURATION_MS).toBeGreaterThan(0);
  });
});
