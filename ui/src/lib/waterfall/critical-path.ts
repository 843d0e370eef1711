// Critical path of a trace: the chain of work that determined when the root span finished.
//
// The classic walk: start at the root's end, repeatedly step into the last-finishing child that
// ends at or before the cursor, and when a span has no such child left, the span's own time is on
// the path back to its start and the walk resumes in its parent at that start. It works on the
// waterfall's flat pre-order rows, so duplicates, orphans and cut cycles are already resolved, and
// it is iterative (a 50k-deep chain cannot overflow the stack).
//
// Clock skew: a child's interval is clamped into its parent's (clamped) interval before the walk,
// so a child reported as starting before its parent or ending after it still counts, and a child
// lying entirely outside its parent (skew larger than the parent) is ignored.

export interface PathRow {
  depth: number;
  span: { startNs: number; durationNs: number };
}

export interface CriticalSegment {
  /** Row index in the waterfall's row array. */
  row: number;
  startNs: number;
  endNs: number;
}

export interface CriticalPath {
  /** Segments in time order (earliest first); consecutive segments never overlap. */
  segments: CriticalSegment[];
  /** Row indices with at least one segment on the path. */
  rows: Set<number>;
}

/** Parent row index per row (-1 for depth-0 rows), from the pre-order depths. */
export function parentRows(rows: readonly Pick<PathRow, 'depth'>[]): Int32Array {
  const parents = new Int32Array(rows.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const depth = rows[i]!.depth;
    while (stack.length > depth) stack.pop();
    parents[i] = depth > 0 ? (stack[stack.length - 1] ?? -1) : -1;
    stack.push(i);
  }
  return parents;
}

/**
 * Critical path through the subtree of row `rootRow` (default: the first row). Returns no segments
 * for an empty input.
 */
export function criticalPath(rows: readonly PathRow[], rootRow = 0): CriticalPath {
  const empty: CriticalPath = { segments: [], rows: new Set() };
  if (rootRow < 0 || rootRow >= rows.length) return empty;
  const parents = parentRows(rows);
  const { starts, ends } = clampedIntervals(rows, parents, rootRow);
  const kids = childrenByEndDesc(rows, parents, starts, ends, rootRow);
  const next = new Int32Array(rows.length); // per row: how many of its children were already tried

  const segments: CriticalSegment[] = [];
  let current = rootRow;
  let cursor = ends[rootRow]!;
  for (;;) {
    const list = kids.get(current);
    let child = -1;
    if (list) {
      // the cursor only moves back in time within a span, so the candidates only shrink
      let k = next[current]!;
      while (k < list.length && ends[list[k]!]! > cursor) k++;
      if (k < list.length) child = list[k]!;
      next[current] = k + 1;
    }
    if (child >= 0) {
      const childEnd = ends[child]!;
      if (childEnd < cursor) segments.push({ row: current, startNs: childEnd, endNs: cursor });
      current = child;
      cursor = childEnd;
      continue;
    }
    const start = starts[current]!;
    if (cursor > start || segments.length === 0) segments.push({ row: current, startNs: start, endNs: cursor });
    if (current === rootRow) break;
    cursor = start;
    current = parents[current]!;
  }
  segments.reverse();
  return { segments, rows: new Set(segments.map((s) => s.row)) };
}

/** Each row's interval clamped into its parent's clamped interval (NaN when it lies outside). */
function clampedIntervals(
  rows: readonly PathRow[],
  parents: Int32Array,
  rootRow: number,
): { starts: Float64Array; ends: Float64Array } {
  const starts = new Float64Array(rows.length).fill(NaN);
  const ends = new Float64Array(rows.length).fill(NaN);
  const root = rows[rootRow]!.span;
  starts[rootRow] = root.startNs;
  ends[rootRow] = root.startNs + Math.max(0, root.durationNs);
  const rootDepth = rows[rootRow]!.depth;
  // pre-order: a parent is always clamped before its children; the subtree ends at the next
  // row that is not deeper than the root
  for (let i = rootRow + 1; i < rows.length && rows[i]!.depth > rootDepth; i++) {
    const p = parents[i]!;
    const ps = starts[p]!;
    const pe = ends[p]!;
    if (Number.isNaN(ps)) continue;
    const { startNs, durationNs } = rows[i]!.span;
    const s = Math.max(startNs, ps);
    const e = Math.min(startNs + Math.max(0, durationNs), pe);
    // a zero-length child is kept only when it is inside the parent
    if (e < s || (e === s && (startNs < ps || startNs > pe))) continue;
    starts[i] = s;
    ends[i] = e;
  }
  return { starts, ends };
}

function childrenByEndDesc(
  rows: readonly PathRow[],
  parents: Int32Array,
  starts: Float64Array,
  ends: Float64Array,
  rootRow: number,
): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  const rootDepth = rows[rootRow]!.depth;
  for (let i = rootRow + 1; i < rows.length && rows[i]!.depth > rootDepth; i++) {
    if (Number.isNaN(starts[i]!)) continue;
    const p = parents[i]!;
    let list = kids.get(p);
    if (!list) kids.set(p, (list = []));
    list.push(i);
  }
  // latest end first; on a tie the later start (the shorter child) first, then the later row
  for (const list of kids.values()) {
    list.sort((a, b) => ends[b]! - ends[a]! || starts[b]! - starts[a]! || b - a);
  }
  return kids;
}
