import { describe, expect, test } from 'vitest';
import { ApiError } from './http.ts';
import { parseIssueSearch } from './issue-query.ts';

const refused = (query: string): string => {
  try {
    parseIssueSearch(query);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return (err as Error).message;
  }
  return 'accepted';
};

describe('issue search syntax', () => {
  test('status, columns and tags from key:value, the rest is text', () => {
    expect(parseIssueSearch('is:resolved level:error release:web@2.1.0 env:prod browser:Chrome assigned:alice cart total')).toEqual({
      status: 'resolved',
      assignee: 'alice',
      level: 'error',
      release: 'web@2.1.0',
      environment: 'prod',
      tags: [{ key: 'browser', value: 'Chrome' }],
      text: 'cart total',
    });
  });

  test('quotes keep spaces in values and in text', () => {
    expect(parseIssueSearch('customer.tier:"gold plus" "total is NaN" environment:"staging eu"')).toEqual({
      environment: 'staging eu',
      tags: [{ key: 'customer.tier', value: 'gold plus' }],
      text: 'total is NaN',
    });
  });

  test('colons that are not filters stay text: titles, URLs, times', () => {
    expect(parseIssueSearch('TypeError: x is undefined')).toEqual({ tags: [], text: 'TypeError: x is undefined' });
    expect(parseIssueSearch('fetch http://api.example.com/x failed')).toEqual({ tags: [], text: 'fetch http://api.example.com/x failed' });
    expect(parseIssueSearch('at 12:30')).toEqual({ tags: [], text: 'at 12:30' });
    expect(parseIssueSearch('')).toEqual({ tags: [], text: '' });
  });

  test('what it cannot honour is a 400 saying why', () => {
    expect(refused('is:open')).toBe('query parameter "query": is:open is not a status (unresolved, resolved, ignored, all)');
    expect(refused('level:critical')).toBe('query parameter "query": level:critical is not a level (fatal, error, warning, info, debug)');
    expect(refused('!browser:Chrome')).toBe('query parameter "query": !browser:… (excluding) is not supported; filter for what to keep');
    expect(refused(Array.from({ length: 21 }, (_, i) => `k${i}:v`).join(' '))).toBe('query parameter "query": at most 20 tag filters');
  });
});
