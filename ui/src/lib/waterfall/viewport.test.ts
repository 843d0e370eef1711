import { describe, expect, it } from 'vitest';
import {
  BLOCK_ROWS,
  MAX_INDENT_DEPTH,
  OVERSCAN_ROWS,
  fillSlots,
  indentPx,
  renderWindow,
  segmentsByRow,
  slotList,
  slotPosition,
} from './viewport.ts';

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

describe('row slots', () => {
  it('has a slot for every position of any range at this height', () => {
    const slots = slotList(700, 26);
    for (const scroll of [0, 13, 4_000, 77_777]) {
      const r = renderWindow(scroll, 700, 26, 50_000);
      const shown = slots.map((k) => slotPosition(k, slots.length, r)).filter((p) => p >= 0).sort((a, b) => a - b);
      expect(shown).toEqual(Array.from({ length: r.last - r.first }, (_, i) => r.first + i));
    }
  });

  it('keeps a position in its slot while it stays in range', () => {
    const slots = slotList(700, 26);
    const a = renderWindow(4_000, 700, 26, 50_000);
    const b = renderWindow(4_300, 700, 26, 50_000);
    const moved = slots.filter((k) => {
      const pa = slotPosition(k, slots.length, a);
      const pb = slotPosition(k, slots.length, b);
      return pa !== pb;
    });
    // only the slots of rows that left (and of rows that came in) change
    expect(moved.length).toBeLessThanOrEqual(Math.abs(b.first - a.first) + Math.abs(b.last - a.last));
  });

  it('leaves slots unused past the end of a short list', () => {
    const r = renderWindow(0, 700, 26, 3);
    const slots = slotList(700, 26);
    expect(slots.filter((k) => slotPosition(k, slots.length, r) >= 0)).toHaveLength(3);
  });
});

describe('fillSlots', () => {
  it('gives every slot a position, so moving the range only re-points slots', () => {
    const slots = slotList(700, 26);
    const fill = (scroll: number) => fillSlots(renderWindow(scroll, 700, 26, 50_000), slots.length, 50_000);
    const a = fill(4_000);
    const b = fill(4_300);
    expect(a.last - a.first).toBe(slots.length);
    for (const k of slots) {
      expect(slotPosition(k, slots.length, a)).toBeGreaterThanOrEqual(0);
      expect(slotPosition(k, slots.length, b)).toBeGreaterThanOrEqual(0);
    }
    // still covers what renderWindow asked for
    const r = renderWindow(4_300, 700, 26, 50_000);
    expect(b.first).toBeLessThanOrEqual(r.first);
    expect(b.last).toBeGreaterThanOrEqual(r.last);
  });

  it('stays inside short lists and at the end of long ones', () => {
    expect(fillSlots({ first: 0, last: 3 }, 40, 3)).toEqual({ first: 0, last: 3 });
    expect(fillSlots({ first: 96, last: 100 }, 40, 100)).toEqual({ first: 60, last: 100 });
  });
});
