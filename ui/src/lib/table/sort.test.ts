import { describe, expect, test } from 'vitest';
import { ariaSort, nextSort, sortRows } from './sort.ts';

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
