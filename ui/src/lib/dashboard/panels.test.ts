import { describe, expect, test } from 'vitest';
import type { SavedSearchPage } from '../api/saved-searches.ts';
import { chartSearchQuery, dashboardPanels, panelChart, panelIssues, panelLogs, panelSearch } from './panels.ts';

const saved = (id: string, query: string, page: SavedSearchPage = 'traces') => ({ id, page, name: `search ${id}`, query, createdBy: '' });
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
    expect(panels.map((p) => [p.id, p.kind === 'traces' && p.measure, p.kind === 'traces' && p.groupBy, p.pinned])).toEqual([
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

  test('every logs and issues search is a panel, in the order listed; a logs search pins its range as a traces one does', () => {
    const panels = dashboardPanels([
      saved('i', 'query=card', 'issues'),
      saved('l', 'service=shop&severity=error', 'logs'),
      saved('t', 'service=shop'),
      saved('p', 'query=timeout&range=7d', 'logs'),
      saved('x', 'chart=calls&range=7d', 'issues'),
    ]);
    expect(panels.map((p) => [p.id, p.kind, p.pinned])).toEqual([
      ['i', 'issues', null],
      ['l', 'logs', null],
      ['p', 'logs', { kind: 'relative', key: '7d' }],
      ['x', 'issues', null],
    ]);
  });

  test("a logs panel asks for its filters' histogram over the board's range unless pinned; its link carries that range", () => {
    const [follows, pinned] = dashboardPanels([
      saved('l', 'service=shop&severity=error&attr.region=eu', 'logs'),
      saved('p', 'query=slow&range=7d', 'logs'),
    ]);
    const board = { kind: 'relative', key: '6h' } as const;
    const logs = panelLogs(follows!, board, NOW);
    expect(Object.fromEntries(logs.query)).toEqual({
      start: String(NOW - 6 * 3_600_000),
      end: String(NOW),
      service: 'shop',
      severity: 'error',
      'attr.region': 'eu',
    });
    expect(logs.timeWindow).toEqual({ startMs: NOW - 6 * 3_600_000, endMs: NOW });
    expect(panelSearch(follows!, board).toString()).toBe('service=shop&severity=error&attr.region=eu&range=6h');
    expect(panelLogs(pinned!, board, NOW).timeWindow).toEqual({ startMs: NOW - 7 * 86_400_000, endMs: NOW });
    expect(panelSearch(pinned!, board).toString()).toBe('query=slow&range=7d');
  });

  test('an issues panel asks for the first few issues of its filters and sort, with a series over a day or two weeks', () => {
    const [issues] = dashboardPanels([saved('i', 'query=card&sort=events&limit=200&level=error', 'issues')]);
    const day = panelIssues(issues!, { kind: 'relative', key: '6h' }, NOW);
    expect(Object.fromEntries(day.query)).toEqual({
      query: 'card',
      start: String(NOW - 6 * 3_600_000),
      end: String(NOW),
      level: 'error',
      status: 'unresolved',
      sort: 'events',
      limit: '5',
      statsPeriod: '24h',
    });
    expect(panelIssues(issues!, { kind: 'relative', key: '7d' }, NOW).period).toBe('14d');
    // a range in the past is the list's range; a search with its own range or seen-bounds keeps them
    const past = panelIssues(issues!, { kind: 'absolute', start: String(NOW - 3 * 86_400_000), end: String(NOW - 2 * 86_400_000) }, NOW);
    expect([past.query.get('start'), past.query.get('end')]).toEqual([String(NOW - 3 * 86_400_000), String(NOW - 2 * 86_400_000)]);
    const [own, ownPeriod] = dashboardPanels([saved('j', 'query=lastSeen%3A-1h', 'issues'), saved('k', 'period=1h', 'issues')]);
    const ownQuery = panelIssues(own!, { kind: 'relative', key: '6h' }, NOW).query;
    expect([ownQuery.get('query'), ownQuery.has('start')]).toEqual(['lastSeen:-1h', false]);
    const ownRange = panelIssues(ownPeriod!, { kind: 'relative', key: '6h' }, NOW).query;
    expect([ownRange.get('start'), ownRange.has('end')]).toEqual([String(NOW - 3_600_000), false]);
    // no range of its own: the link is the search as saved
    expect(panelSearch(issues!, { kind: 'relative', key: '6h' }).toString()).toBe('query=card&sort=events&limit=200&level=error');
  });

  test('a chart saved for the dashboard drops paging, and its range unless kept', () => {
    expect(chartSearchQuery('?service=shop&chart=p95&range=6h&cursor=abc', false)).toBe('service=shop&chart=p95');
    expect(chartSearchQuery('?service=shop&chart=p95&range=6h&cursor=abc', true)).toBe('service=shop&chart=p95&range=6h');
  });
});
