// Client-side table sorting. Pure; nulls and NaN sort last whichever the direction.

export type SortDir = 'asc' | 'desc';

export interface SortState<K extends string> {
  key: K;
  dir: SortDir;
}

export type SortValue = string | number | null | undefined;
type Value = SortValue;

function compareValues(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
  return (a as number) - (b as number);
}

const missing = (v: Value): boolean => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

/** A sorted copy; ties keep their input order (Array.prototype.sort is stable). */
export function sortRows<T, K extends string>(rows: readonly T[], state: SortState<K>, value: (row: T, key: K) => Value): T[] {
  const sign = state.dir === 'asc' ? 1 : -1;
  return [...rows].sort((ra, rb) => {
    const a = value(ra, state.key);
    const b = value(rb, state.key);
    if (missing(a) || missing(b)) return missing(a) === missing(b) ? 0 : missing(a) ? 1 : -1;
    return sign * compareValues(a, b);
  });
}

/** Clicking a header: the same column flips direction; a new column starts with `initial` (text columns ascending). */
export function nextSort<K extends string>(current: SortState<K>, key: K, initial: SortDir = 'desc'): SortState<K> {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: initial };
}

/** aria-sort value of a column header. */
export function ariaSort<K extends string>(state: SortState<K>, key: K): 'ascending' | 'descending' | 'none' {
  if (state.key !== key) return 'none';
  return state.dir === 'asc' ? 'ascending' : 'descending';
}

/**
 * A table's order from the page URL (`?sort=<column>&dir=asc|desc`); unknown columns fall back to
 * `fallback`, a missing direction to the fallback's when it is the same column, else to `desc`.
 */
export function sortFromQuery<K extends string>(
  params: Pick<URLSearchParams, 'get'>,
  keys: readonly K[],
  fallback: SortState<K>,
): SortState<K> {
  const raw = params.get('sort');
  const key = keys.find((k) => k === raw);
  if (!key) return fallback;
  const dir = params.get('dir');
  if (dir === 'asc' || dir === 'desc') return { key, dir };
  return key === fallback.key ? fallback : { key, dir: 'desc' };
}

/** `params` with the order set (other parameters kept); the default order leaves the URL clean. */
export function withSort<K extends string>(params: Pick<URLSearchParams, 'toString'>, state: SortState<K>, fallback: SortState<K>): URLSearchParams {
  const q = new URLSearchParams(params.toString());
  q.delete('sort');
  q.delete('dir');
  if (state.key !== fallback.key || state.dir !== fallback.dir) {
    q.set('sort', state.key);
    q.set('dir', state.dir);
  }
  return q;
}
