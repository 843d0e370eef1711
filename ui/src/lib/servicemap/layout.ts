// Service map layout: a d3-force simulation run for a fixed number of ticks before anything is
// drawn (stable: same input, same picture; no animation). Callers drift left, callees right.
// Pure: no DOM. The component renders the positions and paths computed here.
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3';
import type { MapEdge, MapNode, ServiceMap } from '../api/performance.ts';
import { formatDuration } from '../format/nanos.ts';
import { formatPercent } from '../format/metrics.ts';
import { formatCount } from '../format/time.ts';

export interface PlacedNode {
  id: string;
  kind: 'service' | 'peer';
  x: number;
  y: number;
  r: number;
  depth: number;
  node: MapNode;
}

export interface PlacedEdge {
  id: string;
  source: string;
  target: string;
  /** SVG path from the source's rim to the target's rim. */
  d: string;
  /** Baseline of the label's first line (the second is LINE_HEIGHT below). */
  labelX: number;
  labelY: number;
  /** text-anchor: labels sit beside steep edges and above (or below) flat ones, never across them. */
  anchor: 'start' | 'middle' | 'end';
  label: string;
  /** The label in two short lines (calls and errors; p95), drawn above the edge's midpoint. */
  lines: [string, string];
  errorRatio: number;
  edge: MapEdge;
}

export interface MapLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

interface SimNode extends SimulationNodeDatum {
  id: string;
  r: number;
  depth: number;
}

export const DEFAULT_TICKS = 300;
const COLUMN = 280;
const PAD = 60;

/** Every node the edges mention, sorted by id (input order must not change the picture). */
export function completeNodes(map: ServiceMap): MapNode[] {
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  for (const e of map.edges) {
    if (!byId.has(e.source)) byId.set(e.source, { id: e.source, kind: 'service', requestRate: null, errorRate: null });
    if (!byId.has(e.target)) {
      const kind = e.targetKind === 'service' ? 'service' : 'peer';
      byId.set(e.target, { id: e.target, kind, requestRate: null, errorRate: null });
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Hops from the nearest entry node (one nobody calls); nodes only reachable in cycles start at 0. */
export function depths(ids: readonly string[], edges: readonly MapEdge[]): Map<string, number> {
  const out = new Map<string, string[]>();
  const incoming = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of edges) {
    if (e.source === e.target) continue;
    out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
    incoming.set(e.target, (incoming.get(e.target) ?? 0) + 1);
  }
  const depth = new Map<string, number>();
  const walk = (roots: string[]): void => {
    const queue = roots.filter((r) => !depth.has(r));
    for (const r of queue) depth.set(r, 0);
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i] as string;
      for (const next of out.get(id) ?? []) {
        if (depth.has(next)) continue;
        depth.set(next, (depth.get(id) ?? 0) + 1);
        queue.push(next);
      }
    }
  };
  walk(ids.filter((id) => (incoming.get(id) ?? 0) === 0));
  for (const id of ids) if (!depth.has(id)) walk([id]);
  return depth;
}

/** Node radius: services grow (sub-linearly) with their request rate, peers are small and fixed. */
export function nodeRadius(node: MapNode, maxRate: number): number {
  if (node.kind === 'peer') return 16;
  const rate = node.requestRate ?? 0;
  return 20 + (maxRate > 0 ? 12 * Math.sqrt(Math.max(0, rate) / maxRate) : 0);
}

export function edgeLabelLines(e: MapEdge): [string, string] {
  const ratio = e.callCount > 0 ? e.errorCount / e.callCount : 0;
  return [`${formatCount(e.callCount)} calls · ${formatPercent(ratio)} err`, `p95 ${formatDuration(e.p95DurationNano)}`];
}

export function edgeLabel(e: MapEdge): string {
  return edgeLabelLines(e).join(' · ');
}

const r1 = (n: number): number => Math.round(n * 10) / 10;

export const LINE_HEIGHT = 13;

interface Label {
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
}

/**
 * Where a two-line label goes for an edge whose midpoint is (px, py) and whose label side is the
 * unit normal (nx, ny): beside the edge when it is steep, centred above or below when it is flat.
 */
export function labelPlacement(px: number, py: number, nx: number, ny: number): Label {
  const gap = 6;
  const x = px + nx * gap;
  const y = py + ny * gap;
  const anchor = Math.abs(nx) < 0.38 ? 'middle' : nx > 0 ? 'start' : 'end';
  // block of two lines: above the point (its last baseline 3px over it) or below it
  const top = ny <= 0 ? y - 3 - LINE_HEIGHT : y + 11;
  return { x, y: top, anchor };
}

