import { describe, expect, test } from 'vitest';
import { chartSearchQuery, dashboardPanels, panelChart, panelSearch } from './panels.ts';

const saved = (id: string, query: string) => ({ id, name: `search ${id}`, query, createdBy: '' });
const NOW = Date.UTC(2026, 0, 10, 12);

describe('dashboard panels', () => {
  test('only searches with a known chart measure are panels; a range or window in the search pins it', () => {
    const panels = dashboardPanels([
      saved('a', 'service=shop&chart=p95&groupBy=operation'),
      saved('b', 'service=shop'),
      saved('c', 'chart=nonsense'),
      saved('d', 'chart=calls&range=7d'),
      saved('e', 'chart=errors&start=1767000000000&end=1767003600000'),
    ]);
    expect(panels.map((p) => [p.id, p.measure, p.groupBy, p.pinned])).toEqual([
      ['a', 'p95', 'operation', null],
      ['d', 'calls', '', { kind: 'relative', key: '7d' }],
      ['e', 'errors', '', { kind: 'absolute', start: '1767000000000', end: '1767003600000' }],
    ]);
  });

  test("a panel follows the board's range unless pinned, in its drill-in link and its chart query", () => {
    const [follows, pinned] = dashboardPanels([saved('a', 'service=shop&chart=p95'), saved('d', 'chart=calls&range=7d')]);
    const board = { kind: 'relative', key: '6h' } as const;
    expect(panelSearch(follows!, board).toString()).toBe('service=shop&chart=p95&range=6h');
    expect(panelSearch(pinned!, board).toString()).toBe('chart=calls&range=7d');

    const chart = panelChart(follows!, board, NOW);
    expect(chart.query.get('service')).toBe('shop');
    expect(chart.timeWindow).toEqual({ startMs: NOW - 6 * 3_600_000, endMs: NOW });
    expect(panelChart(pinned!, board, NOW).timeWindow).toEqual({ startMs: NOW - 7 * 86_400_000, endMs: NOW });
  });

  test('a chart saved for the dashboard drops paging, and its range unless kept', () => {
    expect(chartSearchQuery('?service=shop&chart=p95&range=6h&cursor=abc', false)).toBe('service=shop&chart=p95');
    expect(chartSearchQuery('?service=shop&chart=p95&range=6h&cursor=abc', true)).toBe('service=shop&chart=p95&range=6h');
  });
});
