import { request } from 'node:http';
import { createServer, type Server } from 'node:http';
import { context } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { core } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addBreadcrumb, captureException, flush, init, setUser, shutdown } from '../src/node/index.ts';
import { startReceiver, type Receiver } from './receiver.ts';

let receiver: Receiver;
let app: Server;
let appUrl: string;
const seenHeaders: Array<Record<string, unknown>> = [];

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/**
 * For tests that play an upstream service sending these exact headers: this process's own fetch instrumentation
 * would replace them with its client span's, so tracing is suppressed around the call.
 */
function fetchAsWritten(url: string, headers: Record<string, string>): Promise<Response> {
  return context.with(core.suppressTracing(context.active()), () => fetch(url, { headers }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A handler that records breadcrumbs across awaits, interleaved with a concurrent request's. */
async function scoped(name: string): Promise<{ traceId: string; spanId: string }> {
  addBreadcrumb({ category: 'request', message: `${name} started` });
  await sleep(name === 'a' ? 60 : 20);
  console.log(`${name} halfway`);
  await sleep(name === 'a' ? 20 : 100);
  return captureException(new Error(`${name} failed`));
}

beforeAll(async () => {
  receiver = await startReceiver();
  init({
    endpoint: `${receiver.url}/`,
    key: 'k-test',
    serviceName: 'bridge-test',
    release: '3.1.4',
    environment: 'ci',
    captureUncaught: false,
    exportIntervalMs: 50,
  });
  app = createServer((req, res) => {
    seenHeaders.push({ ...req.headers });
    if (req.url === '/fail') {
      const ids = captureException(new Error('handler failed'), { tags: { 'http.route': '/fail' } });
      res.writeHead(500).end(JSON.stringify(ids));
    } else if (req.url === '/call-out') {
      void get(`${appUrl}/teapot`).then(() => res.end(JSON.stringify(captureException(new Error('after call')))));
    } else if (req.url?.startsWith('/scoped/')) {
      void scoped(req.url.slice('/scoped/'.length)).then((ids) => res.end(JSON.stringify(ids)));
    } else {
      res.writeHead(req.url === '/teapot' ? 418 : 200).end('ok');
    }
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appUrl = `http://127.0.0.1:${(app.address() as { port: number }).port}`;
});

afterAll(async () => {
  app?.close();
  await shutdown();
  await receiver?.close();
});

describe('Node bridge', () => {
  test('captureException outside a span: a short `exception` span with breadcrumbs, user and fingerprint', async () => {
    setUser({ id: 'u-1', email: 'ada@example.com', username: 'ada' });
    addBreadcrumb({ category: 'cart', message: 'added item', data: { sku: 'x1' } });
    console.info('paying now');
    const ids = captureException(new TypeError('card rejected'), { fingerprint: ['payments', 'card'], user: { id: 'u-2' } });
    const span = await receiver.waitForSpan((s) => s.spanId === ids.spanId);
    expect(span).toMatchObject({ name: 'exception', traceId: ids.traceId, parentSpanId: '', statusCode: 2, serviceName: 'bridge-test' });
    expect(span.resource).toMatchObject({
      'service.version': '3.1.4',
      'deployment.environment.name': 'ci',
      'telemetry.sdk.language': 'nodejs',
    });
    // The repository's SDK is 2.x; tests/sdk/otel3.test.ts runs the bridge on 3.x.
    expect(String(span.resource['telemetry.sdk.version'])).toMatch(/^2\./);
    const event = span.events.find((e) => e.name === 'exception');
    expect(event?.attributes).toMatchObject({
      'exception.type': 'TypeError',
      'exception.message': 'card rejected',
      'user.id': 'u-2',
      'faultline.fingerprint': ['payments', 'card'],
    });
    expect(String(event?.attributes['exception.stacktrace'])).toContain('TypeError: card rejected\n    at ');
    const crumbs = JSON.parse(String(event?.attributes['faultline.breadcrumbs'])) as Array<Record<string, unknown>>;
    expect(crumbs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ category: 'cart', message: 'added item', data: { sku: 'x1' }, type: 'default', level: 'info' }),
        expect.objectContaining({ category: 'console', message: 'paying now', level: 'info' }),
      ]),
    );
    expect(typeof crumbs[0]?.timestamp).toBe('number');
    const traceRequest = receiver.requests.find((r) => r.spans.some((s) => s.spanId === ids.spanId));
    expect(traceRequest?.path).toBe('/v1/traces');
    expect(traceRequest?.headers.authorization).toBe('Bearer k-test');
    expect(traceRequest?.headers['content-type']).toBe('application/x-protobuf');
  });

  test('inside a request: the event goes on the server span, which continues the incoming traceparent', async () => {
    setUser({ id: 'u-3' });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetchAsWritten(`${appUrl}/fail`, {
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
    });
    const ids = (await res.json()) as { traceId: string; spanId: string };
    expect(ids.traceId).toBe(traceId);
    const span = await receiver.waitForSpan((s) => s.spanId === ids.spanId && s.kind === 2);
    expect(span.parentSpanId).toBe('00f067aa0ba902b7');
    expect(span.traceState).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    expect(span.statusCode).toBe(2);
    expect(span.events.find((e) => e.name === 'exception')?.attributes).toMatchObject({
      'exception.message': 'handler failed',
      'user.id': 'u-3',
      'http.route': '/fail',
    });
  });

  test('an invalid incoming traceparent starts a new trace', async () => {
    const res = await fetchAsWritten(`${appUrl}/fail`, { traceparent: `00-${'A'.repeat(32)}-00f067aa0ba902b7-01` });
    const ids = (await res.json()) as { traceId: string };
    expect(ids.traceId).not.toBe('a'.repeat(32));
    const span = await receiver.waitForSpan((s) => s.traceId === ids.traceId && s.kind === 2);
    expect(span.parentSpanId).toBe('');
  });

  test('outgoing HTTP: traceparent is injected and a breadcrumb records method, URL and status', async () => {
    seenHeaders.length = 0;
    const { spanId } = JSON.parse((await get(`${appUrl}/call-out`)).body) as { spanId: string };
    const inner = seenHeaders.find((h) => h.traceparent !== undefined && String(h.traceparent).length === 55);
    expect(inner).toBeDefined();
    const span = await receiver.waitForSpan((s) => s.spanId === spanId && s.events.length > 0);
    const crumbs = JSON.parse(String(span.events[0]?.attributes['faultline.breadcrumbs'])) as Array<{
      category: string;
      level: string;
      data: Record<string, unknown>;
    }>;
    const http = crumbs.filter((c) => c.category === 'http');
    expect(http.find((c) => String(c.data.url).endsWith('/teapot'))).toMatchObject({
      level: 'warning',
      data: { method: 'GET', url: `${appUrl}/teapot`, status_code: 418 },
    });
    // Exports to the receiver are not traced, so they never show up as breadcrumbs.
    expect(http.some((c) => String(c.data.url).startsWith(receiver.url))).toBe(false);
  });

  test("concurrent requests: each exception has its own request's breadcrumbs plus the process-level ones", async () => {
    addBreadcrumb({ category: 'process', message: 'cache warmed' });
    // The fetches' client spans start at the top level, where a CLIENT span opens no breadcrumb scope: each
    // handler's SERVER span is its request's only scope.
    const [a, b] = await Promise.all(
      ['a', 'b'].map(async (name) => (await fetch(`${appUrl}/scoped/${name}`)).json() as Promise<{ spanId: string }>),
    );
    const trail = async (spanId: string) => {
      const span = await receiver.waitForSpan((s) => s.spanId === spanId && s.events.length > 0);
      const crumbs = JSON.parse(String(span.events[0]?.attributes['faultline.breadcrumbs'])) as Array<{
        category: string;
        message: string;
      }>;
      return crumbs.filter((c) => c.category !== 'http').map((c) => `${c.category}:${c.message}`);
    };
    // Interleaved in time (a started, b started, b halfway, a halfway), yet never mixed.
    expect((await trail(a!.spanId)).slice(-3)).toEqual(['process:cache warmed', 'request:a started', 'console:a halfway']);
    expect((await trail(b!.spanId)).slice(-3)).toEqual(['process:cache warmed', 'request:b started', 'console:b halfway']);
    expect(await trail(a!.spanId)).not.toContain('request:b started');
  });

  test('log records go to /v1/logs with the key', async () => {
    logs
      .getLogger('bridge-test')
      .emit({ body: 'order shipped', severityText: 'INFO', severityNumber: 9, attributes: { 'order.id': 'o-9' } });
    await flush();
    const record = receiver.logs().find((l) => l.body === 'order shipped');
    expect(record?.attributes['order.id']).toBe('o-9');
    expect(receiver.requests.find((r) => r.path === '/v1/logs')?.headers.authorization).toBe('Bearer k-test');
  });

  test('init validates its options and refuses a second call', () => {
    expect(() => init({ endpoint: 'http://x', key: 'k', serviceName: 's' })).toThrow(/already initialised/);
  });
});
