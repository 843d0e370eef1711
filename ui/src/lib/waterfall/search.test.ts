import { describe, expect, it } from 'vitest';
import type { ApiSpan } from '../api/types.ts';
import { buildTraceModel } from './model.ts';
import { errorRows, nextMatch, searchRows } from './search.ts';

function apiSpan(
  spanId: string,
  parentSpanId: string,
  name: string,
  attributes: ApiSpan['attributes'] = {},
  extra: Partial<ApiSpan> = {},
): ApiSpan {
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
    ...extra,
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
    apiSpan('c3', 'b2', 'SELECT cart', {}, { resource: { 'service.name': 'Postgres', 'host.name': 'db-1' } }),
    apiSpan('d4', 'a1', 'payment', { 'rpc.method': 'Charge', 'retry.count': 3 }, {
      events: [
        {
          timeUnixNano: '1005',
          name: 'exception',
          attributes: { 'exception.type': 'CardError', 'exception.message': 'card declined by issuer' },
        },
      ],
    }),
    apiSpan('e5', 'a1', 'note', { message: 'saw rpc.method=Charge in a log line' }, {
      events: [{ timeUnixNano: '1006', name: 'cache miss', attributes: { 'rpc.method': 'ChargeLater' } }],
    }),
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

describe('searchRows: span events', () => {
  it('matches event names and event attribute keys and values', () => {
    expect(names('declined by')).toEqual(['d4']);
    expect(names('CardError')).toEqual(['d4']);
    expect(names('exception.message')).toEqual(['d4']);
    expect(names('cache miss')).toEqual(['e5']);
  });
});

describe('searchRows: key=value', () => {
  it('matches attribute equality on span attributes, case-insensitively', () => {
    expect(names('rpc.method=Charge')).toEqual(['d4']);
    expect(names('RPC.METHOD=charge')).toEqual(['d4']);
    expect(names('rpc.method=Char')).toEqual([]);
    expect(names('retry.count=3')).toEqual(['d4']);
    expect(names('http.status_code=200')).toEqual(['a1']);
  });

  it('matches resource and event attributes', () => {
    expect(names('host.name=db-1')).toEqual(['c3']);
    expect(names('exception.type=CardError')).toEqual(['d4']);
    expect(names('exception.message=card declined by issuer')).toEqual(['d4']);
    expect(names('rpc.method=ChargeLater')).toEqual(['e5']);
  });

  it('drops quotes and spaces around the value, keeps structured values as JSON', () => {
    expect(names('rpc.method= "Charge" ')).toEqual(['d4']);
    expect(names('user.tags=["vip","beta"]')).toEqual(['b2']);
  });

  it('is an attribute test only; text with a space before "=" is a substring', () => {
    // e5 only says "rpc.method=Charge" in a message attribute: not an rpc.method attribute
    expect(names('rpc.method=charge in')).toEqual([]);
    expect(names('saw rpc.method=charge')).toEqual(['e5']);
    expect(names('missing.key=1')).toEqual([]);
    expect(names('=charge')).toEqual(['e5']);
  });
});

describe('errorRows', () => {
  it('lists the rows of error spans in tree order, for stepping with nextMatch', () => {
    const errModel = buildTraceModel({
      traceId: 't',
      errors: [],
      logs: [],
      logsTruncated: false,
      spans: [
        apiSpan('a1', '', 'root'),
        apiSpan('b2', 'a1', 'late', {}, { statusCode: 'ERROR', startTimeUnixNano: '1005' }),
        apiSpan('c3', 'a1', 'early', {}, { statusCode: 'ERROR' }),
        apiSpan('d4', 'a1', 'fine'),
      ],
    });
    const rows = errorRows(errModel.rows);
    expect(rows.map((i) => errModel.rows[i]!.span.spanId)).toEqual(['c3', 'b2']);
    expect(nextMatch(rows, null, 1)).toBe(rows[0]);
    expect(nextMatch(rows, rows[1]!, 1)).toBe(rows[0]);
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
