// d3 scales for the waterfall: pure functions, no DOM. Svelte components only render.
import { scaleLinear, scaleOrdinal, type ScaleLinear } from 'd3';
import { formatDuration } from '../format/nanos.ts';

export type TimeScale = ScaleLinear<number, number>;

/**
 * Maps [0, traceDuration] (ns offsets) to [0, widthPx]; with a zoom window, maps the window
 * [startNs, endNs] onto the same pixels instead.
 */
export function timeScale(
  durationNs: number,
  widthPx: number,
  window?: readonly [number, number],
): TimeScale {
  const [from, to] = window ?? [0, durationNs];
  return scaleLinear()
    .domain([from, Math.max(from + 1, to)])
    .range([0, Math.max(1, widthPx)]);
}

export interface BarGeometry {
  left: number;
  width: number;
}

export const MIN_BAR_PX = 2;

export function barGeometry(scale: TimeScale, startNs: number, durationNs: number): BarGeometry {
  const [, rangeEnd] = scale.range() as [number, number];
  // clipped to the track, so bars of a zoomed-in axis never stick out of it
  const left = Math.max(0, Math.min(scale(startNs), rangeEnd - MIN_BAR_PX));
  const width = Math.max(MIN_BAR_PX, Math.min(scale(startNs + durationNs) - left, rangeEnd - left));
  return { left, width };
}

export interface AxisTick {
  value: number;
  x: number;
  label: string;
}

/** Ticks of the time axis; roughly one per 110px, labelled in µs/ms/s. */
export function axisTicks(scale: TimeScale): AxisTick[] {
  const [, width] = scale.range() as [number, number];
  const count = Math.max(2, Math.floor(width / 110));
  return scale.ticks(count).map((value) => ({ value, x: scale(value), label: tickLabel(value) }));
}

function tickLabel(ns: number): string {
  return ns === 0 ? '0' : formatDuration(ns);
}

/**
 * Service colours: Tableau 10 without its red and pink, which read as "error" next to the red error
 * outline, icon and hatching; a purple, an olive, a sky and a dark blue take their places (no hue
 * between magenta and red-orange).
 */
export const SERVICE_PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2c',
  '#76b7b2',
  '#59a14f',
  '#edc949',
  '#8e6bbf',
  '#9c9c3c',
  '#3fa7d6',
  '#a0a7b1',
  '#2f5f8a',
];

/** Stable colour per service, assigned over the sorted service list. */
export function serviceColors(services: readonly string[]): (service: string) => string {
  const scale = scaleOrdinal<string, string>(SERVICE_PALETTE).domain([...services].sort());
  return (service) => scale(service);
}
