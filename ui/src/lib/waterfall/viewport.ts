// Row virtualization and per-row lookups for the waterfall. Pure functions.
import type { CriticalSegment } from './critical-path.ts';

/** Rows are added and dropped in blocks of this many, so small scrolls re-render nothing. */
export const BLOCK_ROWS = 4;
/** Rows kept beyond each edge of the viewport (at least; block rounding adds up to a block). */
export const OVERSCAN_ROWS = 8;

export interface RowRange {
  /** First rendered position in the visible-row list. */
  first: number;
  /** One past the last rendered position. */
  last: number;
}

/**
 * Positions to render for a body scrolled by `scrollPx` (may be negative above the body) with a
 * viewport `heightPx` tall, as block-aligned [first, last) clamped to [0, count).
 */
export function renderWindow(scrollPx: number, heightPx: number, rowPx: number, count: number): RowRange {
  const top = Math.floor(Math.max(0, scrollPx) / rowPx) - OVERSCAN_ROWS;
  const bottom = Math.ceil((Math.max(0, scrollPx) + Math.max(heightPx, rowPx)) / rowPx) + OVERSCAN_ROWS;
  const first = Math.max(0, Math.floor(top / BLOCK_ROWS) * BLOCK_ROWS);
  const last = Math.min(count, Math.ceil(bottom / BLOCK_ROWS) * BLOCK_ROWS);
  return { first: Math.min(first, last), last };
}

/** Slot ids for recycled row components: enough for any range renderWindow returns for this height. */
export function slotList(heightPx: number, rowPx: number): number[] {
  const count = Math.ceil(Math.max(heightPx, rowPx) / rowPx) + 2 * OVERSCAN_ROWS + 2 * BLOCK_ROWS + 2;
  return Array.from({ length: count }, (_, k) => k);
}

/**
 * The rendered position slot `slot` shows: the one position in [first, last) congruent to it
 * modulo `slotCount`, or -1 when that position is past the end. A position keeps its slot while
 * it stays in range, so a scroll only re-points the slots of rows that left.
 */
export function slotPosition(slot: number, slotCount: number, range: RowRange): number {
  const pos = range.first + ((((slot - range.first) % slotCount) + slotCount) % slotCount);
  return pos < range.last ? pos : -1;
}

/**
 * Widens `range` to exactly one position per slot (as far as the list goes). Without this the
 * slots beyond the range would sit empty, and as the range moves they would flip between empty
 * and filled, which destroys and re-creates row components instead of re-pointing them.
 */
export function fillSlots(range: RowRange, slotCount: number, count: number): RowRange {
  const last = Math.min(count, range.first + slotCount);
  return { first: Math.max(0, Math.min(range.first, last - slotCount)), last };
}

/** Critical-path segments grouped by row index. */
export function segmentsByRow(segments: readonly CriticalSegment[]): Map<number, CriticalSegment[]> {
  const out = new Map<number, CriticalSegment[]>();
  for (const s of segments) {
    const list = out.get(s.row);
    if (list) list.push(s);
    else out.set(s.row, [s]);
  }
  return out;
}

const INDENT_PX = 14;
/** Depth beyond which rows stop moving right, so deep spans keep their names in the label column. */
export const MAX_INDENT_DEPTH = 12;

/** Left padding of a row label: 14px per level up to MAX_INDENT_DEPTH, then 1px per level up to 40 more. */
export function indentPx(depth: number): number {
  const d = Math.max(0, depth);
  return 6 + Math.min(d, MAX_INDENT_DEPTH) * INDENT_PX + Math.min(Math.max(0, d - MAX_INDENT_DEPTH), 40);
}
