// Structural diff of two traces. Spans are aligned by their path in the span tree — the chain of
// (service, operation name) from the root — because span ids never match across traces; repeated
// calls at one path (a loop of DB queries) fold into one node with a count. Pure.
import type { ApiSpan } from '../api/types.ts';
import { parseNanos } from '../format/nanos.ts';

export interface NodeStats {
  /** Spans at this path. */
  count: number;
  /** Sum of their durations (ns). */
  totalNs: number;
  /** The slowest of them (ns). */
  maxNs: number;
  errors: number;
}

export type Presence = 'both' | 'only-a' | 'only-b';

export interface DiffRow {
  /** Unique path key (stable across renders). */
  key: string;
  depth: number;
  service: string;
  name: string;
  a: NodeStats | null;
  b: NodeStats | null;
  presence: Presence;
  /** B minus A of the summed durations; null unless the path is in both. */
  deltaNs: number | null;
}

export interface TraceTotals {
  spans: number;
  /** Earliest start to latest end (ns). */
  durationNs: number;
  errors: number;
  services: string[];
}

export interface TraceDiff {
  rows: DiffRow[];
  a: TraceTotals;
  b: TraceTotals;
  /** B minus A. */
  delta: { spans: number; durationNs: number; errors: number };
  onlyA: number;
  onlyB: number;
}

interface PathNode {
  key: string;
  parent: string;
  depth: number;
  service: string;
  name: string;
  stats: NodeStats;
  /** Earliest start of its spans, from the trace start (ns): orders siblings. */
  firstOffset: number;
}

// separator that cannot occur in readable service or span names
const FIELD = '\u0000';

/**
 * Short ids for tree paths. A path is (parent path id, step), so keys stay small however deep
 * the tree is (full path strings would make a deep trace quadratic). Both traces of a diff share
 * one, so equal paths get equal ids.
 */
export class PathIds {
  readonly #ids = new Map<string, string>();

  id(parent: string, service: string, name: string): string {
    const full = `${parent}${FIELD}${service}${FIELD}${name}`;
    let id = this.#ids.get(full);
    if (id === undefined) {
      id = `p${this.#ids.size}`;
      this.#ids.set(full, id);
    }
    return id;
  }
}

/** Each span's parent index (-1 for roots and orphans); the first of duplicate ids wins. */
function parentIndexes(spans: readonly ApiSpan[]): number[] {
  const byId = new Map<string, number>();
  spans.forEach((s, i) => {
    if (!byId.has(s.spanId)) byId.set(s.spanId, i);
  });
  return spans.map((s, i) => {
    const p = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
    return p === undefined || p === i ? -1 : p;
  });
}

/** Path key and depth of every span; a parent cycle is cut where it closes (that span is a root). */
function spanPaths(spans: readonly ApiSpan[], ids: PathIds): { key: string; parent: string; depth: number }[] {
  const parents = parentIndexes(spans);
  const out: ({ key: string; parent: string; depth: number } | undefined)[] = new Array(spans.length);
  const resolve = (start: number): void => {
    // walk up iteratively (deep traces would overflow recursion), then fill in on the way down
    const chain: number[] = [];
    const onChain = new Set<number>();
    let i = start;
    while (i !== -1 && out[i] === undefined && !onChain.has(i)) {
      chain.push(i);
      onChain.add(i);
      i = parents[i] ?? -1;
    }
    let above = i !== -1 && out[i] !== undefined ? out[i] : undefined;
    for (let k = chain.length - 1; k >= 0; k--) {
      const idx = chain[k] as number;
      const s = spans[idx] as ApiSpan;
      const parent = above?.key ?? '';
      above = { key: ids.id(parent, s.serviceName, s.name), parent, depth: above ? above.depth + 1 : 0 };
      out[idx] = above;
    }
  };
  for (let i = 0; i < spans.length; i++) if (out[i] === undefined) resolve(i);
  return out as { key: string; parent: string; depth: number }[];
}

