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

export function buildRows<S extends TreeSpan>(spans: readonly S[]): Row<S>[] {
  const n = spans.length;
  const ids = new Set<string>();
  for (const s of spans) ids.add(s.spanId);

  // parent id -> child indices
  const children = new Map<string, number[]>();
  const roots: number[] = [];
  const orphans: number[] = [];
  for (let i = 0; i < n; i++) {
    const parent = spans[i]!.parentSpanId ?? '';
    if (parent === '') {
      roots.push(i);
    } else if (!ids.has(parent)) {
      orphans.push(i);
    } else {
      let list = children.get(parent);
      if (!list) children.set(parent, (list = []));
      list.push(i);
    }
  }
  const cmp = byStart(spans);
  for (const list of children.values()) list.sort(cmp);
  roots.sort(cmp);
  orphans.sort(cmp);

  const rows: Row<S>[] = [];
  const visited = new Uint8Array(n);
  // Child lists already handed out: a duplicated id gets its children only once.
  const expanded = new Set<string>();
  const stack: { index: number; depth: number }[] = [];

  const walk = (start: number, kind: RowKind): void => {
    if (visited[start]) return;
    stack.push({ index: start, depth: 0 });
    let first = true;
    while (stack.length > 0) {
      const { index, depth } = stack.pop()!;
      if (visited[index]) continue;
      visited[index] = 1;
      const span = spans[index]!;
      rows.push({ span, depth, hasChildren: false, kind: first ? kind : 'child' });
      first = false;
      if (expanded.has(span.spanId)) continue;
      expanded.add(span.spanId);
      const kids = children.get(span.spanId);
      if (!kids) continue;
      // push in reverse so the earliest child is popped (emitted) first
      for (let k = kids.length - 1; k >= 0; k--) {
        const child = kids[k]!;
        if (!visited[child]) stack.push({ index: child, depth: depth + 1 });
      }
    }
  };

  for (const i of roots) walk(i, 'root');
  for (const i of orphans) walk(i, 'orphan');
  if (rows.length < n) {
    // Whatever is left is only reachable through a parent cycle: cut it at the earliest span.
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (!visited[i]) rest.push(i);
    rest.sort(cmp);
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
