// Issue tag distributions (GET …/issues/{id}/tags). Pure.
import { defaultIssueFilters, issueListSearch } from './filters.ts';

export interface TagRow {
  key?: unknown;
  values?: { value?: unknown; count?: unknown }[];
}

/** Events of the issue attributed to `service` by its tag distribution (0 when none). */
export function serviceCount(tags: readonly TagRow[], service: string): number {
  const row = tags.find((t) => t.key === 'service');
  const hit = (row?.values ?? []).find((v) => v.value === service);
  const n = Number(hit?.count);
  return Number.isFinite(n) ? n : 0;
}

/** One tag key of an issue with its most frequent values (normalized answer). */
export interface TagFacet {
  key: string;
  /** Events carrying the key (all values, not only the listed ones). */
  total: number;
  values: { value: string; count: number }[];
}

/** Keys shown first, in this order (Sentry's triage order); the rest alphabetically. */
const KEY_ORDER = ['release', 'environment', 'service', 'level', 'server_name', 'user', 'browser', 'os', 'runtime', 'device', 'url', 'transaction'];

const rank = (key: string): number => {
  const i = KEY_ORDER.indexOf(key);
  return i < 0 ? KEY_ORDER.length : i;
};

const count = (v: unknown): number => {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
};

/** The `tags` of GET …/issues/{id}/tags: keys with values, counts as numbers, values by count, keys in triage order. */
export function normalizeTags(raw: unknown): TagFacet[] {
  const tags = raw && typeof raw === 'object' ? (raw as { tags?: unknown }).tags : undefined;
  if (!Array.isArray(tags)) return [];
  const byKey = new Map<string, TagFacet>();
  for (const t of tags as unknown[]) {
    if (!t || typeof t !== 'object') continue;
    const row = t as { key?: unknown; total?: unknown; values?: unknown };
    if (typeof row.key !== 'string' || row.key === '' || byKey.has(row.key)) continue;
    const values = (Array.isArray(row.values) ? (row.values as unknown[]) : [])
      .map((v) => (v && typeof v === 'object' ? (v as { value?: unknown; count?: unknown }) : {}))
      .filter((v) => typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean')
      .map((v) => ({ value: String(v.value), count: count(v.count) }))
      .filter((v) => v.count > 0)
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    if (values.length === 0) continue;
    const listed = values.reduce((s, v) => s + v.count, 0);
    byKey.set(row.key, { key: row.key, total: Math.max(count(row.total), listed), values });
  }
  return [...byKey.values()].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

export interface TagValueRow {
  value: string;
  count: number;
  /** Share of the key's events, 0–100. */
  percent: number;
  /** "62%", "<1%". */
  percentText: string;
  /** The rest of the key's events beyond the listed values. */
  other: boolean;
}

function percentText(p: number): string {
  if (p > 0 && p < 1) return '<1%';
  return `${Math.round(p)}%`;
}

/** The first `shown` values of a facet as percentage rows, plus "Other" for the events of the values not listed. */
export function facetRows(facet: TagFacet, shown: number): TagValueRow[] {
  const row = (value: string, n: number, other: boolean): TagValueRow => {
    const percent = facet.total > 0 ? Math.min(100, (n / facet.total) * 100) : 0;
    return { value, count: n, percent, percentText: percentText(percent), other };
  };
  const rows = facet.values.slice(0, shown).map((v) => row(v.value, v.count, false));
  const rest = facet.total - rows.reduce((s, r) => s + r.count, 0);
  if (rest > 0) rows.push(row('Other', rest, true));
  return rows;
}

/** Tag keys whose values are also filters of the issues list (lib/issues/filters.ts). */
export const FILTER_KEYS = ['release', 'environment'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export function isFilterKey(key: string): key is FilterKey {
  return (FILTER_KEYS as readonly string[]).includes(key);
}

/** `?…` of the issues list filtered by a tag's value (release and environment by their own filters); '' for no value. */
export function tagFilterSearch(key: string, value: string): string {
  if (value.trim() === '') return '';
  if (isFilterKey(key)) return issueListSearch(defaultIssueFilters(), { [key]: value });
  return issueListSearch(defaultIssueFilters(), { tags: [{ key, value }] });
}