function edgeGeometry(a: PlacedNode, b: PlacedNode, bend: number): { d: string; label: Label } {
  if (a.id === b.id) {
    // self call: a loop over the node
    const x = a.x;
    const y = a.y - a.r;
    return {
      d: `M${r1(x - 8)},${r1(y + 2)} C${r1(x - 40)},${r1(y - 50)} ${r1(x + 40)},${r1(y - 50)} ${r1(x + 8)},${r1(y + 2)}`,
      label: labelPlacement(x, y - 38, 0, -1),
    };
  }
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  // perpendicular offset of the control point (two-way traffic gets two arcs)
  const mx = (a.x + b.x) / 2 - uy * bend;
  const my = (a.y + b.y) / 2 + ux * bend;
  const angle = (from: PlacedNode, tx: number, ty: number): [number, number] => {
    const ex = tx - from.x;
    const ey = ty - from.y;
    const el = Math.hypot(ex, ey) || 1;
    return [from.x + (ex / el) * (from.r + 2), from.y + (ey / el) * (from.r + 2)];
  };
  const [sx, sy] = angle(a, mx, my);
  const [tx, ty] = angle(b, mx, my);
  // point of the quadratic curve at t = 0.5
  const lx = 0.25 * sx + 0.5 * mx + 0.25 * tx;
  const ly = 0.25 * sy + 0.5 * my + 0.25 * ty;
  // label side: the bend's side for two-way pairs, else the upper side of the edge
  let nx = -uy;
  let ny = ux;
  if (bend === 0 ? ny > 0 || (ny === 0 && nx < 0) : bend < 0) {
    nx = -nx;
    ny = -ny;
  }
  return { d: `M${r1(sx)},${r1(sy)} Q${r1(mx)},${r1(my)} ${r1(tx)},${r1(ty)}`, label: labelPlacement(lx, ly, nx, ny) };
}

/** Positions for every node and a path and label spot for every edge, fitted into width×height. */
export function layoutServiceMap(map: ServiceMap, width: number, height: number, ticks = DEFAULT_TICKS): MapLayout {
  const nodes = completeNodes(map);
  const ids = nodes.map((n) => n.id);
  const depth = depths(ids, map.edges);
  const maxRate = Math.max(0, ...nodes.map((n) => n.requestRate ?? 0));
  const maxDepth = Math.max(0, ...depth.values());
  const perColumn = new Map<number, number>();
  const sim: SimNode[] = nodes.map((n) => {
    const d = depth.get(n.id) ?? 0;
    const row = perColumn.get(d) ?? 0;
    perColumn.set(d, row + 1);
    // deterministic start: columns by depth, rows in id order
    return { id: n.id, r: nodeRadius(n, maxRate), depth: d, x: d * COLUMN, y: row * 120 };
  });
  const known = new Set(ids);
  const links = map.edges
    .filter((e) => e.source !== e.target && known.has(e.source) && known.has(e.target))
    .map((e) => ({ source: e.source, target: e.target }))
    .sort((a, b) => (a.source + '\u0000' + a.target < b.source + '\u0000' + b.target ? -1 : 1));
  const simulation = forceSimulation<SimNode>(sim)
    .force(
      'link',
      forceLink<SimNode, { source: string; target: string }>(links)
        .id((n) => n.id)
        .distance(COLUMN * 0.9)
        .strength(0.4),
    )
    .force('charge', forceManyBody<SimNode>().strength(-500))
    .force('x', forceX<SimNode>((n) => n.depth * COLUMN).strength(0.6))
    .force('y', forceY<SimNode>(0).strength(0.06))
    .force(
      'collide',
      forceCollide<SimNode>((n) => n.r + 34),
    )
    .stop();
  for (let i = 0; i < ticks; i++) simulation.tick();

  // fit: translate into the box, scale positions down (never up, never the radii) when too big
  const xs = sim.map((n) => n.x ?? 0);
  const ys = sim.map((n) => n.y ?? 0);
  const minX = Math.min(...xs, 0);
  const maxX = Math.max(...xs, maxDepth * COLUMN);
  const minY = Math.min(...ys, 0);
  const maxY = Math.max(...ys, 0);
  const spanX = Math.max(1, maxX - minX);
  const spanY = Math.max(1, maxY - minY);
  const k = Math.min(1, (width - 2 * PAD) / spanX, (height - 2 * PAD) / spanY);
  const offX = (width - spanX * k) / 2;
  const offY = (height - spanY * k) / 2;
  const placed = new Map<string, PlacedNode>();
  nodes.forEach((n, i) => {
    const s = sim[i] as SimNode;
    placed.set(n.id, {
      id: n.id,
      kind: n.kind,
      node: n,
      r: s.r,
      depth: s.depth,
      x: r1(offX + ((s.x ?? 0) - minX) * k),
      y: r1(offY + ((s.y ?? 0) - minY) * k),
    });
  });

  const pairs = new Set(map.edges.map((e) => `${e.source}\u0000${e.target}`));
  const edges: PlacedEdge[] = [];
  const seen = new Map<string, number>();
  for (const e of map.edges) {
    const a = placed.get(e.source);
    const b = placed.get(e.target);
    if (!a || !b) continue;
    const twoWay = pairs.has(`${e.target}\u0000${e.source}`) && e.source !== e.target;
    const g = edgeGeometry(a, b, twoWay ? 28 : 0);
    const base = `${e.source}\u2192${e.target}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    edges.push({
      id: n === 0 ? base : `${base}#${n}`,
      source: e.source,
      target: e.target,
      d: g.d,
      labelX: r1(g.label.x),
      labelY: r1(g.label.y),
      anchor: g.label.anchor,
      label: edgeLabel(e),
      lines: edgeLabelLines(e),
      errorRatio: e.callCount > 0 ? e.errorCount / e.callCount : 0,
      edge: e,
    });
  }
  return { width, height, nodes: [...placed.values()], edges };
}
