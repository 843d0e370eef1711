// Builds the waterfall's span tree ONCE into a flat pre-order array of rows.
//
// Guarantees (each span object appears in exactly one row):
//  - true roots (parentSpanId '') come first, ordered by start time;
//  - orphans (parent id not present in the trace) follow at depth 0, ordered by start time;
//  - spans only reachable through a cycle are emitted last at depth 0 (the cycle is cut),
//    so malformed input can never hang or recurse forever;
//  - duplicate span ids are all kept; children naming a duplicated id hang under the first
//    of those spans that the walk reaches, and are never emitted twice;
//  - siblings are ordered by start time (ties keep input order);
//  - the walk is iterative, so a 50k-deep chain cannot overflow the call stack.

export interface TreeSpan {
  spanId: string;
  /** '' (or missing) for a root span. */
  parentSpanId: string;
  /** Any monotonic start value: offset from trace start in ns, for instance. */
  startNs: number;
}

export type RowKind = 'root' | 'child' | 'orphan' | 'cycle';

export interface Row<S extends TreeSpan = TreeSpan> {
  span: S;
  depth: number;
  /** True when the next row is this row's descendant (so a collapse toggle makes sense). */
  hasChildren: boolean;
  /** How the row entered the tree: a true root, a child, an orphan, or a cut cycle member. */
  kind: RowKind;
}

function byStart<S extends TreeSpan>(spans: readonly S[]): (a: number, b: number) => number {
  return (a, b) => {
    const sa = spans[a]!.startNs;
    const sb = spans[b]!.startNs;
    if (sa !== sb) return sa < sb ? -1 : 1;
    return a - b;
  };
}

/**
 * Child lists keyed by parent id, as flat typed arrays (a 50k-span trace would otherwise allocate
 * tens of thousands of small arrays): the children of id number k are
 * `order[offsets[k]..offsets[k + 1]]`, sorted by start.
 */
interface Children {
  idNumber: Map<string, number>;
  offsets: Int32Array;
  order: Int32Array;
  roots: number[];
  orphans: number[];
}

function groupChildren<S extends TreeSpan>(spans: readonly S[]): Children {
  const n = spans.length;
  const idNumber = new Map<string, number>();
  for (const s of spans) if (!idNumber.has(s.spanId)) idNumber.set(s.spanId, idNumber.size);
  const parentOf = new Int32Array(n).fill(-1);
  const counts = new Int32Array(idNumber.size + 1);
  const roots: number[] = [];
  const orphans: number[] = [];
  for (let i = 0; i < n; i++) {
    const parent = spans[i]!.parentSpanId ?? '';
    const k = parent === '' ? undefined : idNumber.get(parent);
    if (parent === '') roots.push(i);
    else if (k === undefined) orphans.push(i);
    else {
      parentOf[i] = k;
      counts[k + 1]!++;
    }
  }
  const offsets = new Int32Array(idNumber.size + 1);
  for (let k = 0; k < idNumber.size; k++) offsets[k + 1] = offsets[k]! + counts[k + 1]!;
  const fill = offsets.slice(0, idNumber.size);
  const order = new Int32Array(offsets[idNumber.size]!);
  // indices go in ascending, so equal starts keep input order once sorted stably below
  for (let i = 0; i < n; i++) if (parentOf[i]! >= 0) order[fill[parentOf[i]!]!++] = i;
  const cmp = byStart(spans);
  for (let k = 0; k < idNumber.size; k++) {
    if (offsets[k + 1]! - offsets[k]! > 1) order.subarray(offsets[k]!, offsets[k + 1]!).sort(cmp);
  }
  roots.sort(cmp);
  orphans.sort(cmp);
  return { idNumber, offsets, order, roots, orphans };
}

export function buildRows<S extends TreeSpan>(spans: readonly S[]): Row<S>[] {
  const n = spans.length;
  const { idNumber, offsets, order, roots, orphans } = groupChildren(spans);

  const rows: Row<S>[] = [];
  const visited = new Uint8Array(n);
  // Child lists already handed out: a duplicated id gets its children only once.
  const expanded = new Uint8Array(idNumber.size);
  // pairs of (span index, depth); never deeper than n entries each
  const stack = new Int32Array(2 * n + 2);

  const walk = (start: number, kind: RowKind): void => {
    if (visited[start]) return;
    let top = 0;
    stack[top++] = start;
    stack[top++] = 0;
    let first = true;
    while (top > 0) {
      const depth = stack[--top]!;
      const index = stack[--top]!;
      if (visited[index]) continue;
      visited[index] = 1;
      const span = spans[index]!;
      rows.push({ span, depth, hasChildren: false, kind: first ? kind : 'child' });
      first = false;
      const k = idNumber.get(span.spanId)!;
      if (expanded[k]) continue;
      expanded[k] = 1;
      // push in reverse so the earliest child is popped (emitted) first
      for (let c = offsets[k + 1]! - 1; c >= offsets[k]!; c--) {
        const child = order[c]!;
        if (visited[child]) continue;
        stack[top++] = child;
        stack[top++] = depth + 1;
      }
    }
  };

  for (const i of roots) walk(i, 'root');
  for (const i of orphans) walk(i, 'orphan');
  if (rows.length < n) {
    // Whatever is left is only reachable through a parent cycle: cut it at the earliest span.
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (!visited[i]) rest.push(i);
    rest.sort(byStart(spans));
    for (const i of rest) walk(i, 'cycle');
  }

  for (let i = 0; i + 1 < rows.length; i++) {
    rows[i]!.hasChildren = rows[i + 1]!.depth > rows[i]!.depth;
  }
  return rows;
}

/**
 * Indices of the rows to show when the rows at `collapsed` indices are folded: a depth scan
 * that skips every following row deeper than a collapsed row. O(rows).
 */
export function visibleRowIndices(
  rows: readonly Pick<Row, 'depth'>[],
  collapsed: ReadonlySet<number>,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    out.push(i);
    if (collapsed.has(i)) {
      const depth = rows[i]!.depth;
      while (i + 1 < rows.length && rows[i + 1]!.depth > depth) i++;
    }
  }
  return out;
}

/** Indices of the ancestors of row `index` (nearest first), found by scanning back by depth. */
export function ancestorIndices(rows: readonly Pick<Row, 'depth'>[], index: number): number[] {
  const out: number[] = [];
  let depth = rows[index]?.depth ?? 0;
  for (let i = index - 1; i >= 0 && depth > 0; i--) {
    const d = rows[i]!.depth;
    if (d < depth) {
      out.push(i);
      depth = d;
    }
  }
  return out;
}
