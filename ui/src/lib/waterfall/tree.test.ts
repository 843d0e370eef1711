import { describe, expect, it } from 'vitest';
import { ancestorIndices, buildRows, visibleRowIndices, type TreeSpan } from './tree.ts';

interface S extends TreeSpan {
  name: string;
}

function span(spanId: string, parentSpanId: string, startNs: number, name = spanId): S {
  return { spanId, parentSpanId, startNs, name };
}

/** Compact "depth:name" rendering of the rows, for readable assertions. */
function shape(rows: { depth: number; span: S }[]): string[] {
  return rows.map((r) => `${r.depth}:${r.span.name}`);
}

describe('buildRows', () => {
  it('returns no rows for no spans', () => {
    expect(buildRows([])).toEqual([]);
  });

  it('builds a pre-order tree with children ordered by start time', () => {
    const rows = buildRows([
      span('c', 'a', 30),
      span('b', 'a', 10),
      span('a', '', 0),
      span('d', 'b', 15),
      span('e', 'c', 31),
    ]);
    expect(shape(rows)).toEqual(['0:a', '1:b', '2:d', '1:c', '2:e']);
    expect(rows.map((r) => r.hasChildren)).toEqual([true, true, false, true, false]);
    expect(rows.map((r) => r.kind)).toEqual(['root', 'child', 'child', 'child', 'child']);
  });

  it('keeps input order for siblings that start at the same time', () => {
    const rows = buildRows([span('r', '', 0), span('x', 'r', 5), span('y', 'r', 5), span('z', 'r', 1)]);
    expect(shape(rows)).toEqual(['0:r', '1:z', '1:x', '1:y']);
  });

  it('shows spans with a missing parent as depth-0 orphans after the roots', () => {
    const rows = buildRows([
      span('o2', 'missing-2', 50),
      span('root', '', 10),
      span('o1', 'missing-1', 5),
      span('o1child', 'o1', 6),
      span('child', 'root', 11),
    ]);
    expect(shape(rows)).toEqual(['0:root', '1:child', '0:o1', '1:o1child', '0:o2']);
    expect(rows.map((r) => r.kind)).toEqual(['root', 'child', 'orphan', 'child', 'orphan']);
  });

  it('handles a trace without a root span (all orphans)', () => {
    const rows = buildRows([span('b', 'gone', 2), span('a', 'gone', 1)]);
    expect(shape(rows)).toEqual(['0:a', '0:b']);
  });

  it('orders several roots by start time', () => {
    const rows = buildRows([span('late', '', 9), span('early', '', 1)]);
    expect(shape(rows)).toEqual(['0:early', '0:late']);
  });

  it('keeps every span with a duplicated id exactly once and never loops', () => {
    const spans = [
      span('root', '', 0),
      span('dup', 'root', 1, 'dup-first'),
      span('dup', 'root', 2, 'dup-second'),
      span('kid', 'dup', 3),
    ];
    const rows = buildRows(spans);
    expect(rows).toHaveLength(spans.length);
    expect(new Set(rows.map((r) => r.span)).size).toBe(spans.length);
    // the child hangs under the first duplicate reached, not under both
    expect(shape(rows)).toEqual(['0:root', '1:dup-first', '2:kid', '1:dup-second']);
  });

  it('keeps a span that duplicates its own parent id', () => {
    const rows = buildRows([span('a', '', 0, 'a1'), span('a', 'a', 1, 'a2'), span('b', 'a', 2)]);
    expect(rows).toHaveLength(3);
    expect(shape(rows)).toEqual(['0:a1', '1:a2', '1:b']);
  });

  it('cuts parent cycles instead of hanging', () => {
    const rows = buildRows([
      span('root', '', 0),
      span('x', 'y', 5),
      span('y', 'x', 6),
      span('self', 'self', 7),
      span('xkid', 'x', 8),
    ]);
    expect(rows).toHaveLength(5);
    expect(shape(rows)).toEqual(['0:root', '0:x', '1:y', '1:xkid', '0:self']);
    expect(rows.filter((r) => r.kind === 'cycle').map((r) => r.span.name)).toEqual(['x', 'self']);
  });

  it('survives a 50k-deep chain without recursion', () => {
    const spans: S[] = [span('s0', '', 0)];
    for (let i = 1; i < 50_000; i++) spans.push(span(`s${i}`, `s${i - 1}`, i));
    const rows = buildRows(spans.slice().reverse());
    expect(rows).toHaveLength(50_000);
    expect(rows[49_999]!.depth).toBe(49_999);
    expect(rows[0]!.span.spanId).toBe('s0');
  });

  it('treats a missing parentSpanId as root', () => {
    const s = { spanId: 'a', startNs: 0, name: 'a' } as unknown as S;
    expect(buildRows([s])[0]!.kind).toBe('root');
  });
});

describe('visibleRowIndices', () => {
  const rows = buildRows([
    span('a', '', 0),
    span('b', 'a', 1),
    span('c', 'b', 2),
    span('d', 'c', 3),
    span('e', 'a', 4),
    span('f', '', 5),
  ]);

  it('shows every row when nothing is collapsed', () => {
    expect(visibleRowIndices(rows, new Set())).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('skips rows deeper than a collapsed row', () => {
    expect(visibleRowIndices(rows, new Set([1]))).toEqual([0, 1, 4, 5]);
    expect(visibleRowIndices(rows, new Set([0]))).toEqual([0, 5]);
  });

  it('ignores collapsed rows hidden under another collapsed row', () => {
    expect(visibleRowIndices(rows, new Set([0, 2]))).toEqual([0, 5]);
    expect(visibleRowIndices(rows, new Set([2]))).toEqual([0, 1, 2, 4, 5]);
  });

  it('treats a collapsed leaf as a no-op', () => {
    expect(visibleRowIndices(rows, new Set([3, 5]))).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('ancestorIndices', () => {
  const rows = buildRows([span('a', '', 0), span('b', 'a', 1), span('c', 'b', 2), span('e', 'a', 4)]);

  it('lists ancestors nearest first', () => {
    expect(ancestorIndices(rows, 2)).toEqual([1, 0]);
    expect(ancestorIndices(rows, 3)).toEqual([0]);
    expect(ancestorIndices(rows, 0)).toEqual([]);
  });
});
