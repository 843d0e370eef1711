import { describe, expect, test } from 'vitest';
import { EVENT_ID, ROOT_SPAN_ID, TRACE_ID, nodeErrorEvent, pythonEvent } from './fixtures.ts';
import { guessInApp } from './exception.ts';
import { MAX_BREADCRUMBS, SentryFormatError, sentryEventToErrorEvent } from './index.ts';

const RECEIVED_MS = 1718031240000;

describe('sentryEventToErrorEvent: @sentry/node 8 error', () => {
  const event = sentryEventToErrorEvent(nodeErrorEvent(), RECEIVED_MS);

  test('identity, time and metadata', () => {
    expect(event).toMatchObject({
      eventId: EVENT_ID,
      timeUnixNano: 1718031234567891000n,
      level: 'error',
      platform: 'node',
      sdk: { name: 'sentry.javascript.node', version: '8.9.2' },
      message: '',
      release: 'checkout@2.4.1',
      environment: 'production',
      serverName: 'api-7f9c',
      transaction: 'GET /users/:id',
      serviceName: 'checkout-api',
      source: 'sentry',
    });
  });

  test('the exception chain keeps Sentry order: cause first, the caught exception last', () => {
    expect(event.exceptions.map((e) => [e.type, e.value, e.mechanism])).toEqual([
      ['TypeError', "Cannot read properties of undefined (reading 'id')", { type: 'chained', handled: false }],
      ['Error', 'Failed to load user 42', { type: 'auto.middleware.express', handled: false }],
    ]);
  });

  test('frames stay oldest call first, with in_app and source context as sent', () => {
    const [cause] = event.exceptions;
    expect(cause!.frames).toEqual([
      {
        filename: 'node:internal/process/task_queues',
        absPath: '',
        function: 'process.processTicksAndRejections',
        module: 'task_queues',
        lineno: 95,
        colno: 5,
        inApp: false,
      },
      {
        filename: '/srv/app/dist/db/users.js',
        absPath: '',
        function: 'findUser',
        module: 'db:users',
        lineno: 12,
        colno: 22,
        inApp: true,
        preContext: ['export async function findUser(id) {', '  const row = await pool.query(SQL, [id]);'],
        contextLine: '  return { id: row.id, name: row.name };',
        postContext: ['}'],
      },
    ]);
    expect(event.exceptions[1]!.frames.map((f) => f.inApp)).toEqual([false, true]);
  });

  test('user, tags in array form, contexts and the trace link', () => {
    expect(event.user).toEqual({ id: '42', email: 'bob@example.com', username: '', ipAddress: '' });
    // `os` comes from the SDK's os context, as Relay tags it.
    expect(event.tags).toEqual({ region: 'eu-west-1', service: 'checkout-api', retry: '2', os: 'Linux' });
    expect(event.contexts.runtime).toEqual({ name: 'node', version: 'v20.11.0' });
    expect(event.traceId).toBe(TRACE_ID);
    expect(event.spanId).toBe(ROOT_SPAN_ID);
    expect(event.fingerprint).toEqual(['{{ default }}', 'users']);
  });

  test('breadcrumbs in array form with float-second timestamps', () => {
    expect(event.breadcrumbs).toEqual([
      { timestampMs: 1718031233100, type: 'default', category: 'console', message: 'loading user 42', level: 'log', data: {} },
      {
        timestampMs: 1718031233250,
        type: 'http',
        category: 'http',
        message: '',
        level: 'info',
        data: { method: 'GET', url: 'http://users.internal/42', status_code: 500 },
      },
    ]);
  });
});

describe('sentryEventToErrorEvent: sentry-python warning', () => {
  const event = sentryEventToErrorEvent(pythonEvent(), RECEIVED_MS);

  test('ISO timestamps keep microseconds; dashed event ids are accepted', () => {
    expect(event.eventId).toBe('0f9e8d7c6b5a49388271605f4e3d2c1b');
    expect(event.timeUnixNano).toBe(1718031234567891000n);
    expect(event.breadcrumbs).toEqual([
      { timestampMs: 1718031234100, type: 'default', category: 'query', message: 'SELECT 1', level: 'info', data: {} },
    ]);
  });

  test('logentry params are substituted, level and tags read', () => {
    expect(event.message).toBe('Payment pay_17 failed for bob');
    expect(event.level).toBe('warning');
    expect(event.serviceName).toBe('payments-worker');
  });

  test('a bare exception array; in_app guessed from paths', () => {
    expect(event.exceptions).toHaveLength(1);
    expect(event.exceptions[0]).toMatchObject({ type: 'CardError', value: 'card declined', module: 'stripe.error' });
    expect(event.exceptions[0]!.frames.map((f) => [f.filename, f.absPath, f.inApp])).toEqual([
      ['app/payments.py', '/srv/app/payments.py', true],
      ['stripe/api_requestor.py', '/usr/local/lib/python3.12/site-packages/stripe/api_requestor.py', false],
    ]);
  });

  test('invalid trace ids give no trace link', () => {
    expect(event.traceId).toBe('');
    expect(event.spanId).toBe('');
  });
});

