import { describe, expect, it } from 'vitest';
import type { WSpan } from './model.ts';
import { layoutMinimap } from './minimap.ts';
import { buildRows } from './tree.ts';

function span(spanId: string, parentSpanId: string, startNs: number, durationNs: number, serviceName: string, isError = false): WSpan {
  return { index: 0, spanId, parentSpanId, name: spanId, serviceName, startNs, durationNs, isError, raw: {} as WSpan['raw'] };
}

describe('layoutMinimap', () => {
  const rows = buildRows([
    span('r', '', 0, 1_000, 'web'),
    span('a', 'r', 500, 250, 'db', true),
    span('b', 'r', 900, 0, 'web'),
    span('c', 'r', 100, 100, 'web'),
  ]);
  const layout = layoutMinimap(rows, 1_000, 200, 40);
  const rectsOf = (key: string) => {
    const b = layout.services.find((s) => s.key === key)!;
    return Array.from({ length: b.count }, (_, i) => Array.from(b.rects.slice(i * 4, i * 4 + 4)));
  };

  it('batches bars per service, one rect per row', () => {
    expect(layout.services.map((s) => [s.key, s.count]).sort()).toEqual([
      ['db', 1],
      ['web', 3],
    ]);
  });

  it('maps time to x and row order to y', () => {
    // rows: r, c, a, b (pre-order by start): 10px per row
    expect(rectsOf('web')).toEqual([
      [0, 0, 200, 9],
      [20, 10, 20, 9],
      [180, 30, 1, 9],
    ]);
    expect(rectsOf('db')).toEqual([[100, 20, 50, 9]]);
  });

  it('repeats error spans in the error batch', () => {
    expect(layout.errors.count).toBe(1);
    expect(Array.from(layout.errors.rects)).toEqual([100, 20, 50, 9]);
  });

  it('puts one error tick per pixel column at the error spans\' starts', () => {
    expect(layout.errorTicks).toEqual([100]);
    const many = buildRows([
      span('r', '', 0, 1_000, 'web'),
      ...Array.from({ length: 6 }, (_, i) => span(`e${i}`, 'r', [900, 100, 101, 104, 100, 999][i]!, 1, 'db', true)),
    ]);
    // 0.2 px per ns: 100 and 101 share pixel 20, 104 is pixel 20.8 -> 20 as well
    expect(layoutMinimap(many, 1_000, 200, 40).errorTicks).toEqual([20, 180, 199]);
    expect(layoutMinimap(buildRows([span('r', '', 0, 10, 'web')]), 10, 100, 40).errorTicks).toEqual([]);
  });

  it('squeezes many rows into at least one pixel each', () => {
    const many = buildRows(Array.from({ length: 1_000 }, (_, i) => span(`s${i}`, '', i, 1, 'x')));
    const l = layoutMinimap(many, 1_000, 100, 50);
    const b = l.services[0]!;
    expect(b.count).toBe(1_000);
    expect(b.rects[3]).toBe(1);
    expect(b.rects[(b.count - 1) * 4 + 1]).toBeLessThanOrEqual(49);
  });
});
