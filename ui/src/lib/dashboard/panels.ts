// The dashboard's panels, one per saved search that has something to draw: a traces search that opens a span chart,
// any logs search (its log volume) and any issues search (its top issues). A traces or logs panel follows the board's
// time range unless its search pinned one (a range preset or a start/end in the saved query); an issues panel lists
// the issues active in the board's range. Pure.
import type { SavedSearch } from '../api/saved-searches.ts';
import { issueApiQuery, issueFiltersFromQuery } from '../issues/filters.ts';
import { logFilterApiQuery, logFiltersFromQuery } from '../logs/filters.ts';
import { apiQuery, filtersFromQuery } from '../search/filters.ts';
import { queryWindow } from '../search/results.ts';
import { savedQuery } from '../search/saved-query.ts';
import { isSpanMeasure, type SpanMeasure } from '../search/span-chart.ts';
import { rangeFromQuery, resolveRange, withRange, type TimeRange, type Window } from '../time/range.ts';

const RANGE_PARAMS = ['range', 'start', 'end'];
/** Issues a panel lists: a glance, the issues page has the rest. */
export const PANEL_ISSUES = 5;
const DAY_MS = 86_400_000;

interface PanelBase {
  id: string;
  name: string;
  /** The search's own range; null when it follows the board's (always for issues). */
  pinned: TimeRange | null;
  /** The saved page query string. */
  query: string;
}

export interface ChartPanel extends PanelBase {
  kind: 'traces';
  measure: SpanMeasure;
  /** '' = not split. */
  groupBy: string;
}

export type DashboardPanel = ChartPanel | (PanelBase & { kind: 'logs' | 'issues' });

const pinnedRange = (params: URLSearchParams): TimeRange | null => (hasRange(params) ? rangeFromQuery(params) : null);

function toPanel(s: SavedSearch): DashboardPanel | null {
  const params = new URLSearchParams(s.query);
  const base = { id: s.id, name: s.name, query: s.query };
  if (s.page === 'logs') return { ...base, kind: 'logs', pinned: pinnedRange(params) };
  if (s.page === 'issues') return { ...base, kind: 'issues', pinned: null };
  const measure = params.get('chart');
  if (s.page !== 'traces' || !isSpanMeasure(measure)) return null;
  return { ...base, kind: 'traces', measure, groupBy: params.get('groupBy') ?? '', pinned: pinnedRange(params) };
}

/** The searches with something to draw, in the list's order (by name); plain traces searches are not panels. */
export function dashboardPanels(searches: readonly SavedSearch[]): DashboardPanel[] {
  return searches.map(toPanel).filter((p) => p !== null);
}

/** The page query a panel shows (its drill-in link): the saved one, over the board's range unless pinned or timeless. */
export function panelSearch(panel: DashboardPanel, board: TimeRange): URLSearchParams {
  const q = new URLSearchParams(panel.query);
  return panel.pinned || panel.kind === 'issues' ? q : withRange(q, board);
}

/** The range a traces or logs panel covers. */
const panelRange = (panel: DashboardPanel, board: TimeRange): TimeRange => panel.pinned ?? board;

/** The chart's API query (the search's filters, start and end resolved at `nowMs`) and the window it covers. */
export function panelChart(panel: DashboardPanel, board: TimeRange, nowMs: number): { query: URLSearchParams; timeWindow: Window | null } {
  const query = apiQuery(filtersFromQuery(panelSearch(panel, board)), nowMs);
  return { query, timeWindow: queryWindow(query, nowMs) };
}

/** The log histogram's API query (the search's filters over the panel's range at `nowMs`) and its window. */
export function panelLogs(panel: DashboardPanel, board: TimeRange, nowMs: number): { query: URLSearchParams; timeWindow: Window } {
  const range = panelRange(panel, board);
  const filters = logFiltersFromQuery(new URLSearchParams(panel.query));
  return { query: logFilterApiQuery(filters, range, nowMs), timeWindow: resolveRange(range, nowMs) };
}

/**
 * The issue list's API query: the search's filters and sort, the first few issues, with the event-count series the
 * list answers cheaply (a day, or two weeks when the board looks further back). The board's range scopes the list
 * (issues with events in it, counted there) unless the saved search has a range of its own: a time range, or
 * first / last seen bounds in its text.
 */
export function panelIssues(panel: DashboardPanel, board: TimeRange, nowMs: number): { query: URLSearchParams; period: '24h' | '14d' } {
  const filters = issueFiltersFromQuery(new URLSearchParams(panel.query));
  const query = issueApiQuery(filters, nowMs);
  const w = resolveRange(board, nowMs);
  if (filters.period === '' && !/\b(lastseen|firstseen|age):/i.test(filters.query)) {
    query.set('start', String(w.startMs));
    query.set('end', String(w.endMs));
  }
  const period = w.endMs - w.startMs > DAY_MS ? '14d' : '24h';
  query.set('limit', String(PANEL_ISSUES));
  query.set('statsPeriod', period);
  return { query, period };
}

/**
 * A traces-page URL query string to save as a dashboard chart: paging state dropped and, unless `keepRange`, the
 * time range too, so the panel follows the board's range.
 */
export function chartSearchQuery(search: string, keepRange: boolean): string {
  return savedQuery(search, keepRange ? [] : RANGE_PARAMS);
}

/** Whether a traces- or logs-page URL names a time range of its own (else it is the default last hour). */
export const hasRange = (params: Pick<URLSearchParams, 'has'>): boolean => RANGE_PARAMS.some((k) => params.has(k));
