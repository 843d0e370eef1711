import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

let fl: Faultline;
const now = Date.now();

function span(traceId: string, spanId: string, parent: string, name: string, kind: number, startMs: number, durMs: number, error = false, attrs: Array<{ key: string; value: { stringValue: string } }> = []) {
  const start = BigInt(startMs) * 1_000_000n;
  return { traceId, spanId, parentSpanId: parent, name, kind, startTimeUnixNano: String(start), endTimeUnixNano: String(start + BigInt(durMs) * 1_000_000n), status: error ? { code: 2 } : {}, attributes: attrs };
}

function resource(service: string, release: string) {
  return { attributes: [{ key: 'service.name', value: { stringValue: service } }, { key: 'service.version', value: { stringValue: release } }] };
}

async function post(body: unknown): Promise<void> {
  const res = await fetch(`${fl.otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${fl.key}` }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

/**
 * 20 requests web → api → postgres; every 4th fails (on both sides of the call, as HTTP instrumentations mark a
 * 5xx); the web side and the api side are exported separately.
 */
async function seed(release: string, offsetMs: number): Promise<void> {
  const web = [];
  const api = [];
  for (let i = 0; i < 20; i++) {
    const t = randomBytes(16).toString('hex');
    const [a, b, c] = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
    const start = now - offsetMs - i * 1000;
    web.push(span(t, a, '', 'GET /cart', 3, start, 120 + i, i % 4 === 0));
    api.push(span(t, b, a, 'GET /cart', 2, start + 5, 100 + i, i % 4 === 0), span(t, c, b, 'SELECT cart', 3, start + 10, 40, false, [{ key: 'db.system', value: { stringValue: 'postgresql' } }]));
  }
  await post({ resourceSpans: [{ resource: resource('api', release), scopeSpans: [{ spans: api }] }] });
  await post({ resourceSpans: [{ resource: resource('web', release), scopeSpans: [{ spans: web }] }] });
}

beforeAll(async () => {
  fl = await startFaultline();
  await seed('1.9.0', 30 * 60_000);
  await seed('1.10.0', 60_000);
  await eventually(async () => {
    const res = await fl.get('/api/v1/projects/default/service-map');
    // Both seeds' edges (written in the background, once a second): 2 × 20 calls on each of the two edges.
    const edges = (res.body as { edges?: Array<{ callCount: number }> }).edges ?? [];
    return edges.length === 2 && edges.every((e) => e.callCount >= 40) ? true : null;
  });
});
afterAll(async () => fl.stop());

describe('performance API', () => {
  test('services: RED from the aggregates over the range', async () => {
    const res = await fl.get('/api/v1/projects/default/services?start=' + (now - 3_600_000));
    const api = (res.body as { services: Array<{ name: string; calls: number; errorRate: number; p50DurationNano: number; p99DurationNano: number; apdex: number }> }).services.find((s) => s.name === 'api');
    expect(api?.calls).toBe(40);
    expect(api?.errorRate).toBeCloseTo(10 / 40);
    expect(api?.p50DurationNano).toBeGreaterThan(100e6);
    expect(api?.p99DurationNano).toBeLessThan(130e6);
    // Every call within T = 500 ms, but a quarter failed: failed calls are frustrated.
    expect(api?.apdex).toBeCloseTo(0.75, 10);
    const lastFiveMinutes = await fl.get(`/api/v1/projects/default/services?start=${now - 5 * 60_000}&end=${now}`);
    expect((lastFiveMinutes.body as { services: Array<{ name: string; calls: number }> }).services.find((s) => s.name === 'api')?.calls).toBe(20);
    const strict = await fl.get(`/api/v1/projects/default/services?start=${now - 3_600_000}&apdexMs=50`);
    // 100–119 ms: tolerating at T = 50 ms (≤ 4T), so 0.5, times the 75 % that succeeded.
    expect((strict.body as { services: Array<{ name: string; apdex: number }> }).services.find((s) => s.name === 'api')?.apdex).toBeCloseTo(0.375, 10);
    // A range without calls still lists the services seen over the retention, with zeros.
    const quiet = await fl.get(`/api/v1/projects/default/services?start=${now - 3 * 86_400_000}&end=${now - 2 * 86_400_000}`);
    expect((quiet.body as { services: Array<{ name: string; calls: number; apdex: number | null }> }).services.find((s) => s.name === 'api')).toMatchObject({ calls: 0, apdex: null });
  });

  test('operations and a time series with a step', async () => {
    const ops = await fl.get(`/api/v1/projects/default/services/api/operations?start=${now - 3_600_000}`);
    expect((ops.body as { operations: Array<{ name: string; kind: string; calls: number }> }).operations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'GET /cart', kind: 'SERVER', calls: 40, errors: 10, apdex: 0.75 }),
        expect.objectContaining({ name: 'SELECT cart', kind: 'CLIENT', calls: 40, errors: 0, apdex: 1 }),
      ]),
    );
    const series = await fl.get(`/api/v1/projects/default/services/api/metrics?start=${now - 3_600_000}&end=${now}&step=600`);
    const body = series.body as { step: number; series: Array<{ time: string; calls: number; errors: number; apdex: number | null }> };
    expect(body.step).toBe(600);
    expect(body.series.length).toBeGreaterThanOrEqual(6);
    expect(body.series.reduce((n, b) => n + b.calls, 0)).toBe(40);
    // Each bucket's Apdex: all its calls satisfied, less the failed ones; none without calls.
    for (const b of body.series) expect(b.apdex).toBe(b.calls === 0 ? null : 1 - b.errors / b.calls);
    expect(body.series.some((b) => b.errors > 0 && b.apdex !== null && b.apdex < 1)).toBe(true);
    // the same step written as a duration, as Grafana and Prometheus users write it
    const tenMinutes = await fl.get(`/api/v1/projects/default/services/api/metrics?start=${now - 3_600_000}&end=${now}&step=10m`);
    expect(tenMinutes.body).toEqual(series.body);
    expect((await fl.get('/api/v1/projects/default/services/api/metrics?step=7')).status).toBe(400);
    expect((await fl.get('/api/v1/projects/default/services/api/metrics?step=10min')).body).toEqual({
      error: { code: 'invalid_request', message: 'query parameter "step": must be seconds, or a duration such as 30s, 5m, 1h or 1d' },
    });
    // Without a step: about 60 buckets, in whole hours past an hour (a week: 3 h, read from the hourly rollups).
    const stepOf = async (rangeMs: number) =>
      ((await fl.get(`/api/v1/projects/default/services/api/metrics?start=${now - rangeMs}&end=${now}`)).body as { step: number }).step;
    expect(await stepOf(3_600_000)).toBe(60);
    expect(await stepOf(86_400_000)).toBe(1440);
    expect(await stepOf(7 * 86_400_000)).toBe(3 * 3600);
    const week = (await fl.get(`/api/v1/projects/default/services/api/metrics?start=${now - 7 * 86_400_000}&end=${now}`)).body as { series: Array<{ calls: number }> };
    expect(week.series.reduce((n, b) => n + b.calls, 0)).toBe(40);
    const tooWide = await fl.get('/api/v1/projects/default/services/api/metrics?step=86400000');
    expect(tooWide.status).toBe(400);
    expect((tooWide.body as { error: { message: string } }).error.message).toBe('query parameter "step": 86400000 s is longer than the range; use at most 3600');
  });

  test('services, operations and metrics read the same default range (the last hour), so their rates agree', async () => {
    // 'batch' ran two hours ago only: inside a 24-hour window, outside the default one.
    const t = randomBytes(16).toString('hex');
    const jobs = [0, 1, 2].map((i) => span(t, randomBytes(8).toString('hex'), '', 'nightly', 2, now - 2 * 3_600_000 + i * 1000, 30));
    await post({
      resourceSpans: [
        { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'batch' } }] }, scopeSpans: [{ spans: jobs }] },
      ],
    });
    await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/services/batch/operations?start=${now - 3 * 3_600_000}`);
      return (res.body as { operations: unknown[] }).operations.length === 1 ? true : null;
    });
    type Red = { name: string; kind: string; calls: number; requestRate: number };
    const services = (await fl.get('/api/v1/projects/default/services')).body as { services: Red[] };
    // (Listed with zeros once the 30-second list of known services refreshes; never with calls.)
    expect(services.services.find((s) => s.name === 'batch')?.calls ?? 0).toBe(0);
    expect((await fl.get('/api/v1/projects/default/services/batch/operations')).body).toEqual({ operations: [] });
    const batchSeries = (await fl.get('/api/v1/projects/default/services/batch/metrics')).body as { series: Array<{ calls: number }> };
    expect(batchSeries.series.reduce((n, b) => n + b.calls, 0)).toBe(0);
    // The same calls give the same rate on both endpoints: the service's is that of its entry operations.
    const api = services.services.find((s) => s.name === 'api');
    const operations = ((await fl.get('/api/v1/projects/default/services/api/operations')).body as { operations: Red[] }).operations;
    const entry = operations.filter((o) => o.kind === 'SERVER' || o.kind === 'CONSUMER');
    expect(entry.reduce((n, o) => n + o.calls, 0)).toBe(api?.calls);
    expect(entry.reduce((n, o) => n + o.requestRate, 0)).toBeCloseTo(api?.requestRate ?? -1, 6);
  });

  test('service map built at ingest time, whichever side exports first', async () => {
    const res = await fl.get(`/api/v1/projects/default/service-map?start=${now - 3_600_000}`);
    const body = res.body as { nodes: Array<{ id: string; kind: string }>; edges: Array<{ source: string; target: string; callCount: number; errorCount: number; p95DurationNano: number }> };
    expect(body.edges).toEqual([
      expect.objectContaining({ source: 'api', target: 'postgresql', callCount: 40, errorCount: 0 }),
      expect.objectContaining({ source: 'web', target: 'api', callCount: 40, errorCount: 10 }),
    ]);
    // The caller's view of the call: web's client spans (120–139 ms), not api's server spans (100–119 ms).
    expect(body.edges[1]?.p95DurationNano).toBeGreaterThan(125e6);
    expect(body.nodes.find((n) => n.id === 'postgresql')?.kind).toBe('peer');
  });

  test('releases in semver order with stats against the previous one', async () => {
    const res = await fl.get('/api/v1/projects/default/releases');
    const releases = (res.body as { releases: Array<{ version: string; spanCalls: number; errorRate: number; previousVersion: string | null; topOperations: unknown[] }> }).releases;
    expect(releases.map((r) => r.version)).toEqual(['1.10.0', '1.9.0']);
    expect(releases[0]?.previousVersion).toBe('1.9.0');
    expect(releases[0]?.spanCalls).toBe(60);
    const one = await fl.get('/api/v1/projects/default/releases/1.10.0');
    expect(one.body).toMatchObject({ version: '1.10.0', previousVersion: '1.9.0', previous: { version: '1.9.0' }, deltas: { errorRate: 0 } });
    // p95 of the entry spans only: api's SERVER spans take 100–119 ms (web's CLIENT spans up to 139, the query 40).
    const body = one.body as { p95DurationNano: number; previous: { p95DurationNano: number }; deltas: { p95DurationNano: number }; topOperations: Array<{ service: string; name: string; p95DurationNano: number; previousP95DurationNano: number | null }> };
    expect(body.p95DurationNano).toBeGreaterThan(110e6);
    expect(body.p95DurationNano).toBeLessThan(120e6);
    expect(body.deltas.p95DurationNano).toBe(body.p95DurationNano - body.previous.p95DurationNano);
    const top = body.topOperations.find((o) => o.service === 'api' && o.name === 'GET /cart');
    expect(top?.previousP95DurationNano).toBeGreaterThan(110e6);
    expect(top?.previousP95DurationNano).toBe(body.previous.p95DurationNano);
    expect((await fl.get('/api/v1/projects/default/releases/9.9.9')).status).toBe(404);
  });

  test('service map: a client span naming its peer (peer.service, server.address) and the peer’s server span are one call', async () => {
    // gateway → orders → redis, 37 requests, every 5th fails; half the traces' orders spans arrive before the gateway's.
    const gateway = [];
    const orders = [];
    for (let i = 0; i < 37; i++) {
      const t = randomBytes(16).toString('hex');
      const [a, b, c] = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
      const start = now - 10 * 60_000 - i * 1000;
      const peer = [
        { key: 'peer.service', value: { stringValue: 'orders' } },
        { key: 'server.address', value: { stringValue: 'orders.internal' } },
      ];
      gateway.push(span(t, a, '', 'POST /orders', 3, start, 110, i % 5 === 0, peer));
      orders.push([
        span(t, b, a, 'POST /orders', 2, start + 4, 100, i % 5 === 0),
        span(t, c, b, 'GET', 3, start + 10, 2, false, [
          { key: 'db.system', value: { stringValue: 'redis' } },
          { key: 'server.address', value: { stringValue: 'cache.internal' } },
        ]),
      ]);
    }
    const send = (service: string, spans: unknown[]) => post({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ spans }] }] });
    await send('orders', orders.slice(0, 18).flat());
    await send('gateway', gateway);
    await send('orders', orders.slice(18).flat());
    type Edge = { source: string; target: string; targetKind: string; callCount: number; errorCount: number; p95DurationNano: number };
    const read = async () => (await fl.get(`/api/v1/projects/default/service-map?start=${now - 3_600_000}`)).body as { nodes: Array<{ id: string; kind: string }>; edges: Edge[] };
    await eventually(async () => {
      const calls = (await read()).edges.filter((e) => e.source === 'gateway' || e.source === 'orders').reduce((n, e) => n + e.callCount, 0);
      return calls >= 2 * 37 ? true : null;
    });
    const body = await read();
    expect(body.edges.filter((e) => e.source === 'gateway' || e.source === 'orders')).toEqual([
      expect.objectContaining({ source: 'gateway', target: 'orders', targetKind: 'service', callCount: 37, errorCount: 8 }),
      expect.objectContaining({ source: 'orders', target: 'redis', targetKind: 'peer', callCount: 37, errorCount: 0 }),
    ]);
    // The gateway's client spans (110 ms), not the orders service's server spans (100 ms).
    expect(body.edges.find((e) => e.target === 'orders')?.p95DurationNano).toBe(110e6);
    expect(body.nodes.filter((n) => ['orders', 'redis', 'orders.internal', 'cache.internal'].includes(n.id)).map((n) => [n.id, n.kind])).toEqual([
      ['orders', 'service'],
      ['redis', 'peer'],
    ]);
    // No pair twice, anywhere on the map.
    expect(new Set(body.edges.map((e) => `${e.source}→${e.target}`)).size).toBe(body.edges.length);
  });

  test('service map: a caller keeps its 25 busiest peers by default; the rest are one edge (maxPeers shows more)', async () => {
    // 30 tenants' hosts called by one service: i + 1 calls to tenant i.
    const spans = [];
    for (let i = 0; i < 30; i++) {
      for (let c = 0; c <= i; c++) {
        spans.push(span(randomBytes(16).toString('hex'), randomBytes(8).toString('hex'), '', 'GET', 3, now - 120_000 - c, 5, c === 0, [{ key: 'server.address', value: { stringValue: `t${i}.tenants.example.com` } }]));
      }
    }
    await post({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fanout' } }] }, scopeSpans: [{ spans }] }] });
    type Edge = { source: string; target: string; targetKind: string; callCount: number; errorCount: number };
    const edges = async (qs = '') => ((await fl.get(`/api/v1/projects/default/service-map?start=${now - 3_600_000}${qs}`)).body as { edges: Edge[] }).edges.filter((e) => e.source === 'fanout');
    await eventually(async () => ((await edges('&maxPeers=100')).reduce((n, e) => n + e.callCount, 0) === 465 ? true : null));
    const capped = await edges();
    expect(capped).toHaveLength(26);
    expect(capped.find((e) => e.target === '5 other peers of fanout')).toMatchObject({ targetKind: 'peer', callCount: 1 + 2 + 3 + 4 + 5, errorCount: 5 });
    expect(capped.some((e) => e.target === 't29.tenants.example.com') && !capped.some((e) => e.target === 't0.tenants.example.com')).toBe(true);
    expect(await edges('&maxPeers=100')).toHaveLength(30);
    expect((await fl.get('/api/v1/projects/default/service-map?maxPeers=0')).status).toBe(400);
  });
});
