// The RED columns (requests, rate, errors, latency percentiles, apdex) shared by the services and
// operations tables. Pure.
import type { Red } from '../api/performance.ts';
import { APDEX_THRESHOLD_MS, apdexLabel, apdexTitle } from '../format/metrics.ts';
import type { Column } from './columns.ts';
import type { SortValue } from './sort.ts';

export type RedKey = 'calls' | 'requestRate' | 'errorRate' | 'p50' | 'p95' | 'p99' | 'apdex';

/** The RED columns; `titles` replace their header tooltips (Apdex's names its threshold T). */
export function redColumns(titles: Partial<Record<RedKey, string>> = {}): Column<RedKey>[] {
  const cols: Column<RedKey>[] = [
    { key: 'calls', label: 'Requests', num: true },
    { key: 'requestRate', label: 'Rate', num: true },
    { key: 'errorRate', label: 'Error rate', num: true },
    { key: 'p50', label: 'p50', num: true },
    { key: 'p95', label: 'p95', num: true },
    { key: 'p99', label: 'p99', num: true },
    { key: 'apdex', label: apdexLabel(APDEX_THRESHOLD_MS), num: true, title: apdexTitle(APDEX_THRESHOLD_MS) },
  ];
  return cols.map((c) => (titles[c.key] ? { ...c, title: titles[c.key] } : c));
}

const RED_KEYS: readonly string[] = ['calls', 'requestRate', 'errorRate', 'p50', 'p95', 'p99', 'apdex'];

export function isRedKey(key: string): key is RedKey {
  return RED_KEYS.includes(key);
}

export function redValue(r: Red, key: RedKey): SortValue {
  if (key === 'p50') return r.p50DurationNano;
  if (key === 'p95') return r.p95DurationNano;
  if (key === 'p99') return r.p99DurationNano;
  return r[key];
}
