import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { postOtlpJson } from '../otlp-client.ts';

let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl.stop());

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A trace of two services with typed attributes, an exception event and a link, as an SDK would export it. */
function richTrace(traceId: string, root: string, child: string): unknown {
  const t0 = BigInt(Date.now() - 5_000) * 1_000_000n;
  const at = (ms: number) => String(t0 + BigInt(ms) * 1_000_000n);
  const kv = (key: string, value: unknown) => ({ key, value });
  return {
    resourceSpans: [
      {
        resource: { attributes: [kv('service.name', { stringValue: 'web' }), kv('host.cores', { intValue: '8' })] },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' },
            spans: [
              {
                traceId,
                spanId: root,
                name: 'GET /cart',
                kind: 2,
                startTimeUnixNano: at(0),
                endTimeUnixNano: at(40),
                attributes: [
                  kv('http.response.status_code', { intValue: '503' }),
                  kv('ratio', { doubleValue: 0.25 }),
                  kv('cached', { boolValue: false }),
                  kv('tags', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } }),
                  kv('nested', { kvlistValue: { values: [kv('k', { stringValue: 'v' })] } }),
                  kv('raw', { bytesValue: Buffer.from([0, 255]).toString('base64') }),
                ],
                events: [{ timeUnixNano: at(30), name: 'exception', attributes: [kv('exception.type', { stringValue: 'TimeoutError' })] }],
                links: [{ traceId: hex(16), spanId: hex(8), attributes: [kv('link.kind', { stringValue: 'retry-of' })] }],
                status: { code: 2, message: 'upstream timed out' },
              },
            ],
          },
        ],
      },
      {
        resource: { attributes: [kv('service.name', { stringValue: 'cart-db' })] },
        scopeSpans: [
          {
            scope: { name: 'pg' },
            spans: [
              {
                traceId,
                spanId: child,
                parentSpanId: root,
                name: 'SELECT carts',
                kind: 3,
                startTimeUnixNano: at(5),
                endTimeUnixNano: at(25),
              },
            ],
          },
        ],
      },
    ],
  };
}

async function api(path: string, token = fl.token): Promise<Response> {
  return fetch(`${fl.api}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

test('a trace downloaded as OTLP/JSON and sent to another project reads back the same, span for span', async () => {
  const traceId = hex(16);
  await postOtlpJson(fl, '/v1/traces', richTrace(traceId, hex(8), hex(8)));
  const original = await eventually(async () => {
    const res = await api(`/api/v1/projects/default/traces/${traceId}`);
    const body = res.status === 200 ? ((await res.json()) as { spans: unknown[] }) : null;
    return body && body.spans.length === 2 ? body.spans : null;
  });

  const download = await api(`/api/v1/projects/default/traces/${traceId}/otlp`);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toMatch(/^application\/json/);
  expect(download.headers.get('content-disposition')).toBe(`attachment; filename="trace-${traceId}.otlp.json"`);
  const exported = await download.text();

  const created = await fetch(`${fl.api}/api/v1/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ slug: 'replay' }),
  });
  const replay = (await created.json()) as { ingestKey: string };
  const sent = await fetch(`${fl.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${replay.ingestKey}` },
    body: exported,
  });
  expect(sent.status).toBe(200);
  const copy = await eventually(async () => {
    const res = await api(`/api/v1/projects/replay/traces/${traceId}`);
    const body = res.status === 200 ? ((await res.json()) as { spans: unknown[] }) : null;
    return body && body.spans.length === 2 ? body.spans : null;
  });
  expect(copy).toEqual(original);
  expect(copy[0]).toMatchObject({
    serviceName: 'web',
    attributes: { 'http.response.status_code': 503, ratio: 0.25, cached: false, tags: ['a', 2], nested: { k: 'v' } },
    resource: { 'host.cores': 8 },
    events: [{ name: 'exception' }],
    links: [{ attributes: { 'link.kind': 'retry-of' } }],
    statusMessage: 'upstream timed out',
  });
});

test('the download needs a token of the project and a valid, known trace id', async () => {
  expect((await fetch(`${fl.api}/api/v1/projects/default/traces/${hex(16)}/otlp`)).status).toBe(401);
  expect((await api(`/api/v1/projects/default/traces/${hex(16)}/otlp`)).status).toBe(404);
  const bad = await api('/api/v1/projects/default/traces/not-a-trace/otlp');
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/traceId/);
});
