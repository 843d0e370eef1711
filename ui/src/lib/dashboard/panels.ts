// The dashboard's panels: the traces page's saved searches that open a span chart. A panel follows the board's time
// range unless its search pinned one (a range preset or a start/end in the saved query). Pure.
import type { SavedSearch } from '../api/saved-searches.ts';
import { apiQuery, filtersFromQuery } from '../search/filters.ts';
import { queryWindow } from '../search/results.ts';
import { savedQuery } from '../search/saved-query.ts';
import { isSpanMeasure, type SpanMeasure } from '../search/span-chart.ts';
import { rangeFromQuery, withRange, type TimeRange, type Window } from '../time/range.ts';

const RANGE_PARAMS = ['range', 'start', 'end'];

export interface DashboardPanel {
  id: string;
  name: string;
  measure: SpanMeasure;
  /** '' = not split. */
  groupBy: string;
  /** The search's own range; null when it follows the board's. */
  pinned: TimeRange | null;
  /** The saved traces-page query string. */
  query: string;
}

/** The searches that chart spans, in the list's order (by name); the others are plain searches, not panels. */
export function dashboardPanels(searches: readonly SavedSearch[]): DashboardPanel[] {
  return searches.flatMap((s) => {
    const params = new URLSearchParams(s.query);
    const measure = params.get('chart');
    if (!isSpanMeasure(measure)) return [];
    const pinned = hasRange(params) ? rangeFromQuery(params) : null;
    return [{ id: s.id, name: s.name, measure, groupBy: params.get('groupBy') ?? '', pinned, query: s.query }];
  });
}

/** The traces-page query a panel shows (its drill-in link): the saved one, over the board's range unless pinned. */
export function panelSearch(panel: DashboardPanel, board: TimeRange): URLSearchParams {
  const q = new URLSearchParams(panel.query);
  return panel.pinned ? q : withRange(q, board);
}

/** The chart's API query (the search's filters, start and end resolved at `nowMs`) and the window it covers. */
export function panelChart(panel: DashboardPanel, board: TimeRange, nowMs: number): { query: URLSearchParams; timeWindow: Window | null } {
  const query = apiQuery(filtersFromQuery(panelSearch(panel, board)), nowMs);
  return { query, timeWindow: queryWindow(query, nowMs) };
}

/**
 * A traces-page URL query string to save as a dashboard chart: paging state dropped and, unless `keepRange`, the
 * time range too, so the panel follows the board's range.
 */
export function chartSearchQuery(search: string, keepRange: boolean): string {
  return savedQuery(search, keepRange ? [] : RANGE_PARAMS);
}

/** Whether a traces-page URL names a time range of its own (else it is the default last hour). */
export const hasRange = (params: Pick<URLSearchParams, 'has'>): boolean => RANGE_PARAMS.some((k) => params.has(k));
