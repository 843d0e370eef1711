// Log-search filters <-> page URL query <-> API query. Pure; the URL is the source of truth so a
// copied link reproduces the search. The time range lives in the same URL (time/range.ts).
import { resolveRange, windowQuery, type TimeRange } from '../time/range.ts';

export const SEVERITIES = ['', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type SeverityFilter = (typeof SEVERITIES)[number];

export interface LogFilters {
  service: string;
  /** Lowest severity class shown; '' = all. */
  severity: SeverityFilter;
  /** Case-insensitive text the body contains. */
  query: string;
  traceId: string;
  attributes: [string, string][];
}

export function defaultLogFilters(): LogFilters {
  return { service: '', severity: '', query: '', traceId: '', attributes: [] };
}

type QueryParams = Pick<URLSearchParams, 'get' | 'forEach'>;

export function logFiltersFromQuery(params: QueryParams): LogFilters {
  const f = defaultLogFilters();
  f.service = params.get('service') ?? '';
  const severity = params.get('severity') ?? '';
  if ((SEVERITIES as readonly string[]).includes(severity)) f.severity = severity as SeverityFilter;
  f.query = params.get('query') ?? '';
  f.traceId = params.get('traceId') ?? '';
  params.forEach((value, key) => {
    if (key.startsWith('attr.') && key.length > 5) f.attributes.push([key.slice(5), value]);
  });
  return f;
}

/** Page URL query of the filters: only what is set (the range parameters are kept by the caller). */
export function logFiltersToQuery(f: LogFilters, keep: Pick<URLSearchParams, 'get'> | null = null): URLSearchParams {
  const q = new URLSearchParams();
  for (const name of ['range', 'start', 'end'] as const) {
    const v = keep?.get(name);
    if (v) q.set(name, v);
  }
  if (f.service.trim()) q.set('service', f.service.trim());
  if (f.severity) q.set('severity', f.severity);
  if (f.query.trim()) q.set('query', f.query.trim());
  if (f.traceId.trim()) q.set('traceId', f.traceId.trim().toLowerCase());
  for (const [k, v] of f.attributes) q.append(`attr.${k}`, v);
  return q;
}

/** API query of the filters and the range resolved against `nowMs` (GET /logs/histogram takes just this). */
export function logFilterApiQuery(f: LogFilters, range: TimeRange, nowMs: number): URLSearchParams {
  const q = windowQuery(resolveRange(range, nowMs));
  for (const [k, v] of logFiltersToQuery(f)) q.append(k, v);
  return q;
}

/** API query for GET /logs: the filters plus the range resolved against `nowMs`. */
export function logApiQuery(f: LogFilters, range: TimeRange, nowMs: number, limit: number, cursor = ''): URLSearchParams {
  const q = logFilterApiQuery(f, range, nowMs);
  q.set('limit', String(limit));
  if (cursor) q.set('cursor', cursor);
  return q;
}

/** A message when the trace id cannot be one, else ''. */
export function traceIdError(value: string): string {
  const v = value.trim();
  return v === '' || /^[0-9a-fA-F]{32}$/.test(v) ? '' : 'A trace id is 32 hexadecimal characters';
}
