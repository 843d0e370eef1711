import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline({ FAULTLINE_MAX_HTTP_BODY_BYTES: String(1024 * 1024) });
});
afterAll(async () => fl.stop());

async function post(body: Buffer | Uint8Array | string, headers: Record<string, string>, path = '/v1/traces') {
  const res = await fetch(`${fl.otlpHttp}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : Buffer.from(body) });
  return { status: res.status, type: res.headers.get('content-type'), retryAfter: res.headers.get('retry-after'), text: await res.text() };
}

const auth = () => ({ authorization: `Bearer ${fl.key}` });

describe('OTLP/HTTP bad input', () => {
  test('malformed protobuf → 400 with a message, protobuf Status body', async () => {
    const r = await post(new Uint8Array([0x0a, 0xff, 0xff, 0xff]), { ...auth(), 'content-type': 'application/x-protobuf' });
    expect(r.status).toBe(400);
    expect(r.type).toBe('application/x-protobuf');
    expect(r.text).toMatch(/protobuf/i);
  });

  test('malformed JSON → 400 JSON Status naming the problem', async () => {
    const r = await post('{"resourceSpans": [', { ...auth(), 'content-type': 'application/json' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ code: 3, message: expect.stringMatching(/JSON/) });
    const wrongType = await post('{"resourceSpans": 5}', { ...auth(), 'content-type': 'application/json' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.text).toContain('resourceSpans');
  });

  test('missing or wrong key → 401', async () => {
    expect((await post('{}', { 'content-type': 'application/json' })).status).toBe(401);
    expect((await post('{}', { 'content-type': 'application/json', authorization: 'Bearer nope' })).status).toBe(401);
    // counted, so a revoked or misconfigured exporter shows on a dashboard
    const metrics = await (await fetch(`${fl.otlpHttp}/metrics`)).text();
    expect(Number(/faultline_ingest_requests_total\{[^}]*outcome="unauthenticated"[^}]*\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect((await post('{}', { 'content-type': 'application/json', 'x-faultline-key': fl.key })).status).toBe(200);
  });

  test('empty request is a success; unsupported media type → 415', async () => {
    const empty = await post('{}', { ...auth(), 'content-type': 'application/json' });
    expect(empty.status).toBe(200);
    expect(JSON.parse(empty.text)).toEqual({});
    expect((await post('x', { ...auth(), 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('{}', { ...auth(), 'content-type': 'application/json', 'content-encoding': 'br' })).status).toBe(415);
  });

  test('gzip bomb and oversized bodies → 413 without inflating them', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const r = await post(bomb, { ...auth(), 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(r.status).toBe(413);
    expect((await post(Buffer.alloc(2 * 1024 * 1024), { ...auth(), 'content-type': 'application/x-protobuf' })).status).toBe(413);
    const metrics = await (await fetch(`${fl.otlpHttp}/metrics`)).text();
    expect(Number(/faultline_ingest_requests_total\{signal="traces",transport="http",project="1",outcome="too_large"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
  });

  test('invalid spans are rejected one by one with partial_success, the rest stored', async () => {
    const good = { traceId: 'AB'.repeat(16), spanId: '01'.repeat(8), name: 'ok', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000100000000' };
    const bad = { ...good, spanId: '00'.repeat(8), name: 'zero id' };
    const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [good, bad] }] }] });
    const r = await post(body, { ...auth(), 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    const parsed = JSON.parse(r.text) as { partialSuccess?: { rejectedSpans?: string; errorMessage?: string } };
    expect(Number(parsed.partialSuccess?.rejectedSpans)).toBe(1);
    expect(parsed.partialSuccess?.errorMessage).toMatch(/span_id|spanId|span id/i);
  });

  test('attributes past the per-item limit (of spans and of resources) are dropped and counted in /metrics', async () => {
    const attrs = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${String(i)}`, value: { stringValue: 'v' } }));
    const traceId = randomBytes(16).toString('hex');
    const span = { traceId, spanId: randomBytes(8).toString('hex'), name: 'wide', startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n), endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n + 1000n), attributes: attrs(301, 's') };
    const resource = { attributes: [...attrs(300, 'r'), { key: 'service.name', value: { stringValue: 'wide-svc' } }] };
    const body = JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ spans: [span] }] }] });
    expect((await post(body, { ...auth(), 'content-type': 'application/json' })).status).toBe(200);
    const stored = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
      return res.status === 200 ? (res.body as { spans: Array<{ attributes: object; resource: object; serviceName: string }> }).spans[0] : null;
    });
    expect(Object.keys(stored?.attributes ?? {})).toHaveLength(256);
    expect(Object.keys(stored?.resource ?? {})).toHaveLength(257);
    expect(stored?.serviceName).toBe('wide-svc');
    const metrics = await (await fetch(`${fl.otlpHttp}/metrics`)).text();
    const dropped = /faultline_ingest_dropped_attributes_total\{[^}]*signal="traces"[^}]*\} (\d+)/.exec(metrics);
    expect(Number(dropped?.[1])).toBe(45 + 44);
  });

  test('CORS preflight is answered for browser ingest', async () => {
    const res = await fetch(`${fl.otlpHttp}/v1/traces`, { method: 'OPTIONS', headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  test('health, readiness and metrics on 4318', async () => {
    expect((await fetch(`${fl.otlpHttp}/healthz`)).status).toBe(200);
    expect((await fetch(`${fl.otlpHttp}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${fl.otlpHttp}/metrics`)).text();
    expect(metrics).toContain('faultline_ingest_items_rejected_total');
  });

  test("CORS is open for ingest only: another site's page cannot read /metrics, /readyz or /healthz of 4318", async () => {
    for (const path of ['/metrics', '/readyz', '/healthz']) {
      const res = await fetch(`${fl.otlpHttp}${path}`, { headers: { origin: 'https://evil.example' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    const ingest = await fetch(`${fl.otlpHttp}/v1/traces`, { method: 'POST', headers: { origin: 'http://app.example', 'content-type': 'application/json' }, body: '{}' });
    expect(ingest.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('OTLP/gRPC bad input', () => {
  const call = (body: Buffer, metadata: grpc.Metadata) =>
    new Promise<grpc.ServiceError | null>((resolve) => {
      const client = new grpc.Client(fl.otlpGrpc, grpc.credentials.createInsecure());
      client.makeUnaryRequest(
        '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        metadata,
        (err) => {
          client.close();
          resolve(err);
        },
      );
    });

  test('no key → UNAUTHENTICATED; malformed → INVALID_ARGUMENT; empty → OK', async () => {
    expect((await call(Buffer.alloc(0), new grpc.Metadata()))?.code).toBe(grpc.status.UNAUTHENTICATED);
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${fl.key}`);
    const bad = await call(Buffer.from([0x0a, 0x05, 0x01]), md);
    expect(bad?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad?.details).toMatch(/protobuf/i);
    expect(await call(Buffer.alloc(0), md)).toBeNull();
  });
});

describe('keys, scrubbing and rate limits per project', () => {
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${fl.api}/api/v1${path}`, { method, headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const span = (name: string, attrs: Record<string, string>) =>
    JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: randomBytes(16).toString('hex'),
                  spanId: randomBytes(8).toString('hex'),
                  name,
                  startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n + 1000n),
                  attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } })),
                },
              ],
            },
          ],
        },
      ],
    });

  test('a revoked key is refused within seconds', async () => {
    const created = (await (await admin('POST', '/projects/default/keys')).json()) as { id: string; key: string };
    expect((await post(span('k', {}), { 'content-type': 'application/json', authorization: `Bearer ${created.key}` })).status).toBe(200);
    expect((await admin('DELETE', `/projects/default/keys/${created.id}`)).status).toBe(204);
    const refusedAt = Date.now();
    await eventually(async () => ((await post(span('k', {}), { 'content-type': 'application/json', authorization: `Bearer ${created.key}` })).status === 401 ? true : null), 5000);
    expect(Date.now() - refusedAt).toBeLessThan(5000);
  });

  test('PII is scrubbed by default; a project can add keys; rate limit per project answers 429 with Retry-After', async () => {
    const res = await post(span('pii', { 'db.password': 'hunter2', note: 'card 4111 1111 1111 1111', url: 'https://bob:s3cret@example.com/x', 'my.custom': 'keep-me' }), { ...auth(), 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    const found = await eventually(async () => {
      const r = await fl.get('/api/v1/projects/default/traces?operation=pii');
      return (r.body as { traces: Array<{ traceId: string }> }).traces[0];
    });
    const trace = (await fl.get(`/api/v1/projects/default/traces/${found.traceId}`)).body as { spans: Array<{ attributes: Record<string, string> }> };
    expect(trace.spans[0]?.attributes).toEqual({ 'db.password': '[Filtered]', note: 'card [Filtered]', url: 'https://[Filtered]@example.com/x', 'my.custom': 'keep-me' });

    expect((await admin('PATCH', '/projects/default', { settings: { scrubExtraKeys: ['custom'], rateLimitPerSecond: 1 } })).status).toBe(200);
    expect((await admin('PATCH', '/projects/default', { settings: { nope: 1 } })).status).toBe(400);
    // a setting given at the top level is named, with where it belongs and what the level accepts
    const misplaced = await admin('PATCH', '/projects/default', { rateLimitPerSecond: 10 });
    expect(misplaced.status).toBe(400);
    expect(((await misplaced.json()) as { error: { message: string } }).error.message).toBe(
      'body field: unknown field "rateLimitPerSecond" (it belongs in "settings.rateLimitPerSecond"); accepted: name, settings',
    );
    // Settings reach the collector on its next reload: send bursts until the limit shows (sent together, so the
    // 2 s burst at 1 span/s is exceeded however slow the machine is).
    const answers = await eventually(async () => {
      const burst = await Promise.all(Array.from({ length: 20 }, () => post(span('limited', {}), { ...auth(), 'content-type': 'application/json' })));
      return burst.some((r) => r.status === 429) ? burst : null;
    }, 15_000);
    expect(answers.map((r) => r.status)).toContain(200);
    expect(Number(answers.find((r) => r.status === 429)?.retryAfter)).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await post(span('after-limit', { 'my.custom': 'secret-ish' }), { ...auth(), 'content-type': 'application/json' })).status).toBe(200);
    const limited = await eventually(async () => ((await fl.get('/api/v1/projects/default/traces?operation=after-limit')).body as { traces: Array<{ traceId: string }> }).traces[0]);
    const t = (await fl.get(`/api/v1/projects/default/traces/${limited.traceId}`)).body as { spans: Array<{ attributes: Record<string, string> }> };
    expect(t.spans[0]?.attributes['my.custom']).toBe('[Filtered]');
    expect((await admin('PATCH', '/projects/default', { settings: {} })).status).toBe(200);
  });
});