function startOf(spans: readonly ApiSpan[]): bigint {
  let min: bigint | null = null;
  for (const s of spans) {
    const t = parseNanos(s.startTimeUnixNano);
    if (min === null || t < min) min = t;
  }
  return min ?? 0n;
}

/** Spans folded by path. */
export function pathNodes(spans: readonly ApiSpan[], ids: PathIds = new PathIds()): Map<string, PathNode> {
  const paths = spanPaths(spans, ids);
  const origin = startOf(spans);
  const nodes = new Map<string, PathNode>();
  spans.forEach((s, i) => {
    const p = paths[i] as { key: string; parent: string; depth: number };
    const dur = Math.max(0, Number(parseNanos(s.durationNano)));
    const offset = Number(parseNanos(s.startTimeUnixNano) - origin);
    const err = s.statusCode === 'ERROR' ? 1 : 0;
    const node = nodes.get(p.key);
    if (node) {
      node.stats.count += 1;
      node.stats.totalNs += dur;
      node.stats.maxNs = Math.max(node.stats.maxNs, dur);
      node.stats.errors += err;
      node.firstOffset = Math.min(node.firstOffset, offset);
      return;
    }
    const stats = { count: 1, totalNs: dur, maxNs: dur, errors: err };
    nodes.set(p.key, { ...p, service: s.serviceName, name: s.name, stats, firstOffset: offset });
  });
  return nodes;
}

export function traceTotals(spans: readonly ApiSpan[]): TraceTotals {
  if (spans.length === 0) return { spans: 0, durationNs: 0, errors: 0, services: [] };
  const start = startOf(spans);
  let end = start;
  for (const s of spans) {
    const e = parseNanos(s.startTimeUnixNano) + parseNanos(s.durationNano);
    if (e > end) end = e;
  }
  return {
    spans: spans.length,
    durationNs: Number(end - start),
    errors: spans.filter((s) => s.statusCode === 'ERROR').length,
    services: [...new Set(spans.map((s) => s.serviceName))].sort(),
  };
}

/** Merged path tree of both traces as pre-order rows; siblings in order of first start. */
export function diffTraces(a: readonly ApiSpan[], b: readonly ApiSpan[]): TraceDiff {
  const ids = new PathIds();
  const na = pathNodes(a, ids);
  const nb = pathNodes(b, ids);
  const children = new Map<string, PathNode[]>();
  const order = new Map<string, number>();
  for (const node of [...na.values(), ...nb.values()]) {
    const seen = order.get(node.key);
    order.set(node.key, seen === undefined ? node.firstOffset : Math.min(seen, node.firstOffset));
    if (seen !== undefined) continue;
    const list = children.get(node.parent) ?? [];
    list.push(node);
    children.set(node.parent, list);
  }
  const rows: DiffRow[] = [];
  const stack: PathNode[] = [...sortSiblings(children.get('') ?? [], order)].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as PathNode;
    const sa = na.get(node.key)?.stats ?? null;
    const sb = nb.get(node.key)?.stats ?? null;
    const presence: Presence = sa && sb ? 'both' : sa ? 'only-a' : 'only-b';
    const deltaNs = sa && sb ? sb.totalNs - sa.totalNs : null;
    rows.push({ key: node.key, depth: node.depth, service: node.service, name: node.name, a: sa, b: sb, presence, deltaNs });
    stack.push(...sortSiblings(children.get(node.key) ?? [], order).reverse());
  }
  const ta = traceTotals(a);
  const tb = traceTotals(b);
  return {
    rows,
    a: ta,
    b: tb,
    delta: { spans: tb.spans - ta.spans, durationNs: tb.durationNs - ta.durationNs, errors: tb.errors - ta.errors },
    onlyA: rows.filter((r) => r.presence === 'only-a').length,
    onlyB: rows.filter((r) => r.presence === 'only-b').length,
  };
}

function sortSiblings(nodes: readonly PathNode[], order: ReadonlyMap<string, number>): PathNode[] {
  // stable: equal start offsets keep A's order, then B's
  return [...nodes].sort((x, y) => (order.get(x.key) ?? 0) - (order.get(y.key) ?? 0));
}
