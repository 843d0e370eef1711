// Pure helpers of the first-page read of a trace search (trace-search.ts): the window cut newest first, and the
// traces of the newest matching rows in order.
import type { KeyedTrace } from './trace-duration.ts';

const HOUR_NS = 3_600_000_000_000n;

/**
 * [start, end] (inclusive nanoseconds) cut into at most three disjoint slices, newest first: the window's newest
 * clock hour, the five hours before it, and the rest. Cuts fall on hour boundaries, which are the spans' sort key,
 * so a slice reads only the granules of its own hours.
 */
export function newestFirstSlices(startNs: bigint, endNs: bigint): Array<[bigint, bigint]> {
  const out: Array<[bigint, bigint]> = [];
  const newestHour = endNs > 0n ? ((endNs - 1n) / HOUR_NS) * HOUR_NS : 0n;
  let hi = endNs;
  for (const cut of [newestHour, newestHour - 5n * HOUR_NS]) {
    if (cut <= startNs) break;
    out.push([cut, hi]);
    hi = cut - 1n;
  }
  if (hi >= startNs) out.push([startNs, hi]);
  return out;
}

/**
 * Windows longer than this read an attribute value's newest slice before grouping; shorter ones read the whole window
 * in one top-N statement (pageByStart in trace-search.ts).
 */
export const SLICE_FIRST_MIN_NS = 2n * HOUR_NS;

/** The first row of each trace, in order, up to `wanted` traces. */
export function firstPerTrace(rows: readonly KeyedTrace[], wanted: number): KeyedTrace[] {
  const seen = new Set<string>();
  const out: KeyedTrace[] = [];
  for (const row of rows) {
    if (seen.has(row.TraceId)) continue;
    seen.add(row.TraceId);
    out.push(row);
    if (out.length === wanted) break;
  }
  return out;
}
