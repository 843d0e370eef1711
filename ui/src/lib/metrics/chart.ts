// An OTLP metric's series → chart lines, and the step for a window. Pure.
import type { OtelSeries } from '../api/otel-metrics.ts';
import type { ChartData } from '../charts/series.ts';
import type { Window } from '../time/range.ts';

/**
 * Round steps (seconds) the page picks from: the smallest giving at most ~120 values over the window, and never under
 * a minute — OTel SDKs export every 60 s by default, and a shorter step leaves every other bucket of a rate empty
 * (a cumulative series' first point in a step has no increment), drawing dots instead of a line.
 */
const STEPS = [60, 120, 300, 600, 1800, 3600, 10_800, 21_600, 43_200, 86_400];

export function stepFor(windowMs: number): number {
  return STEPS.find((s) => windowMs / 1000 / s <= 120) ?? 86_400;
}

function trim(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000) return v.toFixed(0);
  if (abs >= 10) return v.toFixed(1).replace(/\.0$/, '');
  return v.toPrecision(3).replace(/\.?0+$/, '');
}

/**
 * A UCUM unit as people read it: `1` (dimensionless) is nothing, and an annotation in braces is its text
 * (`{request}` → `request`, `By/{batch}` → `By/batch`).
 */
export function displayUnit(unit: string): string {
  return unit === '1' ? '' : unit.replace(/\{([^{}]*)\}/g, '$1').trim();
}

/** What the values are, for the chart title: "rate /s", "average ms", "mean ms". */
export function valueLabel(s: Pick<OtelSeries, 'aggregation' | 'unit'>): string {
  const shown = displayUnit(s.unit);
  const unit = shown ? ` ${shown}` : '';
  if (s.aggregation === 'rate') return 'rate per second';
  return `${s.aggregation === 'avg' ? 'average' : 'mean'}${unit}`;
}

/** Every step start from the one holding `startMs` to `endMs`: the chart covers the chosen range, not just its points. */
function stepGrid(w: Window, stepSeconds: number): number[] {
  const stepMs = stepSeconds * 1000;
  if (!(stepMs > 0) || !(w.endMs >= w.startMs) || (w.endMs - w.startMs) / stepMs > 2000) return [];
  const out: number[] = [];
  for (let t = Math.floor(w.startMs / stepMs) * stepMs; t <= w.endMs; t += stepMs) out.push(t);
  return out;
}

/**
 * One line per series (service, and group value when split), aligned on the union of their step times and, given
 * the window, on every step of it (steps without a value are gaps).
 */
export function metricChart(s: OtelSeries, window?: Window): ChartData {
  const grid = window ? stepGrid(window, s.step) : [];
  const times = [...new Set([...grid, ...s.series.flatMap((x) => x.points.map((p) => p.timeMs))])].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const lines = s.series.map((x) => {
    const values: (number | null)[] = times.map(() => null);
    for (const p of x.points) values[index.get(p.timeMs) ?? 0] = p.value;
    const label = x.group ? `${x.service} · ${x.group}` : x.service;
    return { key: `${x.service}\u0000${x.group}`, label, values };
  });
  const unit = displayUnit(s.unit);
  const suffix = s.aggregation === 'rate' ? '/s' : unit ? ` ${unit}` : '';
  return { times, lines, format: (v) => `${trim(v)}${suffix}`, yMin: 0, yMaxAtLeast: 1 };
}
