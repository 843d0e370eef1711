import { describe, expect, test } from 'vitest';
import type { MapEdge, ServiceMap } from '../api/performance.ts';
import { completeNodes, depths, edgeLabel, labelPlacement, layoutServiceMap, LINE_HEIGHT, nodeRadius } from './layout.ts';

function edge(source: string, target: string, calls = 40, errors = 0, targetKind = 'service'): MapEdge {
  return { source, target, targetKind, callCount: calls, errorCount: errors, p50DurationNano: 50e6, p95DurationNano: 120e6 };
}

const MAP: ServiceMap = {
  nodes: [
    { id: 'web', kind: 'service', requestRate: 2, errorRate: 0 },
    { id: 'api', kind: 'service', requestRate: 4, errorRate: 0.25 },
    { id: 'postgresql', kind: 'peer', requestRate: null, errorRate: null },
  ],
  edges: [edge('web', 'api', 40, 10), edge('api', 'postgresql', 40, 0, 'peer'), edge('api', 'auth')],
};

describe('service map layout', () => {
  test('adds nodes only edges mention, sorted by id', () => {
    expect(completeNodes(MAP).map((n) => `${n.id}:${n.kind}`)).toEqual(['api:service', 'auth:service', 'postgresql:peer', 'web:service']);
    expect(completeNodes({ nodes: [], edges: [edge('a', 'db', 1, 0, 'peer')] }).map((n) => n.kind)).toEqual(['service', 'peer']);
  });

  test('depths from entry services; cycles and self calls terminate', () => {
    const d = depths(['web', 'api', 'postgresql', 'auth'], MAP.edges);
    expect(Object.fromEntries(d)).toEqual({ web: 0, api: 1, postgresql: 2, auth: 2 });
    const cyc = depths(['a', 'b'], [edge('a', 'b'), edge('b', 'a'), edge('a', 'a')]);
    expect(cyc.get('a')).toBe(0);
    expect(cyc.get('b')).toBe(1);
  });

  test('radii: services grow with traffic, peers are fixed', () => {
    const [web, api, pg] = MAP.nodes;
    expect(nodeRadius(api!, 4)).toBeGreaterThan(nodeRadius(web!, 4));
    expect(nodeRadius(pg!, 4)).toBe(16);
    expect(nodeRadius({ id: 'x', kind: 'service', requestRate: null, errorRate: null }, 0)).toBe(20);
  });

  test('edge labels: calls, error share, p95', () => {
    expect(edgeLabel(edge('web', 'api', 40, 10))).toBe('40 calls · 25% err · p95 120ms');
    expect(edgeLabel(edge('a', 'b', 0, 0))).toBe('0 calls · 0% err · p95 120ms');
  });

  test('stable, inside the box, callers left of callees, nodes apart', () => {
    const a = layoutServiceMap(MAP, 900, 500);
    const b = layoutServiceMap({ nodes: [...MAP.nodes].reverse(), edges: [...MAP.edges].reverse() }, 900, 500);
    const pos = (l: typeof a) => Object.fromEntries(l.nodes.map((n) => [n.id, [n.x, n.y]]));
    expect(pos(a)).toEqual(pos(b));
    expect(a.nodes).toHaveLength(4);
    for (const n of a.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(900);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeLessThanOrEqual(500);
    }
    const at = Object.fromEntries(a.nodes.map((n) => [n.id, n]));
    expect(at.web!.x).toBeLessThan(at.api!.x);
    expect(at.api!.x).toBeLessThan(at.postgresql!.x);
    for (const n of a.nodes) {
      for (const m of a.nodes) {
        if (n.id < m.id) expect(Math.hypot(n.x - m.x, n.y - m.y)).toBeGreaterThan(n.r + m.r);
      }
    }
    expect(a.edges.map((e) => e.id)).toEqual(['web→api', 'api→postgresql', 'api→auth']);
    expect(a.edges[0]?.d).toMatch(/^M[\d.-]+,[\d.-]+ Q/);
    expect(a.edges[0]?.errorRatio).toBe(0.25);
  });

  test('two-way traffic bends apart; self calls loop; duplicates get distinct ids', () => {
    const l = layoutServiceMap({ nodes: [], edges: [edge('a', 'b'), edge('b', 'a'), edge('a', 'a'), edge('a', 'b')] }, 600, 400);
    const [ab, ba, aa, ab2] = l.edges;
    expect(ab?.labelY).not.toBe(ba?.labelY);
    expect(aa?.d).toContain('C');
    expect(new Set(l.edges.map((e) => e.id)).size).toBe(4);
    expect(ab2?.id).toBe('a→b#1');
  });

  test('labels sit above flat edges, beside steep ones, below when the side is down', () => {
    expect(labelPlacement(100, 100, 0, -1)).toEqual({ x: 100, y: 100 - 6 - 3 - LINE_HEIGHT, anchor: 'middle' });
    expect(labelPlacement(100, 100, 0, 1)).toEqual({ x: 100, y: 100 + 6 + 11, anchor: 'middle' });
    expect(labelPlacement(100, 100, 1, 0)).toMatchObject({ x: 106, anchor: 'start' });
    expect(labelPlacement(100, 100, -0.8, -0.6)).toMatchObject({ anchor: 'end' });
    // a flat edge between two nodes: its label is centred above it
    const flat = layoutServiceMap({ nodes: [], edges: [edge('a', 'b')] }, 600, 400).edges[0];
    expect(flat?.anchor).toBe('middle');
    // a two-way pair puts its labels on opposite sides
    const pair = layoutServiceMap({ nodes: [], edges: [edge('a', 'b'), edge('b', 'a')] }, 600, 400).edges;
    expect(pair[0]?.labelY === pair[1]?.labelY && pair[0]?.labelX === pair[1]?.labelX).toBe(false);
  });

  test('a big map is scaled down to fit', () => {
    const edges = Array.from({ length: 30 }, (_, i) => edge(`svc${i}`, `svc${i + 1}`));
    const l = layoutServiceMap({ nodes: [], edges }, 800, 400);
    expect(l.nodes).toHaveLength(31);
    for (const n of l.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(800);
    }
  });
});
