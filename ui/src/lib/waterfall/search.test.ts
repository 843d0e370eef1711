import { describe, expect, it } from 'vitest';
import type { ApiSpan } from '../api/types.ts';
import { buildTraceModel } from './model.ts';
import { nextMatch, searchRows } from './search.ts';

function apiSpan(spanId: string, parentSpanId: string, name: string, attributes: ApiSpan['attributes'] = {}): ApiSpan {
  return {
    traceId: 't',
    spanId,
    parentSpanId,
    name,
    kind: 'INTERNAL',
    serviceName: spanId === 'c3' ? 'Postgres' : 'web',
    startTimeUnixNano: '1000',
    durationNano: '10',
    statusCode: 'UNSET',
    statusMessage: spanId === 'b2' ? 'Deadline exceeded' : '',
    attributes,
    resource: {},
    scope: { name: '', version: '' },
    events: [],
    links: [],
  };
}

const model = buildTraceModel({
  traceId: 't',
  errors: [],
  logs: [],
  logsTruncated: false,
  spans: [
    apiSpan('a1', '', 'GET /checkout', { 'http.status_code': 200 }),
    apiSpan('b2', 'a1', 'POST /api/cart', { 'user.tags': ['vip', 'beta'] }),
    apiSpan('c3', 'b2', 'SELECT cart'),
  ],
});
const names = (q: string) => searchRows(model.rows, q).map((i) => model.rows[i]!.span.spanId);

describe('searchRows', () => {
  it('finds nothing for a blank query', () => {
    expect(names('  ')).toEqual([]);
  });

  it('matches names and services case-insensitively', () => {
    expect(names('cart')).toEqual(['b2', 'c3']);
    expect(names('postgres')).toEqual(['c3']);
  });

  it('matches attribute keys and values, including structured values', () => {
    expect(names('status_code')).toEqual(['a1']);
    expect(names('200')).toEqual(['a1']);
    expect(names('vip')).toEqual(['b2']);
  });

  it('matches a status message and an exact span id', () => {
    expect(names('deadline')).toEqual(['b2']);
    expect(names('C3')).toEqual(['c3']);
  });
});

describe('nextMatch', () => {
  it('steps forward and backward with wrap-around', () => {
    expect(nextMatch([], 3, 1)).toBeNull();
    expect(nextMatch([2, 5, 9], null, 1)).toBe(2);
    expect(nextMatch([2, 5, 9], null, -1)).toBe(9);
    expect(nextMatch([2, 5, 9], 5, 1)).toBe(9);
    expect(nextMatch([2, 5, 9], 9, 1)).toBe(2);
    expect(nextMatch([2, 5, 9], 2, -1)).toBe(9);
    expect(nextMatch([2, 5, 9], 6, -1)).toBe(5);
  });
});
