// The log histogram's answer as the page uses it: buckets in unix ms, totals per level, the level and
// service toggles. Pure.
import { timeFormat } from 'd3';
import type { ApiLogHistogram, ApiSeverityBand } from '../api/types.ts';
import { formatCount } from '../format/time.ts';
import { SEVERITIES, type SeverityFilter } from './filters.ts';

/** Severity bands in stacking order, bottom first. */
export const LEVELS: readonly ApiSeverityBand[] = ['unspecified', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export type LevelCounts = Record<ApiSeverityBand, number>;

export interface HistogramBucket {
  startMs: number;
  endMs: number;
  counts: LevelCounts;
  total: number;
}

export interface LogHistogramData {
  stepMs: number;
  buckets: HistogramBucket[];
  total: number;
  levels: LevelCounts;
  services: Array<{ service: string; count: number }>;
}

const zero = (): LevelCounts => ({ unspecified: 0, trace: 0, debug: 0, info: 0, warn: 0, error: 0, fatal: 0 });

/** The answer with times parsed, missing counts as 0 and the totals per level summed. */
export function toHistogramData(h: ApiLogHistogram): LogHistogramData {
  const stepMs = Math.max(1, h.step) * 1000;
  const levels = zero();
  const buckets = h.buckets.map((b) => {
    const startMs = Date.parse(b.start);
    const counts = zero();
    let total = 0;
    for (const level of LEVELS) {
      const n = Number(b.counts[level]) || 0;
      counts[level] = n;
      levels[level] += n;
      total += n;
    }
    return { startMs, endMs: startMs + stepMs, counts, total };
  });
  return { stepMs, buckets, total: h.total, levels, services: h.byService };
}

/** The level filter a click on a level sets: that level and above, or none when it is the current one. */
export function toggleLevel(current: SeverityFilter, level: ApiSeverityBand): SeverityFilter {
  if (!(SEVERITIES as readonly string[]).includes(level) || level === current) return '';
  return level as SeverityFilter;
}

/** The service filter a click on a service sets: that service, or none when it is the current one. */
export function toggleService(current: string, service: string): string {
  return service === current ? '' : service;
}

/** Suggestions for the service input: both lists, once each, sorted. */
export function serviceSuggestions(...lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat().filter((s) => s !== ''))].sort((a, b) => a.localeCompare(b));
}

const minute = timeFormat('%b %d %H:%M');
const second = timeFormat('%b %d %H:%M:%S');
const clock = timeFormat('%H:%M');
const clockSeconds = timeFormat('%H:%M:%S');

/** "Mar 04 14:05 – 14:06" (seconds shown for buckets under a minute). */
export function bucketLabel(b: Pick<HistogramBucket, 'startMs' | 'endMs'>): string {
  const fine = b.endMs - b.startMs < 60_000;
  const start = new Date(b.startMs);
  const end = new Date(b.endMs);
  const sameDay = start.toDateString() === end.toDateString();
  return `${(fine ? second : minute)(start)} – ${sameDay ? (fine ? clockSeconds : clock)(end) : (fine ? second : minute)(end)}`;
}

/** "1,204 records" / "1 record". */
export function recordsText(n: number): string {
  return `${formatCount(n)} record${n === 1 ? '' : 's'}`;
}
