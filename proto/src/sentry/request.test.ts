import { describe, expect, test } from 'vitest';
import { MAX_REQUEST_DATA, readExtra, readModules, readRequest } from './request.ts';
import { sentryEventToErrorEvent } from './index.ts';

describe('readRequest', () => {
  test("@sentry/node's httpIntegration request: method, URL, query string, headers; cookies are not kept", () => {
    const request = readRequest({
      method: 'post',
      url: 'http://api.example.com/orders/17?page=2',
      query_string: 'page=2',
      headers: { 'user-agent': 'curl/8.5.0', 'content-length': 13 },
      cookies: { session: 'abc' },
      data: '{"amount":12,"card":{"cvc":"123"}}',
    });
    expect(request).toEqual({
      method: 'POST',
      url: 'http://api.example.com/orders/17',
      queryString: 'page=2',
      headers: { 'user-agent': 'curl/8.5.0', 'content-length': '13' },
      data: { amount: 12, card: { cvc: '123' } },
    });
  });

  test("a browser event's request: the query string is split off the page URL", () => {
    expect(readRequest({ url: 'https://shop.example.com/cart?coupon=SPRING#top', headers: { 'User-Agent': 'Mozilla/5.0' } })).toEqual({
      method: '',
      url: 'https://shop.example.com/cart',
      queryString: 'coupon=SPRING',
      headers: { 'User-Agent': 'Mozilla/5.0' },
      data: null,
    });
  });

  test("Relay's pair lists, a '?' prefix, text bodies and oversize bodies", () => {
    const r = readRequest({
      headers: [['Accept', 'text/html'], ['bad'], [3, 'x']],
      query_string: [
        ['q', 'a b'],
        ['page', 2],
      ],
      data: 'name=ada',
    });
    expect(r).toMatchObject({ headers: { Accept: 'text/html' }, queryString: 'q=a+b&page=2', data: 'name=ada' });
    expect(readRequest({ query_string: '?a=1' })?.queryString).toBe('a=1');
    // a large structured body is left out whole: cut to text, `"password":"…"` would escape the key rules
    const big = readRequest({ url: 'x', data: { big: 'y'.repeat(MAX_REQUEST_DATA), password: 'hunter2' } })?.data;
    expect(big).toMatch(/^\[a body of \d+ characters, left out\]$/);
    expect(readRequest({ url: 'x', data: 'z'.repeat(MAX_REQUEST_DATA + 10) })?.data).toHaveLength(MAX_REQUEST_DATA);
    // cookie headers are credentials: never kept, whether or not the project scrubs
    expect(readRequest({ url: 'x', headers: { Cookie: 'sid=1', 'set-cookie': 'a=b', Accept: '*/*' } })?.headers).toEqual({ Accept: '*/*' });
    expect(readRequest({ data: '{not json' })?.data).toBe('{not json');
  });

  test('nothing usable is no request', () => {
    expect(readRequest(undefined)).toBeNull();
    expect(readRequest('GET /')).toBeNull();
    expect(readRequest({ cookies: { a: 'b' }, headers: 'x' })).toBeNull();
  });
});

describe('extra and modules', () => {
  test('extra keeps nested values (a thrown object under __serialized__); modules are name → version', () => {
    expect(readExtra({ note: 'keep me', __serialized__: { code: 'E_LIMIT', n: 3 }, gone: undefined })).toEqual({
      note: 'keep me',
      __serialized__: { code: 'E_LIMIT', n: 3 },
    });
    expect(readExtra([1, 2])).toEqual({});
    expect(readModules({ express: '4.19.2', odd: { v: 1 }, '': '1' })).toEqual({ express: '4.19.2' });
  });

  test('a Sentry event carries them', () => {
    const e = sentryEventToErrorEvent(
      { message: 'x', extra: { note: 'keep me' }, modules: { express: '4.19.2' }, request: { url: 'https://a.example/p' } },
      0,
    );
    expect(e).toMatchObject({ extra: { note: 'keep me' }, modules: { express: '4.19.2' }, request: { url: 'https://a.example/p' } });
  });
});
