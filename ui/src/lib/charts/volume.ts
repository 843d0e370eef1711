// Bar chart of an issue's event volume: d3 band and linear scales, pure geometry. One bar per bucket
// (hour or day); the Svelte component only draws what this returns.
import { max, scaleBand, scaleLinear, timeFormat } from 'd3';
import { formatCount } from '../format/time.ts';
import type { VolumeBucket, VolumePeriod } from '../issues/volume.ts';
import { innerSize, timeTick, type ChartFrame, type Margin, type Tick } from './scales.ts';

export const VOLUME_MARGIN: Margin = { top: 8, right: 8, bottom: 22, left: 40 };

export interface VolumeBar {
  index: number;
  events: number;
  x: number;
  y: number;
  width: number;
  /** 0 for an empty bucket (drawn as a stub on the axis). */
  height: number;
  /** The whole column of the bucket (hover target), `step` wide. */
  slotX: number;
  slotWidth: number;
}

export interface VolumeModel extends ChartFrame {
  bars: VolumeBar[];
}

const dayTick = timeFormat('%b %d');
/** Label strides (in buckets) tried in order: hours land on round hours, days count back from today. */
const HOUR_STRIDES = [1, 2, 3, 4, 6, 12, 24];
const DAY_STRIDES = [1, 2, 7, 14];
/** Room for one x label ("Dec 02", "14:00"). */
const LABEL_PX = 52;

function xTicks(buckets: readonly VolumeBucket[], period: VolumePeriod, center: (i: number) => number, room: number): Tick[] {
  const n = buckets.length;
  const fit = Math.max(1, Math.floor(room / LABEL_PX));
  const strides = period === '24h' ? HOUR_STRIDES : DAY_STRIDES;
  const stride = strides.find((s) => Math.ceil(n / s) <= fit) ?? n;
  const ticks: Tick[] = [];
  buckets.forEach((b, i) => {
    const d = new Date(b.start);
    const show = period === '24h' ? d.getHours() % stride === 0 : (n - 1 - i) % stride === 0;
    if (show) ticks.push({ value: b.start, pos: center(i), label: period === '24h' ? timeTick(d) : dayTick(d) });
  });
  return ticks;
}

/** Scales, bars and ticks of a `width`×`height` chart of `buckets`. */
export function volumeModel(
  buckets: readonly VolumeBucket[],
  period: VolumePeriod,
  width: number,
  height: number,
  margin: Margin = VOLUME_MARGIN,
): VolumeModel {
  const { innerWidth, innerHeight } = innerSize(width, height, margin);
  const x = scaleBand<number>()
    .domain(buckets.map((_, i) => i))
    .range([0, innerWidth])
    .paddingInner(0.2)
    .paddingOuter(0.1);
  const top = max(buckets, (b) => b.events) ?? 0;
  const y = scaleLinear()
    .domain([0, Math.max(1, top)])
    .range([innerHeight, 0])
    .nice(4);
  const step = x.step();
  const bars = buckets.map((b, i) => {
    const bx = x(i) ?? 0;
    const h = b.events > 0 ? Math.max(1, innerHeight - y(b.events)) : 0;
    return {
      index: i,
      events: b.events,
      x: bx,
      y: innerHeight - h,
      width: x.bandwidth(),
      height: h,
      slotX: bx - (step - x.bandwidth()) / 2,
      slotWidth: step,
    };
  });
  // counts are whole numbers: no "0.5" tick on a chart whose tallest bar is 1
  const yTicks = y
    .ticks(4)
    .filter((v) => Number.isInteger(v))
    .map((v) => ({ value: v, pos: y(v), label: formatCount(v) }));
  const center = (i: number): number => (x(i) ?? 0) + x.bandwidth() / 2;
  return { width, height, margin, innerWidth, innerHeight, bars, xTicks: xTicks(buckets, period, center, innerWidth), yTicks };
}
