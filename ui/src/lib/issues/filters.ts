// Issue-list filters <-> page URL query <-> API query. Pure; the URL is the source of truth.

export const STATUS_TABS = [
  { key: 'unresolved', label: 'Unresolved' },
  { key: 'resolved', label: 'Resolved' },
  { key: 'ignored', label: 'Ignored' },
  { key: 'all', label: 'All' },
] as const;
export type StatusTab = (typeof STATUS_TABS)[number]['key'];

export const SORTS = [
  { key: 'lastSeen', label: 'Last seen' },
  { key: 'firstSeen', label: 'First seen' },
  { key: 'events', label: 'Events' },
  { key: 'users', label: 'Users' },
] as const;
export type IssueSort = (typeof SORTS)[number]['key'];

/** Sentry's time ranges: only issues with events in the range, counted there. '' = any time (totals). */
export const ISSUE_PERIODS = [
  { key: '', label: 'Any time', ms: 0 },
  { key: '1h', label: 'Last hour', ms: 3_600_000 },
  { key: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { key: '14d', label: 'Last 14 days', ms: 14 * 86_400_000 },
  { key: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;
export type IssuePeriod = (typeof ISSUE_PERIODS)[number]['key'];

export const LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const;
export type LevelFilter = (typeof LEVELS)[number] | '';

export const ISSUE_LIMITS = [25, 50, 100, 200, 500] as const;
export const DEFAULT_ISSUE_LIMIT = 100;

export interface IssueFilters {
  status: StatusTab;
  query: string;
  release: string;
  environment: string;
  level: LevelFilter;
  /** `tag.<key>=<value>`: issues with an event carrying every one of these tags. */
  tags: Array<{ key: string; value: string }>;
  sort: IssueSort;
  limit: number;
  period: IssuePeriod;
}

export function defaultIssueFilters(): IssueFilters {
  return {
    status: 'unresolved',
    query: '',
    release: '',
    environment: '',
    level: '',
    tags: [],
    sort: 'lastSeen',
    limit: DEFAULT_ISSUE_LIMIT,
    period: '',
  };
}

const isTab = (v: string | null): v is StatusTab => STATUS_TABS.some((t) => t.key === v);
const isSort = (v: string | null): v is IssueSort => SORTS.some((s) => s.key === v);
const isPeriod = (v: string | null): v is IssuePeriod => ISSUE_PERIODS.some((p) => p.key === v);
const isLevel = (v: string | null): v is LevelFilter => v !== null && (LEVELS as readonly string[]).includes(v);

export function issueFiltersFromQuery(params: Pick<URLSearchParams, 'get' | 'forEach'>): IssueFilters {
  const f = defaultIssueFilters();
  const status = params.get('status');
  if (isTab(status)) f.status = status;
  f.query = params.get('query') ?? '';
  f.release = params.get('release') ?? '';
  f.environment = params.get('environment') ?? '';
  const level = params.get('level');
  if (isLevel(level)) f.level = level;
  params.forEach((value, name) => {
    if (name.startsWith('tag.') && name.length > 4 && value !== '') f.tags.push({ key: name.slice(4), value });
  });
  const sort = params.get('sort');
  if (isSort(sort)) f.sort = sort;
  const limit = Number(params.get('limit'));
  if (Number.isInteger(limit) && limit > 0 && limit <= 500) f.limit = limit;
  const period = params.get('period');
  if (isPeriod(period)) f.period = period;
  return f;
}

/** Page URL query: only what differs from the defaults (trimmed text). */
export function issueFiltersToQuery(f: IssueFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.status !== 'unresolved') q.set('status', f.status);
  if (f.query.trim()) q.set('query', f.query.trim());
  if (f.release.trim()) q.set('release', f.release.trim());
  if (f.environment.trim()) q.set('environment', f.environment.trim());
  if (f.level) q.set('level', f.level);
  for (const t of f.tags) q.append(`tag.${t.key}`, t.value);
  if (f.sort !== 'lastSeen') q.set('sort', f.sort);
  if (f.limit !== DEFAULT_ISSUE_LIMIT) q.set('limit', String(f.limit));
  if (f.period) q.set('period', f.period);
  return q;
}

/** API query for GET /issues: always explicit status, sort and limit; a period becomes its start at `nowMs`. */
export function issueApiQuery(f: IssueFilters, nowMs: number = Date.now()): URLSearchParams {
  const q = issueFiltersToQuery(f);
  q.delete('period');
  const periodMs = ISSUE_PERIODS.find((p) => p.key === f.period)?.ms ?? 0;
  if (periodMs > 0) q.set('start', String(nowMs - periodMs));
  q.set('status', f.status);
  q.set('sort', f.sort);
  q.set('limit', String(f.limit));
  return q;
}

/** `?…` for the list page with some filters changed (status-tab links, sort changes). */
export function issueListSearch(f: IssueFilters, patch: Partial<IssueFilters> = {}): string {
  const qs = issueFiltersToQuery({ ...f, ...patch }).toString();
  return qs ? `?${qs}` : '';
}

/** CSS level class (`lvl-<key>`): Sentry's levels, plus `default` for anything unknown (neutral). */
export type LevelKey = (typeof LEVELS)[number] | 'default';

const LEVEL_ALIASES = new Map<string, LevelKey>([
  ['fatal', 'fatal'],
  ['critical', 'fatal'],
  ['error', 'error'],
  ['warning', 'warning'],
  ['warn', 'warning'],
  ['info', 'info'],
  ['log', 'info'], // console.log breadcrumbs and Sentry's "log" level
  ['debug', 'debug'],
  ['trace', 'debug'],
]);

/**
 * The colour class of an event, issue or breadcrumb level. Only fatal/error levels read as errors:
 * an unknown level (a custom breadcrumb level, a typo) is neutral, never red.
 */
export function levelKey(level: string | null | undefined): LevelKey {
  return (
    LEVEL_ALIASES.get(
      String(level ?? '')
        .trim()
        .toLowerCase(),
    ) ?? 'default'
  );
}
