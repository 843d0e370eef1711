// RED time series → chart lines. Pure. Buckets without calls have no latency or error rate:
// they become gaps (null), not zeros, so a quiet minute does not look like a fast one.
import type { SeriesPoint } from '../api/performance.ts';
import { formatDuration } from '../format/nanos.ts';
import { formatPercent } from '../format/metrics.ts';

export interface Line {
  key: string;
  label: string;
  /** One value per time (null = gap). */
  values: (number | null)[];
}

export interface ChartData {
  times: number[];
  lines: Line[];
  /** Tick and tooltip text for a value of this chart. */
  format: (v: number) => string;
  /** Fixed lower bound of the y domain and a minimum upper bound (so flat zero lines sit at the bottom). */
  yMin: number;
  yMaxAtLeast: number;
}

export interface RateUnit {
  factor: number;
  suffix: string;
}

/** Per-second rates below 1/s read better per minute. */
export function rateUnit(maxPerSecond: number): RateUnit {
  return maxPerSecond > 0 && maxPerSecond < 1 ? { factor: 60, suffix: '/min' } : { factor: 1, suffix: '/s' };
}

function trimNum(n: number): string {
  const a = Math.abs(n);
  const s = a >= 100 ? n.toFixed(0) : a >= 10 ? n.toFixed(1) : a >= 1 ? n.toFixed(2) : n.toPrecision(2);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

export function requestRateChart(points: readonly SeriesPoint[]): ChartData {
  const max = Math.max(0, ...points.map((p) => p.requestRate));
  const unit = rateUnit(max);
  return {
    times: points.map((p) => p.time),
    lines: [{ key: 'rate', label: `Requests${unit.suffix}`, values: points.map((p) => p.requestRate * unit.factor) }],
    format: (v) => `${trimNum(v)}${unit.suffix}`,
    yMin: 0,
    yMaxAtLeast: 1,
  };
}

export function errorRateChart(points: readonly SeriesPoint[]): ChartData {
  return {
    times: points.map((p) => p.time),
    lines: [{ key: 'errors', label: 'Error rate', values: points.map((p) => (p.calls > 0 ? p.errorRate : null)) }],
    format: (v) => formatPercent(v),
    yMin: 0,
    yMaxAtLeast: 0.01,
  };
}

export function latencyChart(points: readonly SeriesPoint[]): ChartData {
  const pick = (f: (p: SeriesPoint) => number) => points.map((p) => (p.calls > 0 ? f(p) : null));
  return {
    times: points.map((p) => p.time),
    lines: [
      { key: 'p50', label: 'p50', values: pick((p) => p.p50DurationNano) },
      { key: 'p95', label: 'p95', values: pick((p) => p.p95DurationNano) },
      { key: 'p99', label: 'p99', values: pick((p) => p.p99DurationNano) },
    ],
    format: (v) => formatDuration(v),
    yMin: 0,
    yMaxAtLeast: 1_000_000,
  };
}

/** Total calls and errors of a series (for chart captions). */
export function totals(points: readonly SeriesPoint[]): { calls: number; errors: number } {
  let calls = 0;
  let errors = 0;
  for (const p of points) {
    calls += p.calls;
    errors += p.errors;
  }
  return { calls, errors };
}

/** Distinct line colours (`--chart-1` … `--chart-10` in app.css, light and dark); more series reuse them in turn. */
const SERIES_COLORS = 10;

/** The colour of the i-th series of a chart. */
export function seriesColor(i: number): string {
  return `var(--chart-${(Math.max(0, Math.trunc(i)) % SERIES_COLORS) + 1})`;
}
