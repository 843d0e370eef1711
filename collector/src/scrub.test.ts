import type { Attributes, LogRecord, Span } from '@faultline/proto';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_SCRUB_OPTIONS,
  FILTERED,
  scrubAttributes,
  scrubLogRecord,
  scrubSpan,
  scrubString,
  type ScrubOptions,
} from './scrub.ts';

const opts = DEFAULT_SCRUB_OPTIONS;
const scrub = (s: string, o: ScrubOptions = opts): string => scrubString(s, o);

function makeSpan(over: Partial<Span> = {}): Span {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '',
    traceState: '',
    flags: 1,
    name: 'GET /login?token=abc123456',
    kind: 2,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_500_000_000n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    statusCode: 2,
    statusMessage: '',
    serviceName: 'api',
    resource: { 'service.name': 'api' },
    scope: { name: 'test', version: '1', attributes: {} },
    ...over,
  };
}

function makeLog(over: Partial<LogRecord> = {}): LogRecord {
  return {
    timeUnixNano: 1n,
    observedTimeUnixNano: 2n,
    severityNumber: 17,
    severityText: 'ERROR',
    body: '',
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    eventName: '',
    serviceName: 'api',
    resource: {},
    scope: { name: '', version: '', attributes: {} },
    ...over,
  };
}

describe('sensitive keys', () => {
  const keys = [
    'password',
    'db.passwd',
    'client_secret',
    'api_key',
    'x-api-key',
    'ApiKey',
    'http.request.header.authorization',
    'Authorization',
    'aws.credentials',
    'MYSQL_PWD',
    'privateKey',
    'private-key',
    'session_token',
    'bearer',
    'db.password',
  ];
  test.each(keys)('%s is filtered', (key) => {
    const { attributes, scrubbed } = scrubAttributes({ [key]: 'hunter2' }, opts);
    expect(attributes[key]).toBe(FILTERED);
    expect(scrubbed).toBe(1);
  });

  test('values of any type are filtered, other keys kept', () => {
    const attrs: Attributes = { 'db.password': 42, secret: ['a', 'b'], 'http.route': '/users/:id', count: 3 };
    const { attributes, scrubbed } = scrubAttributes(attrs, opts);
    expect(attributes).toEqual({ 'db.password': FILTERED, secret: FILTERED, 'http.route': '/users/:id', count: 3 });
    expect(scrubbed).toBe(2);
    expect(attrs['db.password']).toBe(42); // the input is not modified
  });

  test('nested kvlists and arrays are checked by key and content', () => {
    const attrs: Attributes = {
      headers: { authorization: 'Basic dXNlcjpwYXNz', accept: 'json', list: [{ token: 'x' }, 'card 4111 1111 1111 1111'] },
    };
    const { attributes, scrubbed } = scrubAttributes(attrs, opts);
    expect(attributes).toEqual({ headers: { authorization: FILTERED, accept: 'json', list: [{ token: FILTERED }, `card ${FILTERED}`] } });
    expect(scrubbed).toBe(3);
  });

  test('unchanged attributes are returned as is', () => {
    const attrs: Attributes = { 'http.method': 'GET', nested: { a: [1, 2] } };
    const result = scrubAttributes(attrs, opts);
    expect(result.attributes).toBe(attrs);
    expect(result.scrubbed).toBe(0);
  });

  test('extraKeys add fragments, safeKeys exempt exact keys, LLM token counts are safe by default', () => {
    const o: ScrubOptions = { ...opts, extraKeys: ['SSN'], safeKeys: ['auth.method'] };
    const { attributes } = scrubAttributes({ 'user.ssn': '078-05-1120', 'auth.method': 'oauth', 'Auth.Method': 'x' }, o);
    expect(attributes).toEqual({ 'user.ssn': FILTERED, 'auth.method': 'oauth', 'Auth.Method': FILTERED });
    const counts = scrubAttributes({ 'gen_ai.usage.input_tokens': 120, 'gen_ai.usage.output_tokens': 30 }, opts);
    expect(counts.scrubbed).toBe(0);
  });

  test('disabled scrubs nothing', () => {
    const o: ScrubOptions = { ...opts, enabled: false };
    const attrs: Attributes = { password: 'x', 'url.full': 'https://u:p@h/' };
    expect(scrubAttributes(attrs, o)).toEqual({ attributes: attrs, scrubbed: 0 });
    expect(scrub('4111 1111 1111 1111', o)).toBe('4111 1111 1111 1111');
  });
});

