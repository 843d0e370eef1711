import { describe, expect, it } from 'vitest';
import { BLOCK_ROWS, MAX_INDENT_DEPTH, OVERSCAN_ROWS, indentPx, renderWindow, segmentsByRow } from './viewport.ts';

describe('renderWindow', () => {
  it('renders from the top with overscan below', () => {
    const r = renderWindow(0, 260, 26, 50_000);
    expect(r.first).toBe(0);
    expect(r.last).toBeGreaterThanOrEqual(10 + OVERSCAN_ROWS);
    expect(r.last % BLOCK_ROWS).toBe(0);
  });

  it('covers the viewport plus overscan on both sides once scrolled', () => {
    const rowPx = 26;
    for (const scroll of [1_000, 13_337, 500_000]) {
      const r = renderWindow(scroll, 700, rowPx, 50_000);
      expect(r.first).toBeLessThanOrEqual(Math.floor(scroll / rowPx) - OVERSCAN_ROWS);
      expect(r.last).toBeGreaterThanOrEqual(Math.ceil((scroll + 700) / rowPx) + OVERSCAN_ROWS);
      expect(r.last - r.first).toBeLessThan(700 / rowPx + 2 * OVERSCAN_ROWS + 2 * BLOCK_ROWS + 2);
    }
  });

  it('keeps the same range for small scrolls', () => {
    const a = renderWindow(BLOCK_ROWS * 26 * 10, 700, 26, 50_000);
    const b = renderWindow(BLOCK_ROWS * 26 * 10 + 26, 700, 26, 50_000);
    expect(b).toEqual(a);
  });

  it('clamps to the row count and handles empty lists and negative scroll', () => {
    expect(renderWindow(0, 700, 26, 5)).toEqual({ first: 0, last: 5 });
    expect(renderWindow(-30, 700, 26, 0)).toEqual({ first: 0, last: 0 });
    expect(renderWindow(1e9, 700, 26, 100)).toEqual({ first: 100, last: 100 });
  });
});

describe('segmentsByRow', () => {
  it('groups segments by row, keeping their order', () => {
    const m = segmentsByRow([
      { row: 0, startNs: 0, endNs: 5 },
      { row: 1, startNs: 5, endNs: 8 },
      { row: 0, startNs: 8, endNs: 10 },
    ]);
    expect(m.get(0)).toEqual([
      { row: 0, startNs: 0, endNs: 5 },
      { row: 0, startNs: 8, endNs: 10 },
    ]);
    expect(m.get(2)).toBeUndefined();
  });
});

describe('indentPx', () => {
  it('indents by level, then only a little beyond the cap', () => {
    expect(indentPx(0)).toBe(6);
    expect(indentPx(2) - indentPx(1)).toBe(14);
    expect(indentPx(MAX_INDENT_DEPTH + 1) - indentPx(MAX_INDENT_DEPTH)).toBe(1);
    expect(indentPx(6_250)).toBe(indentPx(MAX_INDENT_DEPTH + 40));
    expect(indentPx(6_250)).toBeLessThan(250);
  });
});
