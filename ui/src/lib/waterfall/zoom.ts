// Zoom of the waterfall's time axis: a window [startNs, endNs] of trace offsets. Pure functions;
// the minimap brush and the axis drag both produce windows through these.
import type { TimeScale } from './scale.ts';

export type TimeWindow = readonly [startNs: number, endNs: number];

/** Narrowest window one can zoom to: below a microsecond bars and labels stop meaning much. */
export const MIN_WINDOW_NS = 1_000;

export function fullWindow(durationNs: number): TimeWindow {
  return [0, Math.max(1, durationNs)];
}

/**
 * Orders the ends, keeps the window inside [0, duration] and at least MIN_WINDOW_NS wide (or the
 * whole trace when the trace is shorter), widening around the centre when needed.
 */
export function clampWindow(window: TimeWindow, durationNs: number): TimeWindow {
  const total = Math.max(1, durationNs);
  let [a, b] = window[0] <= window[1] ? window : [window[1], window[0]];
  if (!Number.isFinite(a) || !Number.isFinite(b)) return fullWindow(total);
  a = Math.max(0, Math.min(a, total));
  b = Math.max(0, Math.min(b, total));
  const min = Math.min(MIN_WINDOW_NS, total);
  if (b - a < min) {
    const mid = (a + b) / 2;
    a = Math.max(0, Math.min(mid - min / 2, total - min));
    b = a + min;
  }
  return [a, b];
}

export function isFullWindow(window: TimeWindow, durationNs: number): boolean {
  return window[0] <= 0 && window[1] >= Math.max(1, durationNs);
}

/** The window between two pixel positions of `scale` (e.g. a brush selection or an axis drag). */
export function windowFromPixels(scale: TimeScale, x0: number, x1: number, durationNs: number): TimeWindow {
  return clampWindow([scale.invert(Math.min(x0, x1)), scale.invert(Math.max(x0, x1))], durationNs);
}

/** True when the span [startNs, startNs + durationNs] shows inside the window. */
export function overlapsWindow(window: TimeWindow, startNs: number, durationNs: number): boolean {
  return startNs <= window[1] && startNs + Math.max(0, durationNs) >= window[0];
}

/** True when a pointer drag is long enough to mean "zoom to this", not a click. */
export function isDrag(x0: number, x1: number): boolean {
  return Math.abs(x1 - x0) >= 4;
}
