import { describe, expect, test } from 'vitest';
import type { SeriesPoint } from '../api/performance.ts';
import { barsModel, truncate } from './bars.ts';
import { chartModel, nearestIndex, sparklinePath } from './scales.ts';
import { errorRateChart, latencyChart, rateUnit, requestRateChart, seriesColor, totals } from './series.ts';

const T0 = Date.UTC(2024, 4, 1, 10, 0);

function point(i: number, calls: number, extra: Partial<SeriesPoint> = {}): SeriesPoint {
  return {
    time: T0 + i * 60_000,
    calls,
    errors: 0,
    requestRate: calls / 60,
    errorRate: 0,
    p50DurationNano: 10e6,
    p95DurationNano: 20e6,
    p99DurationNano: 30e6,
    apdex: 1,
    ...extra,
  };
}

describe('series shaping', () => {
  const points = [point(0, 120, { errors: 12, errorRate: 0.1 }), point(1, 0), point(2, 60)];

  test('request rate picks a unit; quiet buckets are zero, not gaps', () => {
    expect(rateUnit(0.5)).toEqual({ factor: 60, suffix: '/min' });
    expect(rateUnit(3)).toEqual({ factor: 1, suffix: '/s' });
    expect(rateUnit(0)).toEqual({ factor: 1, suffix: '/s' });
    const c = requestRateChart(points);
    expect(c.lines[0]?.values).toEqual([2, 0, 1]);
    expect(c.format(2)).toBe('2/s');
    const slow = requestRateChart([point(0, 6), point(1, 3)]);
    expect(slow.lines[0]?.values).toEqual([6, 3]);
    expect(slow.format(6)).toBe('6/min');
  });

  test('error rate and latency have gaps where there were no calls', () => {
    expect(errorRateChart(points).lines[0]?.values).toEqual([0.1, null, 0]);
    const lat = latencyChart(points);
    expect(lat.lines.map((l) => l.key)).toEqual(['p50', 'p95', 'p99']);
    expect(lat.lines[1]?.values).toEqual([20e6, null, 20e6]);
    expect(lat.format(20e6)).toBe('20ms');
    expect(totals(points)).toEqual({ calls: 180, errors: 12 });
  });
});

describe('chart model', () => {
  test('scales, paths with gaps, single points as dots, ticks', () => {
    const data = latencyChart([point(0, 1), point(1, 0), point(2, 1), point(3, 1)]);
    const m = chartModel(data, 400, 200);
    expect(m.innerWidth).toBe(400 - m.margin.left - m.margin.right);
    expect(m.x(new Date(T0))).toBe(0);
    expect(m.x(new Date(T0 + 3 * 60_000))).toBeCloseTo(m.innerWidth);
    expect(m.y(0)).toBe(m.innerHeight);
    const p95 = m.lines[1];
    // first point is isolated by the gap: a dot, and the path has two segments (two M commands)
    expect(p95?.dots).toHaveLength(1);
    expect(p95?.d.match(/M/g)).toHaveLength(2);
    expect(m.yTicks.length).toBeGreaterThan(1);
    expect(m.yTicks.every((t) => t.pos >= 0 && t.pos <= m.innerHeight)).toBe(true);
    expect(m.yTicks.at(-1)?.label).toMatch(/ms$/);
    expect(m.xTicks.length).toBeGreaterThan(0);
    expect(m.empty).toBe(false);
  });

  test('no data: an empty chart with a sane domain', () => {
    const m = chartModel(errorRateChart([point(0, 0), point(1, 0)]), 300, 150);
    expect(m.empty).toBe(true);
    expect(m.lines[0]?.d).toBe('');
    expect(m.y.domain()[1]).toBeGreaterThan(0);
    const none = chartModel(requestRateChart([]), 300, 150);
    expect(none.empty).toBe(true);
    expect(Number.isFinite(none.x(new Date(T0)))).toBe(true);
  });

  test('nearest index under the pointer', () => {
    const data = requestRateChart([point(0, 1), point(1, 1), point(2, 1)]);
    const m = chartModel(data, 400, 200);
    expect(nearestIndex(data.times, m.x, 0)).toBe(0);
    expect(nearestIndex(data.times, m.x, m.innerWidth * 0.55)).toBe(1);
    expect(nearestIndex(data.times, m.x, m.innerWidth + 50)).toBe(2);
    expect(nearestIndex([], m.x, 10)).toBe(-1);
  });

  test('sparklines stay inside their box', () => {
    const d = sparklinePath([0, 5, 10, null, 2], 100, 20);
    const nums = d.match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
    expect(d.startsWith('M1,19')).toBe(true);
    expect(Math.max(...nums)).toBeLessThanOrEqual(100);
    expect(Math.min(...nums)).toBeGreaterThanOrEqual(0);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(sparklinePath([], 100, 20)).toBe('');
    expect(sparklinePath([0, 0], 100, 20)).toBe('M1,19L99,19');
  });
});

describe('grouped bars', () => {
  test('current and previous bars per row, scaled to the largest value', () => {
    const m = barsModel(
      [
        { key: 'a', label: 'checkout · GET /cart', current: 200, previous: 100 },
        { key: 'b', label: 'b', current: 50, previous: null },
      ],
      500,
      (v) => `${v}`,
    );
    expect(m.rows).toHaveLength(2);
    expect(m.bars).toHaveLength(4);
    const [a1, a2, b1, b2] = m.bars;
    expect(a1?.series).toBe('current');
    expect(a1?.width).toBeCloseTo(2 * (a2?.width ?? 0));
    expect(a1?.x).toBe(m.labelWidth);
    expect((a1?.width ?? 0) + m.labelWidth).toBeLessThanOrEqual(500);
    expect(b1?.width).toBeCloseTo((a1?.width ?? 0) / 4);
    expect(b2?.width).toBe(0);
    expect(b2?.text).toBe('—');
    expect((a2?.y ?? 0) > (a1?.y ?? 0)).toBe(true);
    expect((b1?.y ?? 0) > (a2?.y ?? 0)).toBe(true);
  });

  test('truncates long labels', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});

describe('series colours', () => {
  test('ten distinct colours, then reused in turn', () => {
    const first = Array.from({ length: 10 }, (_, i) => seriesColor(i));
    expect(new Set(first).size).toBe(10);
    expect(first[0]).toBe('var(--chart-1)');
    expect(seriesColor(10)).toBe(seriesColor(0));
    expect(seriesColor(-1)).toBe(seriesColor(0));
  });
});
