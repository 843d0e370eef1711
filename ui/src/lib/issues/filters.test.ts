import { describe, expect, test } from 'vitest';
import { defaultIssueFilters, issueApiQuery, issueFiltersFromQuery, issueFiltersToQuery, issueListSearch, levelKey } from './filters.ts';

describe('issue filters', () => {
  test('defaults leave the URL empty and the API query explicit', () => {
    const f = defaultIssueFilters();
    expect(issueFiltersToQuery(f).toString()).toBe('');
    expect(Object.fromEntries(issueApiQuery(f))).toEqual({ status: 'unresolved', sort: 'lastSeen', limit: '100' });
  });

  test('round-trips through the URL', () => {
    const f = {
      ...defaultIssueFilters(),
      status: 'all' as const,
      query: 'boom x',
      release: '1.0.0',
      environment: 'prod',
      level: 'error' as const,
      tags: [
        { key: 'browser', value: 'Chrome 131' },
        { key: 'os', value: 'macOS' },
      ],
      sort: 'events' as const,
      limit: 25,
      period: '7d' as const,
    };
    const back = issueFiltersFromQuery(new URLSearchParams(issueFiltersToQuery(f).toString()));
    expect(back).toEqual(f);
  });

  test('ignores unknown values and trims text', () => {
    const f = issueFiltersFromQuery(new URLSearchParams('status=bogus&sort=nope&level=loud&limit=-3&query=%20hi%20&period=2w'));
    expect(f.period).toBe('');
    expect(f.status).toBe('unresolved');
    expect(f.sort).toBe('lastSeen');
    expect(f.level).toBe('');
    expect(f.limit).toBe(100);
    expect(issueFiltersToQuery(f).get('query')).toBe('hi');
  });

  test('a period is a word in the page URL and its start at the time of asking in the API query', () => {
    const f = { ...defaultIssueFilters(), period: '24h' as const };
    expect(issueFiltersToQuery(f).toString()).toBe('period=24h');
    const api = issueApiQuery(f, 1_800_000_000_000);
    expect(api.get('start')).toBe(String(1_800_000_000_000 - 86_400_000));
    expect(api.has('period')).toBe(false);
    expect(issueApiQuery(defaultIssueFilters(), 1_800_000_000_000).has('start')).toBe(false);
  });

  test('tab links keep the other filters', () => {
    const f = { ...defaultIssueFilters(), query: 'x' };
    expect(issueListSearch(f, { status: 'resolved' })).toBe('?status=resolved&query=x');
    expect(issueListSearch(defaultIssueFilters())).toBe('');
  });
});

describe('levelKey', () => {
  test.each([
    ['fatal', 'fatal'],
    ['critical', 'fatal'],
    ['error', 'error'],
    ['ERROR', 'error'],
    ['warning', 'warning'],
    ['warn', 'warning'],
    [' Warning ', 'warning'],
    ['info', 'info'],
    ['log', 'info'],
    ['debug', 'debug'],
    ['trace', 'debug'],
    ['', 'default'],
    ['loud', 'default'],
    ['constructor', 'default'],
    ['__proto__', 'default'],
  ])('%j → %s', (level, key) => {
    expect(levelKey(level)).toBe(key);
  });

  test('missing levels are neutral, never error', () => {
    expect(levelKey(null)).toBe('default');
    expect(levelKey(undefined)).toBe('default');
  });
});
