// Event volume of one issue (GET …/issues/{id}/stats): the request of a period, a normalizer for the
// untrusted answer, and the buckets the chart draws. Pure.
//
// Both periods ask for hourly counts (the API's grain, UTC hours) and bucket them here: 24 one-hour bars,
// or 14 bars of the viewer's local days (an API `step` of a day would cut days at UTC midnight). Every bucket
// is present; a bucket without events is zero, whatever the answer left out.
import { bisectRight, timeDay, timeFormat, utcHour } from 'd3';
import { parseIsoMs } from '../format/time.ts';

export type VolumePeriod = '24h' | '14d';

export const VOLUME_PERIODS: readonly { key: VolumePeriod; label: string; title: string }[] = [
  { key: '24h', label: '24h', title: 'last 24 hours, per hour' },
  { key: '14d', label: '14d', title: 'last 14 days, per day' },
];

/** One point of the API's series (epoch ms). */
export interface VolumePoint {
  time: number;
  events: number;
}

/** One bar: `[start, end)` in epoch ms. */
export interface VolumeBucket {
  start: number;
  end: number;
  events: number;
}

const HOUR = 3_600_000;

/** Bucket start times of `period` ending with the bucket that holds `now`. */
export function bucketStarts(period: VolumePeriod, now: number): number[] {
  if (period === '24h') {
    const current = utcHour.floor(new Date(now)).getTime();
    return Array.from({ length: 24 }, (_, i) => current - (23 - i) * HOUR);
  }
  const today = timeDay.floor(new Date(now));
  return timeDay.range(timeDay.offset(today, -13), timeDay.offset(today, 1)).map((d) => d.getTime());
}

function bucketEnd(period: VolumePeriod, start: number): number {
  return period === '24h' ? start + HOUR : timeDay.offset(new Date(start), 1).getTime();
}

/** Query string of GET …/stats: hourly counts from the first bucket's (UTC) hour to `now`. */
export function volumeQuery(period: VolumePeriod, now: number): URLSearchParams {
  const first = bucketStarts(period, now)[0] ?? now;
  const start = utcHour.floor(new Date(first)).getTime();
  return new URLSearchParams({ start: String(start), end: String(Math.max(now, start + 1)), step: '3600' });
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function toMs(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return /^\d+$/.test(v) ? Number(v) : parseIsoMs(v);
  return NaN;
}

/** The `series` of a stats answer: points with a readable time, counts as non-negative numbers. */
export function normalizeVolume(raw: unknown): VolumePoint[] {
  const series = obj(raw).series;
  if (!Array.isArray(series)) return [];
  const out: VolumePoint[] = [];
  for (const item of series) {
    const p = obj(item);
    const time = toMs(p.time);
    const events = Number(p.events);
    if (!Number.isFinite(time)) continue;
    out.push({ time, events: Number.isFinite(events) && events > 0 ? events : 0 });
  }
  return out;
}

/** The bars of `period` ending now, each with the events of the points inside it (zero without any). */
export function volumeBuckets(period: VolumePeriod, points: readonly VolumePoint[], now: number): VolumeBucket[] {
  const starts = bucketStarts(period, now);
  const buckets = starts.map((start) => ({ start, end: bucketEnd(period, start), events: 0 }));
  for (const p of points) {
    const bucket = buckets[bisectRight(starts, p.time) - 1];
    if (bucket && p.time < bucket.end) bucket.events += p.events;
  }
  return buckets;
}

export function totalEvents(buckets: readonly VolumeBucket[]): number {
  return buckets.reduce((sum, b) => sum + b.events, 0);
}

const hourStart = timeFormat('%a %b %d, %H:%M');
const hourEnd = timeFormat('%H:%M');
const dayFormat = timeFormat('%a %b %d');

/** The tooltip's time of a bucket, local: "Wed Dec 02, 14:00–15:00" or "Wed Dec 02". */
export function bucketLabel(bucket: VolumeBucket, period: VolumePeriod): string {
  if (period === '14d') return dayFormat(new Date(bucket.start));
  return `${hourStart(new Date(bucket.start))}–${hourEnd(new Date(bucket.end))}`;
}

/** "1 event", "12 events". */
export function eventsText(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'event' : 'events'}`;
}
