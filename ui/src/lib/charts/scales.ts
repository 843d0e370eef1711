// d3 scales and path geometry for the line charts and sparklines: pure functions, no DOM.
// Svelte components only render the strings and numbers computed here.
import { bisector, extent, line, max, scaleLinear, scaleTime, timeDay, timeFormat, type ScaleLinear, type ScaleTime } from 'd3';
import type { ChartData } from './series.ts';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const CHART_MARGIN: Margin = { top: 10, right: 14, bottom: 24, left: 64 };

export interface Tick {
  value: number;
  /** Pixel position along the axis. */
  pos: number;
  label: string;
}

export interface PathLine {
  key: string;
  label: string;
  /** SVG path data ('' when the line has no defined point). */
  d: string;
  /** Single defined points between gaps, drawn as dots (a path of one point is invisible). */
  dots: { x: number; y: number }[];
}

/** What every axis chart model has: its size, margin, the plot area inside the margin and the ticks ChartAxes.svelte draws. */
export interface ChartFrame {
  width: number;
  height: number;
  margin: Margin;
  innerWidth: number;
  innerHeight: number;
  xTicks: Tick[];
  yTicks: Tick[];
}

/** The plot area of a `width`×`height` chart inside `margin` (at least 10 px each way). */
export function innerSize(width: number, height: number, margin: Margin): { innerWidth: number; innerHeight: number } {
  return { innerWidth: Math.max(10, width - margin.left - margin.right), innerHeight: Math.max(10, height - margin.top - margin.bottom) };
}

export interface ChartModel extends ChartFrame {
  x: ScaleTime<number, number>;
  y: ScaleLinear<number, number>;
  lines: PathLine[];
  /** True when no line has a single defined value. */
  empty: boolean;
}

const defined = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/** Scales, paths and ticks of a time-series chart of `width`×`height` pixels. */
export function chartModel(data: ChartData, width: number, height: number, margin: Margin = CHART_MARGIN): ChartModel {
  const { innerWidth, innerHeight } = innerSize(width, height, margin);
  const [t0, t1] = extent(data.times) as [number | undefined, number | undefined];
  const start = t0 ?? 0;
  const end = t1 !== undefined && t1 > start ? t1 : start + 60_000;
  const x = scaleTime().domain([new Date(start), new Date(end)]).range([0, innerWidth]);
  const top = max(data.lines.flatMap((l) => l.values.filter(defined))) ?? 0;
  const y = scaleLinear()
    .domain([data.yMin, Math.max(top, data.yMaxAtLeast)])
    .range([innerHeight, 0])
    .nice(4);

  const path = line<number | null>()
    .defined((v) => defined(v))
    .x((_, i) => x(new Date(data.times[i] ?? start)))
    .y((v) => y(v ?? 0));

  const lines = data.lines.map((l) => {
    const dots: { x: number; y: number }[] = [];
    l.values.forEach((v, i) => {
      if (!defined(v)) return;
      if (!defined(l.values[i - 1]) && !defined(l.values[i + 1])) {
        dots.push({ x: x(new Date(data.times[i] ?? start)), y: y(v) });
      }
    });
    return { key: l.key, label: l.label, d: path(l.values) ?? '', dots };
  });

  const xTicks = x.ticks(Math.max(2, Math.floor(innerWidth / 110))).map((d) => ({
    value: d.getTime(),
    pos: x(d),
    label: timeTick(d),
  }));
  const yTicks = y.ticks(4).map((v) => ({ value: v, pos: y(v), label: v === 0 ? '0' : data.format(v) }));
  const empty = !data.lines.some((l) => l.values.some(defined));
  return { width, height, margin, innerWidth, innerHeight, x, y, lines, xTicks, yTicks, empty };
}

const dayFormat = timeFormat('%b %d');
const minuteFormat = timeFormat('%H:%M');

/** 24-hour local tick labels; midnight shows the date ("May 01"). */
export function timeTick(d: Date): string {
  return timeDay(d) < d ? minuteFormat(d) : dayFormat(d);
}

/** Index of the time nearest to pixel `px` (inner coordinates); -1 without times. */
export function nearestIndex(times: readonly number[], x: ScaleTime<number, number>, px: number): number {
  if (times.length === 0) return -1;
  const t = x.invert(px).getTime();
  const i = bisector((d: number) => d).center(times, t);
  return Math.max(0, Math.min(times.length - 1, i));
}

/** Sparkline path through `values` (nulls are gaps) in a `width`×`height` box, 1px inset. */
export function sparklinePath(values: readonly (number | null)[], width: number, height: number): string {
  if (values.length === 0) return '';
  const top = max(values.filter(defined)) ?? 0;
  const x = scaleLinear()
    .domain([0, Math.max(1, values.length - 1)])
    .range([1, width - 1]);
  const y = scaleLinear()
    .domain([0, top > 0 ? top : 1])
    .range([height - 1, 1]);
  const path = line<number | null>()
    .defined((v) => defined(v))
    .x((_, i) => x(i))
    .y((v) => y(v ?? 0));
  return path([...values]) ?? '';
}
