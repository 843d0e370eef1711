// Scales and geometry of the trace-search scatter plot (x = trace start, y = duration): pure
// functions, no DOM. The Svelte component only renders what is computed here.
import {
  max,
  min,
  scaleLinear,
  scaleLog,
  scaleTime,
  symbol,
  symbolCircle,
  symbolDiamond,
  timeFormat,
  type ScaleContinuousNumeric,
  type ScaleTime,
} from 'd3';
import { innerSize, timeTick, type ChartFrame, type Margin, type Tick } from '../charts/scales.ts';
import { formatDuration } from '../format/nanos.ts';
import type { Window } from '../time/range.ts';

export const SCATTER_MARGIN: Margin = { top: 10, right: 16, bottom: 24, left: 64 };

export interface ScatterInput {
  id: string;
  startMs: number;
  durationMs: number;
  error: boolean;
}

export interface ScatterPoint extends ScatterInput {
  x: number;
  y: number;
}

export interface ScatterModel extends ChartFrame {
  log: boolean;
  x: ScaleTime<number, number>;
  y: ScaleContinuousNumeric<number, number>;
  points: ScatterPoint[];
}

/** Durations below this (1 µs) are drawn at it: a log scale cannot place zero. */
export const MIN_DURATION_MS = 0.001;

/**
 * A log y axis once durations span more than ~1.5 decades: one slow outlier would otherwise
 * squash every other trace onto the x axis. Close-together durations read better linearly.
 */
export function useLogScale(durationsMs: readonly number[]): boolean {
  const positive = durationsMs.filter((d) => Number.isFinite(d) && d > 0);
  if (positive.length < 2) return false;
  return (max(positive) ?? 0) / (min(positive) ?? 1) > 30;
}

/**
 * Start-time domain. With the searched `window`: that window, widened only to take in a trace that began
 * before it (a trace matches by any span in it), so the axis shows the whole range, where no trace was loaded
 * too. Without: the points' extent, padded so edge points are not cut by the frame.
 */
export function timeDomain(startsMs: readonly number[], window: Window | null = null): [number, number] {
  const finite = startsMs.filter(Number.isFinite);
  if (window && Number.isFinite(window.startMs) && Number.isFinite(window.endMs) && window.startMs < window.endMs) {
    return [Math.min(window.startMs, min(finite) ?? Infinity), Math.max(window.endMs, max(finite) ?? -Infinity)];
  }
  if (finite.length === 0) return [0, 60_000];
  const lo = min(finite) ?? 0;
  const hi = max(finite) ?? 0;
  // at least a second wide, so one trace (or a burst) sits in the middle
  const pad = Math.max((hi - lo) * 0.04, 500);
  return [lo - pad, hi + pad];
}

function durationScale(durationsMs: readonly number[], innerHeight: number, log: boolean): ScaleContinuousNumeric<number, number> {
  const finite = durationsMs.filter(Number.isFinite).map((d) => Math.max(d, MIN_DURATION_MS));
  const hi = max(finite) ?? 1;
  if (log) {
    const lo = min(finite) ?? MIN_DURATION_MS;
    return scaleLog()
      .domain([lo / 1.5, hi * 1.5])
      .range([innerHeight, 0])
      .nice();
  }
  return scaleLinear()
    .domain([0, hi > 0 ? hi * 1.08 : 1])
    .range([innerHeight, 0])
    .nice(4);
}

function durationTicks(y: ScaleContinuousNumeric<number, number>, log: boolean): Tick[] {
  let values = y.ticks(4);
  // a log scale's ticks include 2..9 of every decade; keep the powers of ten
  if (log) values = values.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  return values.map((v) => ({ value: v, pos: y(v), label: v === 0 ? '0' : formatDuration(v * 1e6) }));
}

/** Scales, point positions and ticks of a `width`×`height` scatter of `items` over the searched `window`. */
export function scatterModel(
  items: readonly ScatterInput[],
  width: number,
  height: number,
  window: Window | null = null,
  margin: Margin = SCATTER_MARGIN,
): ScatterModel {
  const { innerWidth, innerHeight } = innerSize(width, height, margin);
  const durations = items.map((i) => i.durationMs);
  const log = useLogScale(durations);
  const [t0, t1] = timeDomain(items.map((i) => i.startMs), window);
  const x = scaleTime().domain([new Date(t0), new Date(t1)]).range([0, innerWidth]);
  const y = durationScale(durations, innerHeight, log);
  const points = items.map((i) => ({
    ...i,
    x: x(new Date(i.startMs)),
    y: y(log ? Math.max(i.durationMs, MIN_DURATION_MS) : Math.max(i.durationMs, 0)),
  }));
  const xTicks = x.ticks(Math.max(2, Math.floor(innerWidth / 120))).map((d) => ({
    value: d.getTime(),
    pos: x(d),
    label: scatterTimeTick(d),
  }));
  return { width, height, margin, innerWidth, innerHeight, log, x, y, points, xTicks, yTicks: durationTicks(y, log) };
}

const secondFormat = timeFormat('%H:%M:%S');

/** Like the charts' 24-hour ticks, with seconds where a tick falls inside a minute (short windows). */
export function scatterTimeTick(d: Date): string {
  return d.getSeconds() !== 0 || d.getMilliseconds() !== 0 ? secondFormat(d) : timeTick(d);
}

/** SVG path of a point's marker: errors are diamonds (shape as well as colour tells them apart). */
export function markerPath(error: boolean, size = 64): string {
  return symbol(error ? symbolDiamond : symbolCircle, error ? size * 1.3 : size)() ?? '';
}

export interface BrushBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface BrushSelection {
  startMs: number;
  endMs: number;
  minDurationMs: number;
  maxDurationMs: number;
}

/** Smallest drag (pixels along either axis) taken as a brush rather than a stray click. */
export const MIN_BRUSH_PX = 5;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/**
 * The time window and duration bounds under a dragged box (inner pixel coordinates, any corner
 * order), rounded outwards so the points inside stay inside; null for a box too small to mean it.
 */
export function brushSelection(model: ScatterModel, box: BrushBox): BrushSelection | null {
  const left = clamp(Math.min(box.x0, box.x1), 0, model.innerWidth);
  const right = clamp(Math.max(box.x0, box.x1), 0, model.innerWidth);
  const top = clamp(Math.min(box.y0, box.y1), 0, model.innerHeight);
  const bottom = clamp(Math.max(box.y0, box.y1), 0, model.innerHeight);
  if (right - left < MIN_BRUSH_PX && bottom - top < MIN_BRUSH_PX) return null;
  const lowMs = Math.max(0, model.y.invert(bottom));
  const highMs = model.y.invert(top);
  return {
    startMs: Math.floor(model.x.invert(left).getTime()),
    endMs: Math.ceil(model.x.invert(right).getTime()),
    // a box down to the axis means "no lower bound" (on a log axis the floor is not zero)
    minDurationMs: bottom >= model.innerHeight - 0.5 ? 0 : Math.floor(lowMs * 1000) / 1000,
    maxDurationMs: Math.ceil(highMs * 1000) / 1000,
  };
}
