import { describe, expect, test } from 'vitest';
import { ariaSort, nextSort, sortFromQuery, sortRows, withSort, type SortState } from './sort.ts';

type Row = { name: string; n: number | null };
const rows: Row[] = [
  { name: 'b', n: 2 },
  { name: 'a10', n: null },
  { name: 'a9', n: 5 },
  { name: 'C', n: 2 },
];
const value = (r: Row, k: 'name' | 'n') => r[k];

describe('table sorting', () => {
  test('numbers and text, nulls last both ways, stable ties', () => {
    expect(sortRows(rows, { key: 'n', dir: 'desc' }, value).map((r) => r.name)).toEqual(['a9', 'b', 'C', 'a10']);
    expect(sortRows(rows, { key: 'n', dir: 'asc' }, value).map((r) => r.name)).toEqual(['b', 'C', 'a9', 'a10']);
    expect(sortRows(rows, { key: 'name', dir: 'asc' }, value).map((r) => r.name)).toEqual(['a9', 'a10', 'b', 'C']);
    expect(rows[0]?.name).toBe('b'); // input untouched
  });

  test('header clicks and aria-sort', () => {
    expect(nextSort({ key: 'n', dir: 'desc' }, 'n')).toEqual({ key: 'n', dir: 'asc' });
    expect(nextSort({ key: 'n', dir: 'asc' }, 'name', 'asc')).toEqual({ key: 'name', dir: 'asc' });
    expect(nextSort({ key: 'n', dir: 'asc' }, 'name')).toEqual({ key: 'name', dir: 'desc' });
    expect(ariaSort({ key: 'n', dir: 'asc' }, 'n')).toBe('ascending');
    expect(ariaSort({ key: 'n', dir: 'desc' }, 'n')).toBe('descending');
    expect(ariaSort({ key: 'n', dir: 'desc' }, 'name')).toBe('none');
  });
});

describe('table order in the URL', () => {
  const KEYS = ['name', 'calls', 'p95'] as const;
  type Key = (typeof KEYS)[number];
  const DEFAULT: SortState<Key> = { key: 'calls', dir: 'desc' };
  const parse = (qs: string) => sortFromQuery(new URLSearchParams(qs), KEYS, DEFAULT);

  test('reads column and direction; unknown or missing values fall back', () => {
    expect(parse('')).toEqual(DEFAULT);
    expect(parse('sort=p95&dir=asc')).toEqual({ key: 'p95', dir: 'asc' });
    expect(parse('sort=name&dir=desc')).toEqual({ key: 'name', dir: 'desc' });
    expect(parse('sort=p95')).toEqual({ key: 'p95', dir: 'desc' });
    expect(parse('sort=p95&dir=sideways')).toEqual({ key: 'p95', dir: 'desc' });
    expect(parse('sort=bogus&dir=asc')).toEqual(DEFAULT);
    expect(parse('sort=__proto__')).toEqual(DEFAULT);
  });

  test('writes only a non-default order and keeps the other parameters', () => {
    const base = new URLSearchParams('range=6h');
    expect(withSort(base, { key: 'p95', dir: 'asc' }, DEFAULT).toString()).toBe('range=6h&sort=p95&dir=asc');
    expect(withSort(new URLSearchParams('range=6h&sort=p95&dir=asc'), DEFAULT, DEFAULT).toString()).toBe('range=6h');
    expect(withSort(new URLSearchParams(), { key: 'calls', dir: 'asc' }, DEFAULT).toString()).toBe('sort=calls&dir=asc');
    expect(base.toString()).toBe('range=6h'); // input untouched
  });

  test('round-trips', () => {
    for (const key of KEYS) {
      for (const dir of ['asc', 'desc'] as const) {
        const q = withSort(new URLSearchParams(), { key, dir }, DEFAULT);
        expect(sortFromQuery(q, KEYS, DEFAULT)).toEqual({ key, dir });
      }
    }
  });
});
