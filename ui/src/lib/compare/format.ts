// Text of the compare page's figures. Pure.
import { formatDuration } from '../format/nanos.ts';

/** Signed difference of two durations: "+12ms", "−3.5ms", "±0". */
export function durationDelta(ns: number | null): string {
  if (ns === null || !Number.isFinite(ns)) return '—';
  if (ns === 0) return '±0';
  return ns > 0 ? `+${formatDuration(ns)}` : `−${formatDuration(-ns)}`;
}

/** Signed difference of two counts: "+2", "−1", "±0". */
export function countDelta(n: number): string {
  if (n === 0) return '±0';
  return n > 0 ? `+${n}` : `−${-n}`;
}

/** B relative to A as a percentage ("+25%"); '' when A is zero. */
export function relativeDelta(a: number, b: number): string {
  if (a === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return '';
  const pct = Math.round(((b - a) / a) * 100);
  return pct === 0 ? '±0%' : pct > 0 ? `+${pct}%` : `−${-pct}%`;
}

/** 'worse' when B grew (slower, more spans or errors), 'better' when it shrank. */
export function trend(delta: number | null): 'worse' | 'better' | 'same' {
  if (delta === null || delta === 0) return 'same';
  return delta > 0 ? 'worse' : 'better';
}

/** Bar length (percent of its cell) of a duration against the largest one shown. */
export function barPercent(ns: number | null | undefined, maxNs: number): number {
  if (ns === null || ns === undefined || !(maxNs > 0) || !(ns > 0)) return 0;
  return Math.min(100, Math.max(1, (ns / maxNs) * 100));
}
