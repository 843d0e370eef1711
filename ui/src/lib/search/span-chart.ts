// Span chart (`GET …/spans/series`) answers → chart lines. Pure. The API lists only buckets with spans: rates
// fill the others with zero, error rates and percentiles leave gaps (no spans is not "fast" or "0 % failed").
import type { ChartData } from '../charts/series.ts';
import { rateUnit } from '../charts/series.ts';
import { formatDuration } from '../format/nanos.ts';
import { formatPercent } from '../format/metrics.ts';
import type { Window } from '../time/range.ts';

export const SPAN_MEASURES = [
  { key: 'calls', label: 'Spans per second' },
  { key: 'errors', label: 'Error rate' },
  { key: 'p50', label: 'p50 duration' },
  { key: 'p95', label: 'p95 duration' },
  { key: 'p99', label: 'p99 duration' },
] as const;
export type SpanMeasure = (typeof SPAN_MEASURES)[number]['key'];

export const isSpanMeasure = (v: string | null): v is SpanMeasure => SPAN_MEASURES.some((m) => m.key === v);

/** What a measure shows, as its chart is titled ("p95 duration"). */
export const measureLabel = (m: SpanMeasure): string => SPAN_MEASURES.find((s) => s.key === m)?.label ?? m;

export interface SpanSeriesPoint {
  timeMs: number;
  calls: number;
  errors: number;
  p50DurationNano: number;
  p95DurationNano: number;
  p99DurationNano: number;
}

export interface SpanSeries {
  group: string;
  calls: number;
  errors: number;
  points: SpanSeriesPoint[];
}

export interface SpanSeriesAnswer {
  step: number;
  groupBy: string | null;
  series: SpanSeries[];
}

/** A group's legend text: spans without the grouping key form the group "". */
export function groupLabel(group: string, groupBy: string | null): string {
  if (groupBy === null) return 'All matching spans';
  return group === '' ? `(no ${groupBy.replace(/^attr\./, '')})` : group;
}

/** Bucket starts covering the window (aligned to the step since the epoch, as the API's buckets are). */
export function bucketTimes(window: Window, stepSeconds: number): number[] {
  const step = stepSeconds * 1000;
  const times: number[] = [];
  for (let t = Math.floor(window.startMs / step) * step; t <= window.endMs && times.length < 5_000; t += step) times.push(t);
  return times;
}

function value(p: SpanSeriesPoint | undefined, measure: SpanMeasure, perSecond: number): number | null {
  if (measure === 'calls') return (p?.calls ?? 0) * perSecond;
  if (!p || p.calls === 0) return null;
  if (measure === 'errors') return p.errors / p.calls;
  return measure === 'p50' ? p.p50DurationNano : measure === 'p95' ? p.p95DurationNano : p.p99DurationNano;
}

export function spanChart(answer: SpanSeriesAnswer, measure: SpanMeasure, window: Window): ChartData {
  const times = bucketTimes(window, answer.step);
  const maxRate = Math.max(0, ...answer.series.flatMap((s) => s.points.map((p) => p.calls / answer.step)));
  const unit = rateUnit(maxRate);
  const perSecond = unit.factor / answer.step;
  const lines = answer.series.map((s, i) => {
    const at = new Map(s.points.map((p) => [p.timeMs, p]));
    return {
      key: `${i}:${s.group}`,
      label: groupLabel(s.group, answer.groupBy),
      values: times.map((t) => value(at.get(t), measure, perSecond)),
    };
  });
  if (measure === 'calls') {
    const trim = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : String(Number(v.toPrecision(2))));
    return { times, lines, format: (v) => `${trim(v)}${unit.suffix}`, yMin: 0, yMaxAtLeast: 1 };
  }
  if (measure === 'errors') return { times, lines, format: (v) => formatPercent(v), yMin: 0, yMaxAtLeast: 0.01 };
  return { times, lines, format: (v) => formatDuration(v), yMin: 0, yMaxAtLeast: 1_000_000 };
}
