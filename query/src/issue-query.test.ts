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
  test("Sentry's browser.name: and os.name: search the browser and os tags", () => {
    expect(parseIssueSearch('browser.name:Chrome os.name:"Mac OS" browser.version:131.0.0').tags).toEqual([
      { key: 'browser', value: 'Chrome' },
      { key: 'os', value: 'Mac OS' },
      { key: 'browser.version', value: '131.0.0' },
    ]);
  });

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
    expect(refused(Array.from({ length: 21 }, (_, i) => `k${i}:v`).join(' '))).toBe('query parameter "query": at most 20 tag and has: filters');
  });

  test('issue fields, has:, message: and Sentry keys that cannot be answered', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(parseIssueSearch('times_seen:>=10 first-release:web@1.0 has:user message:"card declined" age:-24h lastSeen:+7d', now)).toEqual({
      tags: [],
      text: 'card declined',
      has: ['user'],
      firstRelease: 'web@1.0',
      timesSeen: { op: '>=', value: 10 },
      firstSeen: { op: '>=', ms: now - 86_400_000 },
      lastSeen: { op: '<=', ms: now - 7 * 86_400_000 },
    });
    expect(parseIssueSearch('lastSeen:>2026-12-01T00:00:00Z user.id:42', now)).toMatchObject({
      lastSeen: { op: '>', ms: Date.parse('2026-12-01T00:00:00Z') },
      tags: [{ key: 'user.id', value: '42' }],
    });
    expect(refused('error.handled:false')).toContain('error.handled: is not supported');
    expect(refused('times_seen:many')).toContain('use a number');
    expect(refused('age:yesterday')).toContain('relative time');
    // keys named like Object's own properties are tags like any other (they once became functions: a 500)
    expect(parseIssueSearch('constructor:x __proto__:y').tags).toEqual([
      { key: 'constructor', value: 'x' },
      { key: '__proto__', value: 'y' },
    ]);
    expect(refused(Array.from({ length: 21 }, (_, i) => `has:k${String(i)}`).join(' '))).toContain('at most 20');
  });
});
