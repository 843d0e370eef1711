import { describe, expect, it } from 'vitest';
import { criticalPath, parentRows, type PathRow } from './critical-path.ts';
import { buildRows } from './tree.ts';

interface S {
  spanId: string;
  parentSpanId: string;
  startNs: number;
  durationNs: number;
}

const s = (spanId: string, parentSpanId: string, startNs: number, durationNs: number): S => ({
  spanId,
  parentSpanId,
  startNs,
  durationNs,
});

/** "id:start-end" per segment, for readable assertions. */
function path(spans: S[]): string[] {
  const rows = buildRows(spans);
  return criticalPath(rows).segments.map((g) => `${rows[g.row]!.span.spanId}:${g.startNs}-${g.endNs}`);
}

describe('criticalPath', () => {
  it('is empty for no rows', () => {
    expect(criticalPath([]).segments).toEqual([]);
  });

  it('is the root alone when it has no children', () => {
    expect(path([s('r', '', 0, 100)])).toEqual(['r:0-100']);
  });

  it('follows sequential children and the parent gaps between them', () => {
    // r [0,100]: a [10,40], b [50,90]
    expect(path([s('r', '', 0, 100), s('a', 'r', 10, 30), s('b', 'r', 50, 40)])).toEqual([
      'r:0-10',
      'a:10-40',
      'r:40-50',
      'b:50-90',
      'r:90-100',
    ]);
  });

  it('takes the last-finishing of parallel children and skips the ones it overlaps', () => {
    // a and b run in parallel; b ends last, so a is not critical; c ran before both
    expect(
      path([s('r', '', 0, 100), s('c', 'r', 0, 10), s('a', 'r', 20, 50), s('b', 'r', 15, 80)]),
    ).toEqual(['c:0-10', 'r:10-15', 'b:15-95', 'r:95-100']);
  });

  it('descends into grandchildren', () => {
    expect(path([s('r', '', 0, 100), s('a', 'r', 0, 100), s('x', 'a', 20, 30), s('y', 'a', 60, 40)])).toEqual([
      'a:0-20',
      'x:20-50',
      'a:50-60',
      'y:60-100',
    ]);
  });

  it('clamps a child that ends after its parent (clock skew) to the parent end', () => {
    expect(path([s('r', '', 0, 100), s('a', 'r', 50, 200)])).toEqual(['r:0-50', 'a:50-100']);
  });

  it('clamps a child that starts before its parent', () => {
    expect(path([s('r', '', 100, 100), s('a', 'r', 50, 100)])).toEqual(['a:100-150', 'r:150-200']);
  });

  it('ignores a child lying entirely outside its parent', () => {
    expect(path([s('r', '', 0, 100), s('a', 'r', 500, 10)])).toEqual(['r:0-100']);
  });

  it('keeps back-to-back children that touch', () => {
    expect(path([s('r', '', 0, 30), s('a', 'r', 0, 10), s('b', 'r', 10, 10), s('c', 'r', 20, 10)])).toEqual([
      'a:0-10',
      'b:10-20',
      'c:20-30',
    ]);
  });

  it('handles zero-length children without looping', () => {
    const segments = path([s('r', '', 0, 10), s('z', 'r', 5, 0), s('z2', 'r', 5, 0)]);
    expect(segments).toEqual(['r:0-5', 'r:5-10']);
  });

  it('marks the rows on the path', () => {
    const rows = buildRows([s('r', '', 0, 100), s('a', 'r', 20, 50), s('b', 'r', 15, 80)]);
    const cp = criticalPath(rows);
    expect([...cp.rows].map((i) => rows[i]!.span.spanId).sort()).toEqual(['b', 'r']);
  });

  it('stays within the chosen root subtree', () => {
    const rows = buildRows([s('r', '', 0, 10), s('a', 'r', 0, 5), s('o', 'gone', 0, 1000)]);
    const cp = criticalPath(rows, 0);
    expect([...cp.rows].map((i) => rows[i]!.span.spanId).sort()).toEqual(['a', 'r']);
  });

  it('walks a 50k-deep chain without recursion', () => {
    const spans: S[] = [];
    for (let i = 0; i < 50_000; i++) spans.push(s(`s${i}`, i ? `s${i - 1}` : '', i, 100_000 - 2 * i));
    const cp = criticalPath(buildRows(spans));
    expect(cp.rows.size).toBe(50_000);
    // segments tile the root's interval exactly
    const total = cp.segments.reduce((sum, g) => sum + (g.endNs - g.startNs), 0);
    expect(total).toBe(100_000);
  });

  it('produces contiguous, non-overlapping segments covering the root', () => {
    // pseudo-random tree with skewed children
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const spans: S[] = [s('s0', '', 0, 10_000)];
    for (let i = 1; i < 2_000; i++) {
      const parent = spans[Math.floor(rnd() * i)]!;
      const start = parent.startNs + Math.floor((rnd() - 0.05) * parent.durationNs);
      spans.push(s(`s${i}`, parent.spanId, start, Math.floor(rnd() * parent.durationNs)));
    }
    const segments = criticalPath(buildRows(spans)).segments;
    expect(segments[0]!.startNs).toBe(0);
    expect(segments[segments.length - 1]!.endNs).toBe(10_000);
    for (let i = 1; i < segments.length; i++) expect(segments[i]!.startNs).toBe(segments[i - 1]!.endNs);
  });
});

describe('parentRows', () => {
  it('finds each row parent from pre-order depths', () => {
    const rows: Pick<PathRow, 'depth'>[] = [0, 1, 2, 1, 0, 1].map((depth) => ({ depth }));
    expect([...parentRows(rows)]).toEqual([-1, 0, 1, 0, -1, 4]);
  });
});
