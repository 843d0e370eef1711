/**
 * Payloads shaped like what `@sentry/node` 8, `@sentry/browser` 8 and `sentry-python` 2 send, written for
 * these tests (ids and values are made up). Test-only: not exported from the package.
 */

import { SentryFormatError } from './errors.ts';

/** The message of the SentryFormatError that `run` throws; 'no error' when it returns (any other error is rethrown). */
export function formatErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof SentryFormatError) return err.message;
    throw err;
  }
  return 'no error';
}

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const ROOT_SPAN_ID = '00f067aa0ba902b7';
export const EVENT_ID = 'c3a8e2f1b4d94e0f9a7b6c5d4e3f2a1b';
export const DSN = 'https://9f3c2b1a0e8d4c7b6a5f4e3d2c1b0a99@faultline.example.com/7';

/** An unhandled error from an Express route in @sentry/node 8, with a chained cause. */
export function nodeErrorEvent(): Record<string, unknown> {
  return {
    exception: {
      values: [
        {
          type: 'TypeError',
          value: "Cannot read properties of undefined (reading 'id')",
          stacktrace: {
            frames: [
              {
                filename: 'node:internal/process/task_queues',
                module: 'task_queues',
                function: 'process.processTicksAndRejections',
                lineno: 95,
                colno: 5,
                in_app: false,
              },
              {
                filename: '/srv/app/dist/db/users.js',
                module: 'db:users',
                function: 'findUser',
                lineno: 12,
                colno: 22,
                in_app: true,
                pre_context: ['export async function findUser(id) {', '  const row = await pool.query(SQL, [id]);'],
                context_line: '  return { id: row.id, name: row.name };',
                post_context: ['}'],
              },
            ],
          },
          mechanism: { type: 'chained', handled: false, source: 'cause', exception_id: 1, parent_id: 0 },
        },
        {
          type: 'Error',
          value: 'Failed to load user 42',
          stacktrace: {
            frames: [
              {
                filename: '/srv/app/node_modules/express/lib/router/layer.js',
                module: 'express.lib.router:layer',
                function: 'Layer.handle [as handle_request]',
                lineno: 95,
                colno: 5,
                in_app: false,
              },
              {
                filename: '/srv/app/dist/routes/users.js',
                module: 'routes:users',
                function: 'getUser',
                lineno: 31,
                colno: 15,
                in_app: true,
              },
            ],
          },
          mechanism: { type: 'auto.middleware.express', handled: false, exception_id: 0 },
        },
      ],
    },
    event_id: EVENT_ID,
    level: 'error',
    platform: 'node',
    timestamp: 1718031234.567891,
    environment: 'production',
    release: 'checkout@2.4.1',
    server_name: 'api-7f9c',
    transaction: 'GET /users/:id',
    sdk: {
      name: 'sentry.javascript.node',
      version: '8.9.2',
      integrations: ['InboundFilters', 'Http', 'Express'],
      packages: [{ name: 'npm:@sentry/node', version: '8.9.2' }],
    },
    contexts: {
      trace: { trace_id: TRACE_ID.toUpperCase(), span_id: ROOT_SPAN_ID, parent_span_id: 'b7ad6b7169203331' },
      runtime: { name: 'node', version: 'v20.11.0' },
      app: { app_start_time: '2024-06-10T14:00:00.000Z', app_memory: 98_000_000 },
      os: { kernel_version: '6.1.0', name: 'Linux' },
    },
    user: { id: 42, email: 'bob@example.com', ip_address: '{{auto}}' },
    tags: [
      ['region', 'eu-west-1'],
      ['service', 'checkout-api'],
      ['retry', 2],
    ],
    breadcrumbs: [
      { timestamp: 1718031233.1, category: 'console', level: 'log', message: 'loading user 42' },
      {
        timestamp: 1718031233.25,
        type: 'http',
        category: 'http',
        data: { method: 'GET', url: 'http://users.internal/42', status_code: 500 },
      },
    ],
    fingerprint: ['{{ default }}', 'users'],
    request: { method: 'GET', url: 'https://shop.example.com/users/42', headers: { 'user-agent': 'curl/8.5.0' } },
    modules: { express: '4.19.2' },
  };
}

