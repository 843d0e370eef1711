// Stacked bar chart of the log histogram: a d3 time scale over the buckets and a linear count scale,
// one column per bucket stacked by level. Pure geometry; LogHistogram.svelte only draws it.
import { max, scaleLinear, scaleTime, type ScaleTime } from 'd3';
import type { ApiSeverityBand } from '../api/types.ts';
import { formatCount } from '../format/time.ts';
import { LEVELS, type HistogramBucket } from '../logs/histogram.ts';
import { innerSize, timeTick, type ChartFrame, type Margin } from './scales.ts';
import type { Window } from '../time/range.ts';

export const STACK_MARGIN: Margin = { top: 8, right: 10, bottom: 22, left: 44 };

/** Smallest drag (pixels) taken as a brush rather than a click. */
export const MIN_BRUSH_PX = 5;

export interface StackSegment {
  level: ApiSeverityBand;
  count: number;
  y: number;
  height: number;
}

export interface StackColumn {
  index: number;
  /** The bar. */
  x: number;
  width: number;
  /** The whole bucket (hover target). */
  slotX: number;
  slotWidth: number;
  total: number;
  segments: StackSegment[];
}

export interface StackModel extends ChartFrame {
  x: ScaleTime<number, number>;
  columns: StackColumn[];
  /** Brushes are clamped to this (the searched window; the buckets may start before it). */
  clamp: Window;
}

/** Scales, stacked columns and ticks of a `width`×`height` chart of `buckets` over the searched `window`. */
export function stackModel(buckets: readonly HistogramBucket[], window: Window, width: number, height: number, margin: Margin = STACK_MARGIN): StackModel {
  const { innerWidth, innerHeight } = innerSize(width, height, margin);
  const first = buckets[0]?.startMs ?? window.startMs;
  const last = buckets[buckets.length - 1]?.endMs ?? window.endMs;
  const x = scaleTime().domain([new Date(first), new Date(Math.max(last, first + 1))]).range([0, innerWidth]);
  const y = scaleLinear()
    .domain([0, Math.max(1, max(buckets, (b) => b.total) ?? 0)])
    .range([innerHeight, 0])
    .nice(3);
  const columns = buckets.map((b, index) => {
    const x0 = x(new Date(b.startMs));
    const slotWidth = Math.max(1, x(new Date(b.endMs)) - x0);
    const width = Math.max(1, slotWidth * 0.8);
    let top = innerHeight;
    const segments: StackSegment[] = [];
    for (const level of LEVELS) {
      const count = b.counts[level];
      if (count <= 0) continue;
      const h = innerHeight - y(count);
      top -= h;
      segments.push({ level, count, y: top, height: h });
    }
    return { index, x: x0 + (slotWidth - width) / 2, width, slotX: x0, slotWidth, total: b.total, segments };
  });
  const fit = Math.max(2, Math.floor(innerWidth / 70));
  const xTicks = x.ticks(fit).map((d) => ({ value: d.getTime(), pos: x(d), label: timeTick(d) }));
  const yTicks = y
    .ticks(3)
    .filter((v) => Number.isInteger(v))
    .map((v) => ({ value: v, pos: y(v), label: formatCount(v) }));
  return { width, height, margin, innerWidth, innerHeight, x, columns, xTicks, yTicks, clamp: window };
}

/** The column under an inner x pixel, or -1 outside the plot. */
export function columnAt(model: StackModel, px: number): number {
  if (px < 0 || px > model.innerWidth) return -1;
  const i = model.columns.findIndex((c) => px >= c.slotX && px < c.slotX + c.slotWidth);
  return i >= 0 ? i : model.columns.length - 1;
}

/** The time window under a drag between two inner x pixels (any order), within the searched window; null for a click. */
export function brushWindow(model: StackModel, x0: number, x1: number): Window | null {
  const left = Math.max(0, Math.min(x0, x1));
  const right = Math.min(model.innerWidth, Math.max(x0, x1));
  if (right - left < MIN_BRUSH_PX) return null;
  const startMs = Math.max(model.clamp.startMs, Math.floor(model.x.invert(left).getTime()));
  const endMs = Math.min(model.clamp.endMs, Math.ceil(model.x.invert(right).getTime()));
  return endMs > startMs ? { startMs, endMs } : null;
}