describe('card numbers', () => {
  test.each([
    ['4111 1111 1111 1111', FILTERED],
    ['5500-0000-0000-0004', FILTERED],
    ['paid with 4111111111111111 today', `paid with ${FILTERED} today`],
    ['amex 3782 822463 10005', `amex ${FILTERED}`],
    ['qty 2 4111 1111 1111 1111', `qty 2 ${FILTERED}`],
  ])('%s is filtered', (input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  test.each([
    '4111 1111 1111 1112', // fails Luhn
    '1700000000000000000', // ns timestamp: no card starts with 1
    '411111111111', // 12 digits
    'order 12345 shipped',
  ])('%s is kept', (input) => {
    expect(scrub(input)).toBe(input);
  });

  test('can be switched off', () => {
    expect(scrub('4111 1111 1111 1111', { ...opts, scrubCardNumbers: false })).toBe('4111 1111 1111 1111');
  });
});

describe('credentials in text', () => {
  test.each([
    ['postgres://app:s3cret@db:5432/main', `postgres://${FILTERED}@db:5432/main`],
    ['redis://:p@ss@cache:6379', `redis://${FILTERED}@cache:6379`],
    ['clone https://ghp_abc@github.com/o/r failed', `clone https://${FILTERED}@github.com/o/r failed`],
    ['https://api.example.com/v1?user=1&access_token=abc&x=2', `https://api.example.com/v1?user=1&access_token=${FILTERED}&x=2`],
    ['/login?password=hunter2#top', `/login?password=${FILTERED}#top`],
    ['Server=db;User Id=app;Password=hunter2;', `Server=db;User Id=app;Password=${FILTERED};`],
    ['level=info user=bob api-key="a b c" ok=1', `level=info user=bob api-key=${FILTERED} ok=1`],
    // libpq and ADO.NET connection strings quote values in single quotes.
    ["host=db user=app password='s3 cret' dbname=main", `host=db user=app password=${FILTERED} dbname=main`],
    ["Server=db;Password='p;w';Database=x", `Server=db;Password=${FILTERED};Database=x`],
    ['sent Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc_-x', `sent Authorization: Bearer ${FILTERED}`],
    ['BEARER abcdefgh1234=', `BEARER ${FILTERED}`],
  ])('%s', (input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  test.each(['https://example.com/a?page=2', 'see https://example.com and mail a@b.c', 'the bearer of this note', 'x=1'])(
    '%s is kept',
    (input) => {
      expect(scrub(input)).toBe(input);
    },
  );

  test('URL scrubbing can be switched off; bearer tokens are still filtered', () => {
    const o: ScrubOptions = { ...opts, scrubUrlCredentials: false };
    expect(scrub('https://u:p@h/?token=abc', o)).toBe('https://u:p@h/?token=abc');
    expect(scrub('Bearer abcdefgh12345', o)).toBe(`Bearer ${FILTERED}`);
  });

  test('scrubbing is idempotent', () => {
    const once = scrub('postgres://a:b@h/?password=x 4111 1111 1111 1111 Bearer abcdefghijk');
    expect(scrub(once)).toBe(once);
    expect(scrubAttributes({ password: FILTERED, url: once }, opts).scrubbed).toBe(0);
  });
});

describe('scrubSpan', () => {
  test('scrubs attributes, events, links, resource, scope and status; keeps ids, times and the name', () => {
    const span = makeSpan({
      attributes: { 'http.request.header.authorization': ['Bearer x'], 'url.full': 'https://a:b@h/p' },
      events: [
        {
          timeUnixNano: 5n,
          name: 'exception',
          attributes: { 'exception.message': 'bad card 4111111111111111' },
          droppedAttributesCount: 0,
        },
      ],
      links: [{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceState: '', attributes: { secret: 's' }, droppedAttributesCount: 0 }],
      resource: { 'service.name': 'api', 'process.command_args': ['node', '--db=postgres://u:p@db/x'] },
      scope: { name: 's', version: '1', attributes: { api_key: 'k' } },
      statusMessage: 'login failed for password=hunter2',
    });
    const before = structuredClone(span);
    expect(scrubSpan(span, opts)).toBe(7);
    expect(span.attributes).toEqual({ 'http.request.header.authorization': FILTERED, 'url.full': `https://${FILTERED}@h/p` });
    expect(span.events[0]?.attributes['exception.message']).toBe(`bad card ${FILTERED}`);
    expect(span.links[0]?.attributes['secret']).toBe(FILTERED);
    expect(span.resource['process.command_args']).toEqual(['node', `--db=postgres://${FILTERED}@db/x`]);
    expect(span.scope.attributes['api_key']).toBe(FILTERED);
    expect(span.statusMessage).toBe(`login failed for password=${FILTERED}`);
    const { traceId, spanId, parentSpanId, name, kind, startTimeUnixNano, endTimeUnixNano, statusCode, events, links } = span;
    expect({ traceId, spanId, parentSpanId, name, kind, startTimeUnixNano, endTimeUnixNano, statusCode }).toEqual({
      traceId: before.traceId,
      spanId: before.spanId,
      parentSpanId: before.parentSpanId,
      name: before.name,
      kind: before.kind,
      startTimeUnixNano: before.startTimeUnixNano,
      endTimeUnixNano: before.endTimeUnixNano,
      statusCode: before.statusCode,
    });
    expect(events[0]?.timeUnixNano).toBe(5n);
    expect(links[0]?.traceId).toBe('a'.repeat(32));
  });

  test('a resource shared by several spans is scrubbed once', () => {
    const resource: Attributes = { 'service.name': 'api', 'db.password': 'x' };
    const a = makeSpan({ resource });
    const b = makeSpan({ resource });
    expect(scrubSpan(a, opts) + scrubSpan(b, opts)).toBe(1);
    expect(b.resource['db.password']).toBe(FILTERED);
  });

  test('disabled leaves the span alone', () => {
    const span = makeSpan({ attributes: { password: 'x' } });
    expect(scrubSpan(span, { ...opts, enabled: false })).toBe(0);
    expect(span.attributes['password']).toBe('x');
  });
});

describe('scrubLogRecord', () => {
  test('string body and attributes', () => {
    const log = makeLog({ body: 'charge failed for 5500-0000-0000-0004', attributes: { 'user.password': 'p', 'http.route': '/pay' } });
    expect(scrubLogRecord(log, opts)).toBe(2);
    expect(log.body).toBe(`charge failed for ${FILTERED}`);
    expect(log.attributes).toEqual({ 'user.password': FILTERED, 'http.route': '/pay' });
    expect(log.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  test('structured body is scrubbed deeply', () => {
    const log = makeLog({ body: { msg: 'login', credentials: { user: 'bob' }, request: { headers: { Authorization: 'Bearer abc' } } } });
    expect(scrubLogRecord(log, opts)).toBe(2);
    expect(log.body).toEqual({ msg: 'login', credentials: FILTERED, request: { headers: { Authorization: FILTERED } } });
  });
});

describe('cookie headers captured as attributes', () => {
  test('OTel http.request.header.cookie / http.response.header.set-cookie values are filtered: a session cookie is a credential whatever its name', () => {
    const attrs: Attributes = {
      'http.request.header.cookie': ['sessionid=s3cr3tsession; theme=dark'],
      'http.response.header.set-cookie': ['sessionid=newsess; Path=/; HttpOnly'],
      'http.request.header.cookie2': 'a=b',
      Cookie: 'sid=1',
      'http.request.header.set_cookie': 'sid=2',
      cookie_consent: 'granted',
      'http.request.header.accept': 'text/html',
    };
    const { attributes } = scrubAttributes(attrs, opts);
    expect(attributes['http.request.header.cookie']).toBe(FILTERED);
    expect(attributes['http.response.header.set-cookie']).toBe(FILTERED);
    expect(attributes['http.request.header.cookie2']).toBe(FILTERED);
    expect(attributes.Cookie).toBe(FILTERED);
    expect(attributes['http.request.header.set_cookie']).toBe(FILTERED);
    // Other keys that merely mention cookies, and other headers, stay.
    expect(attributes.cookie_consent).toBe('granted');
    expect(attributes['http.request.header.accept']).toBe('text/html');
  });
});
