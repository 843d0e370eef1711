import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

/**
 * Service map peers named only by the host a CLIENT span called (server.address; older net.peer.name, http.host,
 * url.full/http.url), sent as OTLP/JSON the way each service's exporter would: a host with spans of its own behind
 * it is the callee service, counted once, whichever request brings the callee's span.
 */
let fl: Faultline;
const now = Date.now();
type Attr = { key: string; value: { stringValue: string } | { intValue: number } };
const str = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const hex = (n: number) => randomBytes(n).toString('hex');

function span(traceId: string, spanId: string, parent: string, kind: number, startMs: number, durMs: number, error: boolean, attributes: Attr[] = []) {
  const start = BigInt(startMs) * 1_000_000n;
  return { traceId, spanId, parentSpanId: parent, name: kind === 3 ? 'POST' : 'POST /charge', kind, startTimeUnixNano: String(start), endTimeUnixNano: String(start + BigInt(durMs) * 1_000_000n), status: error ? { code: 2 } : {}, attributes };
}

async function send(service: string, spans: unknown[]): Promise<void> {
  const body = { resourceSpans: [{ resource: { attributes: [str('service.name', service)] }, scopeSpans: [{ spans }] }] };
  const res = await fetch(`${fl.otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${fl.key}` }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

type Edge = { source: string; target: string; targetKind: string; callCount: number; errorCount: number; p50DurationNano: number; p95DurationNano: number };
type Map = { nodes: Array<{ id: string; kind: string }>; edges: Edge[] };
const readMap = async () => (await fl.get(`/api/v1/projects/default/service-map?start=${now - 3_600_000}`)).body as Map;

beforeAll(async () => {
  fl = await startFaultline();
  const external = [];
  const toOrders = [];
  const ordersSpans = [];
  const toLedger = [];
  for (let i = 0; i < 24; i++) {
    const start = now - 10 * 60_000 - i * 1000;
    // checkout → api.stripe.com, nothing instrumented behind it: the current attribute, or only the older URL.
    const host = i % 2 ? [str('server.address', 'api.stripe.com'), { key: 'server.port', value: { intValue: 443 } }] : [str('http.url', 'https://api.stripe.com/v1/charges')];
    external.push(span(hex(16), hex(8), '', 3, start, 200 + i, i % 6 === 0, host));
    // checkout → orders, an instrumented service reached by its host name; its server span is exported apart
    const [t, client] = [hex(16), hex(8)];
    toOrders.push(span(t, client, '', 3, start, 120, i % 4 === 0, [str('server.address', 'orders.internal'), str('url.full', 'http://orders.internal:8080/orders')]));
    ordersSpans.push(span(t, hex(8), client, 2, start + 5, 100, i % 4 === 0));
    // checkout → ledger: peer.service names the peer, the host is not a node of its own
    toLedger.push(span(hex(16), hex(8), '', 3, start, 30, false, [str('peer.service', 'ledger'), str('server.address', 'ledger.internal')]));
  }
  // Half of orders' spans come before the client spans, half in a later request (another exporter's batch).
  await send('orders', ordersSpans.slice(0, 12));
  await send('checkout', [...external, ...toOrders, ...toLedger]);
  await send('orders', ordersSpans.slice(12));
  await eventually(async () => {
    const edges = (await readMap()).edges;
    return edges.find((e) => e.target === 'orders')?.callCount === 24 && edges.some((e) => e.target === 'api.stripe.com') ? true : null;
  });
});
afterAll(async () => fl.stop());

test('an external API named by its host is a peer node with calls, errors and the caller’s latency', async () => {
  const map = await readMap();
  expect(map.edges.find((e) => e.target === 'api.stripe.com')).toMatchObject({ source: 'checkout', targetKind: 'peer', callCount: 24, errorCount: 4 });
  const p95 = map.edges.find((e) => e.target === 'api.stripe.com')?.p95DurationNano ?? 0;
  expect(p95).toBeGreaterThan(215e6);
  expect(p95).toBeLessThan(224e6);
  expect(map.nodes.find((n) => n.id === 'api.stripe.com')?.kind).toBe('peer');
});

test('an instrumented callee reached by its host is one edge to the service, whichever request brought its span', async () => {
  const map = await readMap();
  expect(map.edges.filter((e) => e.source === 'checkout' && e.target.startsWith('orders'))).toEqual([
    expect.objectContaining({ target: 'orders', targetKind: 'service', callCount: 24, errorCount: 6, p95DurationNano: 120e6 }),
  ]);
  expect(map.nodes.some((n) => n.id === 'orders.internal')).toBe(false);
});

test('peer.service wins over the host', async () => {
  const map = await readMap();
  expect(map.edges.filter((e) => e.target.startsWith('ledger'))).toEqual([expect.objectContaining({ source: 'checkout', target: 'ledger', targetKind: 'peer', callCount: 24 })]);
  // Every call of checkout once: 24 to each of its three peers.
  expect(map.edges.filter((e) => e.source === 'checkout').reduce((n, e) => n + e.callCount, 0)).toBe(72);
});