describe('sentryEventToErrorEvent: defaults and odd shapes', () => {
  test('a minimal message event', () => {
    const event = sentryEventToErrorEvent({ message: 'disk almost full' }, RECEIVED_MS);
    expect(event.eventId).toMatch(/^[0-9a-f]{32}$/);
    expect(event).toMatchObject({
      timeUnixNano: 1718031240000000000n,
      level: 'error',
      platform: 'other',
      message: 'disk almost full',
      exceptions: [],
      user: { id: '', email: '', username: '', ipAddress: '' },
      tags: {},
      contexts: {},
      breadcrumbs: [],
      fingerprint: [],
      serviceName: '',
      traceId: '',
    });
  });

  test('levels', () => {
    const level = (l: unknown) => sentryEventToErrorEvent({ level: l }, RECEIVED_MS).level;
    expect([level('fatal'), level('critical'), level('WARNING'), level('warn'), level('log'), level('info')]).toEqual([
      'fatal',
      'fatal',
      'warning',
      'warning',
      'info',
      'info',
    ]);
    expect([level('debug'), level('constructor'), level(3), level(undefined)]).toEqual(['debug', 'error', 'error', 'error']);
  });

  test('message forms', () => {
    const message = (e: Record<string, unknown>) => sentryEventToErrorEvent(e, RECEIVED_MS).message;
    expect(message({ logentry: { formatted: 'done', message: 'ignored %s' } })).toBe('done');
    expect(message({ message: { message: 'user %(id)s not found (%(pct)d%%)', params: { id: 7, pct: 50 } } })).toBe(
      'user 7 not found (50%)',
    );
    expect(message({ logentry: { message: '%s + %s = %d%%', params: ['a', ''] } })).toBe('a +  = %d%');
    expect(message({ logentry: { message: 'no params' }, message: 'fallback' })).toBe('no params');
  });

  test('app_name wins over the service tag; user fields as strings', () => {
    const event = sentryEventToErrorEvent(
      {
        contexts: { app: { app_name: 'Shop iOS' } },
        tags: { service: 'ignored' },
        user: { id: 'u1', username: 'bob', ip_address: '203.0.113.9' },
      },
      RECEIVED_MS,
    );
    expect(event.serviceName).toBe('Shop iOS');
    expect(event.user).toEqual({ id: 'u1', email: '', username: 'bob', ipAddress: '203.0.113.9' });
  });

  test('wrongly typed fields are dropped, the rest kept', () => {
    const event = sentryEventToErrorEvent(
      {
        event_id: 'not-an-id',
        timestamp: 'yesterday',
        exception: { values: ['nope', { type: 'Error', value: { code: 'E1' }, stacktrace: { frames: 'x' } }, {}] },
        tags: [['ok', 'yes'], ['bad'], [1, 'numeric key'], ['nul', null]],
        breadcrumbs: { values: [null, { message: 'no time' }] },
        contexts: ['x'],
        fingerprint: 'abc',
        user: 'bob',
      },
      RECEIVED_MS,
    );
    expect(event.eventId).toMatch(/^[0-9a-f]{32}$/);
    expect(event.timeUnixNano).toBe(1718031240000000000n);
    expect(event.exceptions).toEqual([{ type: 'Error', value: '{"code":"E1"}', module: '', frames: [] }]);
    expect(event.tags).toEqual({ ok: 'yes' });
    expect(event.breadcrumbs).toEqual([
      { timestampMs: RECEIVED_MS, type: 'default', category: '', message: 'no time', level: 'info', data: {} },
    ]);
    expect(event.contexts).toEqual({});
    expect(event.fingerprint).toEqual([]);
    expect(event.user.id).toBe('');
  });

  test('only the newest breadcrumbs are kept', () => {
    const crumbs = Array.from({ length: 150 }, (_, i) => ({ timestamp: 1718031000 + i, message: `step ${i}` }));
    const event = sentryEventToErrorEvent({ breadcrumbs: { values: crumbs } }, RECEIVED_MS);
    expect(event.breadcrumbs).toHaveLength(MAX_BREADCRUMBS);
    expect(event.breadcrumbs[0]!.message).toBe('step 50');
    expect(event.breadcrumbs.at(-1)!.message).toBe('step 149');
  });

  test('a __proto__ key in contexts or tags stays data', () => {
    const payload = JSON.parse('{"contexts":{"__proto__":{"polluted":true}},"tags":{"__proto__":"x"}}') as unknown;
    const event = sentryEventToErrorEvent(payload, RECEIVED_MS);
    expect(Object.getPrototypeOf(event.contexts)).toBe(Object.prototype);
    expect(Object.keys(event.contexts)).toEqual(['__proto__']);
    expect(Object.keys(event.tags)).toEqual(['__proto__']);
  });

  test('a payload that is not an object is refused', () => {
    for (const payload of [null, 'event', 42, [{}]]) {
      expect(() => sentryEventToErrorEvent(payload, RECEIVED_MS)).toThrow(SentryFormatError);
    }
    expect(() => sentryEventToErrorEvent([], RECEIVED_MS)).toThrow('event must be a JSON object, got an array');
  });
});

describe('guessInApp', () => {
  test.each([
    ['/srv/app/src/index.ts', '', 'node', true],
    ['/srv/app/node_modules/pg/lib/client.js', '', 'node', false],
    ['node:internal/timers', '', 'node', false],
    ['events.js', '', 'node', false],
    ['<anonymous>', '', 'javascript', false],
    ['https://shop.example.com/static/js/main.3f2a.js', '', 'javascript', true],
    ['chrome-extension://abcdef/content.js', '', 'javascript', false],
    ['/usr/lib/python3.11/json/decoder.py', '', 'python', false],
    ['/srv/app/vendor/bundle/ruby/3.3.0/gems/rack.rb', '', 'ruby', false],
    ['UserService.java', 'com.shop.UserService', 'java', true],
    ['Thread.java', 'java.lang.Thread', 'java', false],
    ['', 'main', 'go', false],
  ])('%s (%s, %s) → %s', (path, module, platform, expected) => {
    expect(guessInApp(path, module, platform)).toBe(expected);
  });
});