/** A logged warning from sentry-python 2: ISO timestamps, `logentry` with params, no `in_app` on frames. */
export function pythonEvent(): Record<string, unknown> {
  return {
    event_id: '0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b',
    timestamp: '2024-06-10T14:53:54.567891Z',
    level: 'warning',
    platform: 'python',
    logger: 'payments',
    logentry: { message: 'Payment %s failed for %s', params: ['pay_17', 'bob'] },
    exception: [
      {
        type: 'CardError',
        value: 'card declined',
        module: 'stripe.error',
        stacktrace: {
          frames: [
            { filename: 'app/payments.py', abs_path: '/srv/app/payments.py', function: 'charge', module: 'app.payments', lineno: 88 },
            {
              filename: 'stripe/api_requestor.py',
              abs_path: '/usr/local/lib/python3.12/site-packages/stripe/api_requestor.py',
              function: 'request',
              module: 'stripe.api_requestor',
              lineno: 412,
            },
          ],
        },
        mechanism: { type: 'logging', handled: true },
      },
    ],
    breadcrumbs: {
      values: [{ timestamp: '2024-06-10T14:53:54.100000Z', type: 'default', category: 'query', message: 'SELECT 1', level: 'info' }],
    },
    tags: { service: 'payments-worker' },
    contexts: { trace: { trace_id: 'not-a-trace', span_id: 'abc' } },
    sdk: { name: 'sentry.python', version: '2.5.1' },
  };
}

/** A server transaction from @sentry/node 8 with an outgoing HTTP call and a database query. */
export function nodeTransaction(): Record<string, unknown> {
  return {
    type: 'transaction',
    event_id: EVENT_ID,
    transaction: 'GET /users/:id',
    transaction_info: { source: 'route' },
    platform: 'node',
    start_timestamp: 1718031234.100123,
    timestamp: 1718031234.587654,
    release: 'checkout@2.4.1',
    environment: 'production',
    sdk: { name: 'sentry.javascript.node', version: '8.9.2' },
    tags: { region: 'eu-west-1' },
    contexts: {
      trace: {
        trace_id: TRACE_ID,
        span_id: ROOT_SPAN_ID,
        parent_span_id: 'b7ad6b7169203331',
        op: 'http.server',
        status: 'internal_error',
        origin: 'auto.http.otel.http',
        data: { 'sentry.source': 'route', 'http.method': 'GET', 'http.response.status_code': 500, 'sentry.sample_rate': 1 },
      },
      runtime: { name: 'node', version: 'v20.11.0' },
    },
    spans: [
      {
        span_id: '1111aaaa2222bbbb',
        parent_span_id: ROOT_SPAN_ID,
        trace_id: TRACE_ID,
        op: 'db',
        description: 'SELECT id, name FROM users WHERE id = $1',
        start_timestamp: 1718031234.200001,
        timestamp: 1718031234.250002,
        status: 'ok',
        origin: 'auto.db.otel.postgres',
        data: { 'db.system': 'postgresql', 'sentry.op': 'db' },
      },
      {
        span_id: '3333cccc4444dddd',
        parent_span_id: '1111aaaa2222bbbb',
        trace_id: TRACE_ID,
        op: 'http.client',
        description: 'GET http://users.internal/42',
        start_timestamp: 1718031234.3,
        timestamp: 1718031234.5,
        status: 'not_found',
        data: { 'http.response.status_code': 404, 'url.full': 'http://users.internal/42' },
        tags: { retry: 1 },
      },
      { span_id: '5555eeee6666ffff', trace_id: TRACE_ID, op: 'function', start_timestamp: 1718031234.31, timestamp: 1718031234.32 },
      // Unusable children: a bad id, a missing end, and one from another trace.
      { span_id: 'xyz', trace_id: TRACE_ID, op: 'db', start_timestamp: 1718031234.3, timestamp: 1718031234.4 },
      { span_id: '7777aaaa8888bbbb', trace_id: TRACE_ID, op: 'db', start_timestamp: 1718031234.3 },
      { span_id: '9999aaaa0000bbbb', trace_id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', op: 'db', start_timestamp: 1, timestamp: 2 },
      'not a span',
    ],
    measurements: {},
  };
}

const encoder = new TextEncoder();

export interface TestItem {
  headers: Record<string, unknown>;
  payload: string | Uint8Array;
  /** Adds `length` with the payload's byte count (or this number when given). */
  length?: boolean | number;
}

/** Serializes an envelope the way the SDKs do: header, then each item header and payload, joined by newlines. */
export function buildEnvelope(header: Record<string, unknown>, items: TestItem[]): Uint8Array {
  const parts: Uint8Array[] = [encoder.encode(JSON.stringify(header))];
  for (const item of items) {
    const payload = typeof item.payload === 'string' ? encoder.encode(item.payload) : item.payload;
    const headers = { ...item.headers };
    if (item.length !== undefined && item.length !== false) headers.length = item.length === true ? payload.length : item.length;
    parts.push(encoder.encode(JSON.stringify(headers)), payload);
  }
  const total = parts.reduce((n, p) => n + p.length, 0) + parts.length - 1;
  const out = new Uint8Array(total);
  let pos = 0;
  parts.forEach((part, i) => {
    if (i > 0) out[pos++] = 0x0a;
    out.set(part, pos);
    pos += part.length;
  });
  return out;
}
