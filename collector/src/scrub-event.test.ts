import type { ErrorEvent } from '@faultline/proto';
import { describe, expect, test } from 'vitest';
import { scrubErrorEvent } from './scrub-event.ts';
import { DEFAULT_SCRUB_OPTIONS, FILTERED } from './scrub.ts';

const opts = DEFAULT_SCRUB_OPTIONS;

describe('scrubErrorEvent', () => {
  function makeEvent(): ErrorEvent {
    return {
      eventId: 'f'.repeat(32),
      timeUnixNano: 1n,
      level: 'error',
      platform: 'node',
      sdk: { name: 'sentry.javascript.node', version: '9.0.0' },
      message: 'connect to postgres://app:pw@db failed',
      exceptions: [
        {
          type: 'Error',
          value: 'invalid card 4111 1111 1111 1111',
          module: '',
          frames: [
            {
              filename: 'app.js',
              absPath: '/app.js',
              function: 'f',
              module: '',
              lineno: 1,
              colno: 1,
              inApp: true,
              contextLine: 'const password = "hunter2";',
            },
          ],
        },
      ],
      release: '1.0.0',
      environment: 'prod',
      serverName: 'web-1',
      serviceName: 'api',
      transaction: 'GET /reset?token=abc',
      user: { id: '7', email: 'bob@example.com', username: 'bob', ipAddress: '203.0.113.9' },
      tags: { 'api-key': 'k', region: 'eu' },
      contexts: { runtime: { name: 'node' }, app: { config: { db: { password: 'pw' } }, hosts: ['https://u:p@h'] } },
      breadcrumbs: [
        {
          timestampMs: 1,
          type: 'http',
          category: 'fetch',
          message: 'GET /x?token=t',
          level: 'info',
          data: { url: 'https://h/?apikey=k', auth: 'x' },
        },
      ],
      traceId: '',
      spanId: '',
      fingerprint: [],
      source: 'sentry',
    };
  }

  test('scrubs messages, tags, contexts and breadcrumbs; keeps frames, user and transaction', () => {
    const event = makeEvent();
    expect(scrubErrorEvent(event, opts)).toBe(8);
    expect(event.message).toBe(`connect to postgres://${FILTERED}@db failed`);
    expect(event.exceptions[0]?.value).toBe(`invalid card ${FILTERED}`);
    expect(event.exceptions[0]?.frames[0]?.contextLine).toBe('const password = "hunter2";');
    expect(event.tags).toEqual({ 'api-key': FILTERED, region: 'eu' });
    expect(event.contexts).toEqual({
      runtime: { name: 'node' },
      app: { config: { db: { password: FILTERED } }, hosts: [`https://${FILTERED}@h`] },
    });
    expect(event.breadcrumbs[0]).toMatchObject({
      message: `GET /x?token=${FILTERED}`,
      data: { url: `https://h/?apikey=${FILTERED}`, auth: FILTERED },
    });
    expect(event.user).toEqual(makeEvent().user);
    expect(event.transaction).toBe('GET /reset?token=abc');
  });

  test('scrubs the request: credential headers by name, sensitive query values, body keys; and extra', () => {
    const event = makeEvent();
    event.request = {
      method: 'POST',
      url: 'https://user:pw@api.example.com/orders/17',
      queryString: 'page=2&token=s3cr3t&api_key=k',
      headers: {
        Authorization: 'Bearer abcdefghijklmnop',
        'X-Api-Key': 'key-123',
        'User-Agent': 'curl/8.5.0',
        Referer: 'https://shop.example.com/?password=p',
      },
      data: { amount: 12, password: 'hunter2', note: 'card 4111 1111 1111 1111' },
    };
    event.extra = { note: 'keep me', login: { user: 'ada', password: 'hunter2' }, __serialized__: { code: 'E' } };
    event.modules = { express: '4.19.2' };
    scrubErrorEvent(event, opts);
    expect(event.request).toEqual({
      method: 'POST',
      url: `https://${FILTERED}@api.example.com/orders/17`,
      queryString: `page=2&token=${FILTERED}&api_key=${FILTERED}`,
      headers: {
        Authorization: FILTERED,
        'X-Api-Key': FILTERED,
        'User-Agent': 'curl/8.5.0',
        Referer: `https://shop.example.com/?password=${FILTERED}`,
      },
      data: { amount: 12, password: FILTERED, note: `card ${FILTERED}` },
    });
    expect(event.extra).toEqual({ note: 'keep me', login: { user: 'ada', password: FILTERED }, __serialized__: { code: 'E' } });
    expect(event.modules).toEqual({ express: '4.19.2' });
  });

  test('scrubbing off keeps the request as sent; a safe key keeps its value', () => {
    const event = makeEvent();
    event.request = { method: 'GET', url: '/', queryString: '', headers: { 'X-Api-Key': 'k1' }, data: null };
    expect(scrubErrorEvent(event, { ...opts, enabled: false })).toBe(0);
    expect(event.request.headers['X-Api-Key']).toBe('k1');
    scrubErrorEvent(event, { ...opts, safeKeys: ['X-Api-Key'] });
    expect(event.request.headers['X-Api-Key']).toBe('k1');
  });
});
