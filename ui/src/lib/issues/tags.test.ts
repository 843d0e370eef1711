import { describe, expect, test } from 'vitest';
import { facetRows, normalizeTags, serviceCount, tagFilterSearch } from './tags.ts';

describe('issue tags', () => {
  test('untrusted answers: counts as numbers, empty keys and values dropped, triage order', () => {
    const tags = normalizeTags({
      tags: [
        { key: 'region', total: 3, values: [{ value: 'eu', count: 3 }] },
        { key: 'level', total: '4', values: [{ value: 'error', count: '4' }] },
        { key: 'environment', total: 5, values: [{ value: 'staging', count: 1 }, { value: 'production', count: 4 }] },
        { key: 'release', total: 7, values: [{ value: '1.0.0', count: 2 }, { value: '1.1.0', count: 5 }, { value: null, count: 9 }, { value: 'x', count: 0 }] },
        { key: 'browser', total: 1, values: 'nope' },
        { key: '', total: 1, values: [{ value: 'a', count: 1 }] },
        { key: 7, values: [{ value: 'a', count: 1 }] },
        { key: 'region', total: 1, values: [{ value: 'dup', count: 1 }] },
        null,
      ],
    });
    expect(tags).toEqual([
      { key: 'release', total: 7, values: [{ value: '1.1.0', count: 5 }, { value: '1.0.0', count: 2 }] },
      { key: 'environment', total: 5, values: [{ value: 'production', count: 4 }, { value: 'staging', count: 1 }] },
      { key: 'level', total: 4, values: [{ value: 'error', count: 4 }] },
      { key: 'region', total: 3, values: [{ value: 'eu', count: 3 }] },
    ]);
    // a total smaller than the listed counts is raised to them
    expect(normalizeTags({ tags: [{ key: 'os', total: 1, values: [{ value: 'Linux', count: 3 }] }] })[0]?.total).toBe(3);
    expect(normalizeTags(null)).toEqual([]);
    expect(normalizeTags({ tags: {} })).toEqual([]);
  });

  test('rows: percentages of the key total, "Other" for values not listed', () => {
    const facet = { key: 'release', total: 200, values: [{ value: 'a', count: 120 }, { value: 'b', count: 60 }, { value: 'c', count: 19 }, { value: 'd', count: 1 }] };
    expect(facetRows(facet, 10)).toEqual([
      { value: 'a', count: 120, percent: 60, percentText: '60%', other: false },
      { value: 'b', count: 60, percent: 30, percentText: '30%', other: false },
      { value: 'c', count: 19, percent: 9.5, percentText: '10%', other: false },
      { value: 'd', count: 1, percent: 0.5, percentText: '<1%', other: false },
    ]);
    const two = facetRows(facet, 2);
    expect(two.map((r) => [r.value, r.count, r.other])).toEqual([
      ['a', 120, false],
      ['b', 60, false],
      ['Other', 20, true],
    ]);
    // the API lists the top values only: the rest of the total is "Other"
    expect(facetRows({ key: 'user', total: 10, values: [{ value: 'u1', count: 4 }] }, 5).at(-1)).toMatchObject({ other: true, count: 6, percentText: '60%' });
  });

  test('release and environment values link to the filtered issues list; other keys do not', () => {
    expect(tagFilterSearch('release', 'shop@2.0.0')).toBe('?release=shop%402.0.0');
    expect(tagFilterSearch('environment', 'prod & eu')).toBe('?environment=prod+%26+eu');
    expect(tagFilterSearch('service', 'api')).toBe('?tag.service=api');
    expect(tagFilterSearch('browser', 'Chrome 131')).toBe('?tag.browser=Chrome+131');
    expect(tagFilterSearch('release', '  ')).toBe('');
  });

  test('serviceCount still reads raw rows', () => {
    expect(serviceCount([{ key: 'service', values: [{ value: 'api', count: '3' }] }], 'api')).toBe(3);
    expect(serviceCount([], 'api')).toBe(0);
  });
});
