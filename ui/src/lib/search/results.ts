// Pages of trace-search results: the API answer normalized, pages joined without duplicates, the
// window a search covered and the words for it. Pure.
import type { ApiTraceSummary } from '../api/types.ts';
import { parseTimeParam, rangeLabel, type TimeRange, type Window } from '../time/range.ts';

/** One answer of GET /traces, or several joined: the traces so far and the cursor to the next page. */
export interface TracePage {
  traces: ApiTraceSummary[];
  /** null when nothing more matches. */
  nextCursor: string | null;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
const count = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
};
/** Decimal nanoseconds, else '0' (the table and chart parse these as BigInt). */
const nanos = (v: unknown): string => {
  const s = text(v).trim();
  return /^\d{1,20}$/.test(s) ? s : '0';
};

function normalizeSummary(raw: unknown): ApiTraceSummary | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const t = raw as Record<string, unknown>;
  const traceId = text(t.traceId);
  if (traceId === '') return null;
  return {
    traceId,
    rootServiceName: text(t.rootServiceName),
    rootName: text(t.rootName),
    startTimeUnixNano: nanos(t.startTimeUnixNano),
    durationNano: nanos(t.durationNano),
    spanCount: count(t.spanCount),
    errorCount: count(t.errorCount),
    services: Array.isArray(t.services) ? t.services.filter((s): s is string => typeof s === 'string') : [],
  };
}

/** The search answer as the page uses it: summaries without an id dropped, a missing or blank cursor is none. */
export function normalizeTracePage(body: unknown): TracePage {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const traces = (Array.isArray(b.traces) ? b.traces : []).map(normalizeSummary).filter((t): t is ApiTraceSummary => t !== null);
  const cursor = typeof b.nextCursor === 'string' && b.nextCursor !== '' ? b.nextCursor : null;
  return { traces: uniqueTraces([], traces), nextCursor: cursor };
}

function uniqueTraces(have: readonly ApiTraceSummary[], more: readonly ApiTraceSummary[]): ApiTraceSummary[] {
  const seen = new Set(have.map((t) => t.traceId));
  const out = [...have];
  for (const t of more) {
    if (seen.has(t.traceId)) continue;
    seen.add(t.traceId);
    out.push(t);
  }
  return out;
}

/**
 * `next` (the page after `loaded`) appended: traces already listed are skipped (a `start`-ordered trace can
 * move between pages when it gains spans). A page that adds nothing and repeats the cursor ends the paging
 * rather than offering the same page again.
 */
export function appendPage(loaded: TracePage, next: TracePage): TracePage {
  const traces = uniqueTraces(loaded.traces, next.traces);
  const stuck = traces.length === loaded.traces.length && next.nextCursor === loaded.nextCursor;
  return { traces, nextCursor: stuck ? null : next.nextCursor };
}

/** The same search from `cursor` on (every other parameter, the resolved start/end included, kept). */
export function pageQuery(query: Pick<URLSearchParams, 'toString'>, cursor: string): URLSearchParams {
  const q = new URLSearchParams(query.toString());
  q.set('cursor', cursor);
  return q;
}

const HOUR_MS = 3_600_000;

/**
 * The window an API query searches, with the API's defaults (end: now; start: an hour before the end);
 * null when a time in it does not parse or the window is empty (the API rejects it).
 */
export function queryWindow(query: Pick<URLSearchParams, 'get'>, nowMs: number): Window | null {
  const start = query.get('start');
  const end = query.get('end');
  const endMs = end === null ? nowMs : parseTimeParam(end);
  const startMs = start === null ? endMs - HOUR_MS : parseTimeParam(start);
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || startMs >= endMs) return null;
  return { startMs, endMs };
}

/** "the last hour" or "2024-05-01 10:00 → 12:00" (the page's range in running text). */
export function rangePhrase(range: TimeRange, nowMs: number): string {
  const label = rangeLabel(range, nowMs);
  return range.kind === 'relative' ? `the ${label.charAt(0).toLowerCase()}${label.slice(1)}` : label;
}

/** The chart's caption: how many traces it shows of which window, and whether more match. */
export function scatterCaption(shown: number, more: boolean, phrase: string): string {
  const noun = shown === 1 ? 'trace' : 'traces';
  return more ? `${shown} loaded ${noun} of ${phrase}; more match` : `${shown} ${noun} of ${phrase}, all that match`;
}
