// Trace-search filters <-> page URL query <-> API query. Pure; the URL is the source of truth
// so a copied link reproduces the search.

export const RANGES = [
  { key: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { key: '1h', label: 'Last hour', ms: 60 * 60_000 },
  { key: '6h', label: 'Last 6 hours', ms: 6 * 60 * 60_000 },
  { key: '24h', label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 24 * 60 * 60_000 },
] as const;

export type RangeKey = (typeof RANGES)[number]['key'];
export const DEFAULT_RANGE: RangeKey = '1h';

export const STATUSES = ['', 'ok', 'error', 'unset'] as const;
export type StatusFilter = (typeof STATUSES)[number];

export const LIMITS = [20, 50, 100, 200, 500] as const;
export const DEFAULT_LIMIT = 50;

/**
 * Orders the API offers (`sort=`), both descending only: `start` newest first (by the latest matching
 * span), `duration` slowest first.
 */
export const TRACE_SORTS = ['start', 'duration'] as const;
export type TraceSort = (typeof TRACE_SORTS)[number];
export const DEFAULT_SORT: TraceSort = 'start';

export interface SearchFilters {
  service: string;
  operation: string;
  status: StatusFilter;
  /** Kept as entered (strings) so the form round-trips exactly. */
  minDurationMs: string;
  maxDurationMs: string;
  attributes: [string, string][];
  range: RangeKey;
  /** Explicit absolute window (ISO-8601 or unix ms) from a shared link; overrides `range`. */
  start: string;
  end: string;
  limit: number;
  /** Server-side order of the results (same name and values in the page URL and the API query). */
  sort: TraceSort;
}

export function defaultFilters(): SearchFilters {
  return {
    service: '',
    operation: '',
    status: '',
    minDurationMs: '',
    maxDurationMs: '',
    attributes: [],
    range: DEFAULT_RANGE,
    start: '',
    end: '',
    limit: DEFAULT_LIMIT,
    sort: DEFAULT_SORT,
  };
}

function isRange(v: string | null): v is RangeKey {
  return RANGES.some((r) => r.key === v);
}

function isSort(v: string | null): v is TraceSort {
  return TRACE_SORTS.some((s) => s === v);
}

function isStatus(v: string | null): v is StatusFilter {
  return v !== null && (STATUSES as readonly string[]).includes(v);
}

/** Read-only view of a query string (page.url.searchParams is read-only). */
export type QueryParams = Pick<URLSearchParams, 'get' | 'forEach'>;

export function filtersFromQuery(params: QueryParams): SearchFilters {
  const f = defaultFilters();
  f.service = params.get('service') ?? '';
  f.operation = params.get('operation') ?? '';
  const status = params.get('status');
  if (isStatus(status)) f.status = status;
  f.minDurationMs = params.get('minDurationMs') ?? '';
  f.maxDurationMs = params.get('maxDurationMs') ?? '';
  const range = params.get('range');
  if (isRange(range)) f.range = range;
  f.start = params.get('start') ?? '';
  f.end = params.get('end') ?? '';
  const limit = Number(params.get('limit'));
  if (Number.isInteger(limit) && limit > 0) f.limit = limit;
  const sort = params.get('sort');
  if (isSort(sort)) f.sort = sort;
  params.forEach((value, key) => {
    if (key.startsWith('attr.') && key.length > 5) f.attributes.push([key.slice(5), value]);
  });
  return f;
}

/** Page URL query: only what differs from the defaults. */
export function filtersToQuery(f: SearchFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.service) q.set('service', f.service);
  if (f.service && f.operation) q.set('operation', f.operation);
  if (f.status) q.set('status', f.status);
  if (f.minDurationMs.trim()) q.set('minDurationMs', f.minDurationMs.trim());
  if (f.maxDurationMs.trim()) q.set('maxDurationMs', f.maxDurationMs.trim());
  for (const [k, v] of f.attributes) q.append(`attr.${k}`, v);
  if (f.start || f.end) {
    if (f.start) q.set('start', f.start);
    if (f.end) q.set('end', f.end);
  } else if (f.range !== DEFAULT_RANGE) {
    q.set('range', f.range);
  }
  if (f.limit !== DEFAULT_LIMIT) q.set('limit', String(f.limit));
  if (f.sort !== DEFAULT_SORT) q.set('sort', f.sort);
  return q;
}

/** API query for GET /traces; a relative range becomes start/end (unix ms) relative to `nowMs`. */
export function apiQuery(f: SearchFilters, nowMs: number): URLSearchParams {
  const q = filtersToQuery(f);
  q.delete('range');
  if (!f.start && !f.end) {
    const range = RANGES.find((r) => r.key === f.range) ?? RANGES[1];
    q.set('start', String(Math.floor(nowMs - range.ms)));
    q.set('end', String(Math.floor(nowMs)));
  }
  q.set('limit', String(f.limit));
  return q;
}

export interface ParsedAttributes {
  attributes: [string, string][];
  errors: string[];
}

/** Parses `key=value` lines (blank lines ignored; the value may itself contain '='). */
export function parseAttributeLines(text: string): ParsedAttributes {
  const attributes: [string, string][] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    const eq = trimmed.indexOf('=');
    const key = eq > 0 ? trimmed.slice(0, eq).trim() : '';
    if (key === '') {
      errors.push(`Line ${i + 1}: expected key=value`);
      return;
    }
    attributes.push([key, trimmed.slice(eq + 1).trim()]);
  });
  return { attributes, errors };
}

export function formatAttributeLines(attributes: readonly [string, string][]): string {
  return attributes.map(([k, v]) => `${k}=${v}`).join('\n');
}

/** Validation message for a duration bound, or '' when fine. */
export function durationError(label: string, value: string): string {
  const v = value.trim();
  if (v === '') return '';
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? '' : `${label} must be a non-negative number of milliseconds`;
}
