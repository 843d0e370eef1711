import { describe, expect, test } from 'vitest';
import { bucketTimes, groupLabel, spanChart, type SpanSeriesAnswer } from './span-chart.ts';

const point = (timeMs: number, calls: number, errors: number, p95Ms: number) => ({
  timeMs,
  calls,
  errors,
  p50DurationNano: p95Ms * 5e5,
  p95DurationNano: p95Ms * 1e6,
  p99DurationNano: p95Ms * 2e6,
});

const answer: SpanSeriesAnswer = {
  step: 60,
  groupBy: 'attr.http.route',
  series: [
    { group: '/cart', calls: 150, errors: 3, points: [point(60_000, 120, 3, 40), point(180_000, 30, 0, 20)] },
    { group: '', calls: 6, errors: 0, points: [point(120_000, 6, 0, 5)] },
  ],
};
const window = { startMs: 70_000, endMs: 200_000 };

describe('span chart model', () => {
  test('buckets cover the window from the step-aligned start', () => {
    expect(bucketTimes(window, 60)).toEqual([60_000, 120_000, 180_000]);
  });

  test('rates fill empty buckets with zero, per second (or per minute when low)', () => {
    const chart = spanChart(answer, 'calls', window);
    expect(chart.lines.map((l) => l.label)).toEqual(['/cart', '(no http.route)']);
    expect(chart.lines[0]?.values).toEqual([2, 0, 0.5]);
    expect(chart.format(2)).toBe('2/s');
    const quiet = spanChart({ ...answer, series: [answer.series[1] as SpanSeriesAnswer['series'][number]] }, 'calls', window);
    expect(quiet.lines[0]?.values).toEqual([0, 6, 0]);
    expect(quiet.format(6)).toBe('6/min');
  });

  test('error rates and percentiles leave gaps where no span was', () => {
    expect(spanChart(answer, 'errors', window).lines[0]?.values).toEqual([0.025, null, 0]);
    expect(spanChart(answer, 'p95', window).lines[0]?.values).toEqual([40e6, null, 20e6]);
    expect(groupLabel('', null)).toBe('All matching spans');
  });
});
