import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { postOtlpJson } from '../otlp-client.ts';

let fl: Faultline;

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

beforeAll(async () => {
  fl = await startFaultline();
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = ['GET', 'GET', 'POST'].map((method, i) => ({
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    name: `${method} /orders`,
    kind: 2,
    startTimeUnixNano: String(now - BigInt(i) * 1_000_000n),
    endTimeUnixNano: String(now - BigInt(i) * 1_000_000n + 5_000_000n),
    attributes: [str('http.request.method', method), ...(i === 0 ? [str('tenant.id', 'acme')] : [])],
  }));
  const resource = { attributes: [str('service.name', 'orders'), str('deployment.environment.name', 'prod')] };
  await postOtlpJson(fl, '/v1/traces', { resourceSpans: [{ resource, scopeSpans: [{ spans }] }] });
  await eventually(async () => {
    const res = await fl.get('/api/v1/projects/default/traces?service=orders');
    return (res.body as { traces?: unknown[] }).traces?.length === 3 ? true : null;
  });
});
afterAll(async () => fl?.stop());

describe('attribute suggestions API', () => {
  test('keys and values of the range’s spans, most common first; the search filters apply', async () => {
    const keys = await fl.get('/api/v1/projects/default/span-attributes');
    expect(keys.status).toBe(200);
    expect((keys.body as { keys: unknown[] }).keys).toEqual([
      { key: 'deployment.environment.name', spans: 3, resource: true },
      { key: 'http.request.method', spans: 3, resource: false },
      { key: 'service.name', spans: 3, resource: true },
      { key: 'tenant.id', spans: 1, resource: false },
    ]);
    const values = await fl.get('/api/v1/projects/default/span-attributes/values?key=http.request.method');
    expect(values.body).toEqual({ key: 'http.request.method', values: [{ value: 'GET', spans: 2 }, { value: 'POST', spans: 1 }] });
    const filtered = await fl.get('/api/v1/projects/default/span-attributes/values?key=http.request.method&attr.tenant.id=acme');
    expect((filtered.body as { values: unknown[] }).values).toEqual([{ value: 'GET', spans: 1 }]);
    const resource = await fl.get(`/api/v1/projects/default/span-attributes/values?key=${encodeURIComponent('deployment.environment.name')}`);
    expect((resource.body as { values: unknown[] }).values).toEqual([{ value: 'prod', spans: 3 }]);
  });

  test('bad input: 400 naming the parameter; no token: 401', async () => {
    const missing = await fl.get('/api/v1/projects/default/span-attributes/values');
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('key');
    expect((await fl.get('/api/v1/projects/default/span-attributes?limit=0')).status).toBe(400);
    expect((await fl.get('/api/v1/projects/default/span-attributes?start=yesterday')).status).toBe(400);
    expect((await fetch(`${fl.api}/api/v1/projects/default/span-attributes`)).status).toBe(401);
  });
});
