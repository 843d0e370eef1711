import { describe, expect, test } from 'vitest';
import type { Span } from '@faultline/proto';
import { makeSpan } from '../../storage/src/testing/make-span.ts';
import { ServiceGraph, type EdgeCall } from './service-graph.ts';

const T = 'a'.repeat(32);
const MS = 1_000_000n;
const START = 1_700_000_000_000n * MS;

function at(startOffsetMs: number, durationMs: number): Pick<Span, 'startTimeUnixNano' | 'endTimeUnixNano'> {
  const start = START + BigInt(startOffsetMs) * MS;
  return { startTimeUnixNano: start, endTimeUnixNano: start + BigInt(durationMs) * MS };
}

const id = (n: number): string => n.toString(16).padStart(16, '0');
const trace = (n: number): string => n.toString(16).padStart(32, '0');
const summary = (edges: EdgeCall[]) => edges.map((e) => [e.Source, e.Target, e.TargetKind, Number(BigInt(e.Duration) / MS), e.Error]);

describe('service graph', () => {
  test('cross-service parent/child in either order, peers, same-service calls ignored', () => {
    const g = new ServiceGraph();
    const front = makeSpan({ traceId: T, spanId: '1'.repeat(16), serviceName: 'web', kind: 3, statusCode: 2, ...at(0, 30) });
    const back = makeSpan({ traceId: T, spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), serviceName: 'api', statusCode: 2, ...at(2, 25) });
    const internal = makeSpan({ traceId: T, spanId: '3'.repeat(16), parentSpanId: '2'.repeat(16), serviceName: 'api', kind: 1 });
    const db = makeSpan({ traceId: T, spanId: '4'.repeat(16), parentSpanId: '2'.repeat(16), serviceName: 'api', kind: 3, attributes: { 'db.system': 'postgresql' } });
    // the backend exports first: its spans wait for the parent
    expect(g.observe(1, [back, internal, db]).map((e) => [e.Source, e.Target, e.TargetKind])).toEqual([['api', 'postgresql', 'peer']]);
    // the caller's client span is the call: its duration (30 ms, not the server's 25) and status
    expect(summary(g.observe(1, [front]))).toEqual([['web', 'api', 'service', 30, true]]);
    // projects are separate
    expect(g.observe(2, [makeSpan({ traceId: T, spanId: '5'.repeat(16), parentSpanId: '1'.repeat(16), serviceName: 'x' })])).toEqual([]);
  });

  test('a client span naming its peer (peer.service, server.address) with a child in that service is one call, in either order', () => {
    const g = new ServiceGraph();
    const edges: EdgeCall[] = [];
    for (let i = 0; i < 100; i++) {
      const client = makeSpan({
        traceId: trace(i + 1),
        spanId: id(1),
        serviceName: 'api-gateway',
        kind: 3,
        statusCode: i % 4 === 0 ? 2 : 0,
        attributes: { 'peer.service': 'orders', 'server.address': 'orders.internal', 'server.port': 8080 },
        ...at(i, 110),
      });
      const server = makeSpan({ traceId: trace(i + 1), spanId: id(2), parentSpanId: id(1), serviceName: 'orders', kind: 2, statusCode: i % 4 === 0 ? 2 : 0, ...at(i + 3, 100) });
      // half the traces: the callee exports first
      edges.push(...(i % 2 ? [...g.observe(1, [client]), ...g.observe(1, [server])] : [...g.observe(1, [server]), ...g.observe(1, [client])]));
    }
    expect(edges).toHaveLength(100);
    expect(new Set(edges.map((e) => `${e.Source}→${e.Target}`))).toEqual(new Set(['api-gateway→orders']));
    expect(edges.filter((e) => e.Error)).toHaveLength(25);
    expect(new Set(edges.map((e) => e.Duration))).toEqual(new Set([String(110n * MS)]));
  });

  test('a client span naming only a host counts once at its child in the same batch, with the client side’s duration, and no host call', () => {
    const g = new ServiceGraph();
    const client = makeSpan({ traceId: T, spanId: id(1), serviceName: 'web', kind: 3, attributes: { 'server.address': 'api.internal' }, ...at(0, 50) });
    const server = makeSpan({ traceId: T, spanId: id(2), parentSpanId: id(1), serviceName: 'api', kind: 2, ...at(5, 40) });
    // a second child of the same client span (another SERVER span of the callee) is not a second call
    const again = makeSpan({ traceId: T, spanId: id(3), parentSpanId: id(1), serviceName: 'api', kind: 2, ...at(6, 10) });
    expect(summary(g.observe(1, [client, server, again]))).toEqual([['web', 'api', 'service', 50, false]]);
  });

  test('without a client span (an uninstrumented HTTP client) each callee span is a call with its own duration', () => {
    const g = new ServiceGraph();
    const entry = makeSpan({ traceId: T, spanId: id(1), serviceName: 'web', kind: 2, ...at(0, 500) });
    const first = makeSpan({ traceId: T, spanId: id(2), parentSpanId: id(1), serviceName: 'api', kind: 2, ...at(10, 40) });
    const second = makeSpan({ traceId: T, spanId: id(3), parentSpanId: id(1), serviceName: 'api', kind: 2, statusCode: 2, ...at(60, 20) });
    expect(summary([...g.observe(1, [first]), ...g.observe(1, [entry, second])])).toEqual([
      ['web', 'api', 'service', 40, false],
      ['web', 'api', 'service', 20, true],
    ]);
  });

  test('peers that send no spans stay peers; a message counts towards the broker and, via its consumer, the consuming service', () => {
    const g = new ServiceGraph();
    const db = makeSpan({ traceId: T, spanId: id(1), serviceName: 'orders', kind: 3, attributes: { 'db.system': 'postgresql', 'server.address': 'db.internal' }, ...at(0, 4) });
    const send = makeSpan({ traceId: T, spanId: id(2), serviceName: 'orders', kind: 4, attributes: { 'messaging.system': 'kafka' }, ...at(5, 1) });
    const consume = makeSpan({ traceId: T, spanId: id(3), parentSpanId: id(2), serviceName: 'billing', kind: 5, ...at(50, 30) });
    expect(summary(g.observe(1, [db, send, consume]))).toEqual([
      ['orders', 'postgresql', 'peer', 4, false],
      ['orders', 'kafka', 'peer', 1, false],
      ['orders', 'billing', 'service', 30, false],
    ]);
  });
});

describe('service graph: CLIENT spans naming only the host they called', () => {
  const client = (n: number, attributes: Span['attributes'], statusCode: 0 | 2 = 0) =>
    makeSpan({ traceId: trace(n), spanId: id(1), serviceName: 'checkout', kind: 3, statusCode, attributes, ...at(n, 300) });
  const server = (n: number, serviceName = 'orders') => makeSpan({ traceId: trace(n), spanId: id(2), parentSpanId: id(1), serviceName, kind: 2, ...at(n + 1, 250) });

  test('an external API (no span of its own) is a peer named by its host, each call once with its status', () => {
    const g = new ServiceGraph();
    const edges = [
      ...g.observe(1, [client(1, { 'server.address': 'api.stripe.com', 'server.port': 443 }, 2)]),
      ...g.observe(1, [client(2, { 'url.full': 'https://API.Stripe.com:443/v1/charges?key=secret' })]),
      ...g.observe(1, [client(3, { 'net.peer.name': 'api.stripe.com', 'http.url': 'https://ignored.example/' })]),
      ...g.observe(1, [client(4, { 'http.host': 'api.stripe.com:443' })]),
    ];
    expect(summary(edges)).toEqual(Array.from({ length: 4 }, (_, i) => ['checkout', 'api.stripe.com', 'peer', 300, i === 0]));
    // nothing to name a host by, or a host that is the caller itself: no call
    expect(g.observe(1, [client(5, { 'url.full': '/v1/charges' }), client(6, { 'server.address': 'checkout' }), client(7, {})])).toEqual([]);
  });

  test('an instrumented callee whose span came first: one call, to the service, none to its host', () => {
    const g = new ServiceGraph();
    expect(g.observe(1, [server(1)])).toEqual([]);
    expect(summary(g.observe(1, [client(1, { 'server.address': 'orders.internal' }, 2)]))).toEqual([['checkout', 'orders', 'service', 300, true]]);
  });

  test('an instrumented callee whose span comes in a later request: the host call is retracted as the service call is written', () => {
    const g = new ServiceGraph();
    expect(summary(g.observe(1, [client(1, { 'server.address': 'orders.internal' }, 2)]))).toEqual([['checkout', 'orders.internal', 'peer', 300, true]]);
    expect(summary(g.observe(1, [server(1)]))).toEqual([
      ['checkout', 'orders', 'service', 300, true],
      ['checkout', 'orders.internal', 'retracted', 300, true],
    ]);
    // a second span of the callee under the same client span is neither a call nor a second retraction
    expect(g.observe(1, [makeSpan({ traceId: trace(1), spanId: id(3), parentSpanId: id(1), serviceName: 'orders', kind: 2 })])).toEqual([]);
  });

  test('a host that is the callee’s service name is that one call; a same-service child changes nothing', () => {
    const g = new ServiceGraph();
    expect(summary(g.observe(1, [client(1, { 'server.address': 'orders' })]))).toEqual([['checkout', 'orders', 'peer', 300, false]]);
    expect(g.observe(1, [server(1)])).toEqual([]);
    expect(summary(g.observe(1, [client(2, { 'server.address': 'api.stripe.com' }), server(2, 'checkout')]))).toEqual([['checkout', 'api.stripe.com', 'peer', 300, false]]);
  });

  test('peer.service (and db.system) win over the host: the host is never a node of its own', () => {
    const g = new ServiceGraph();
    const edges = [
      ...g.observe(1, [client(1, { 'peer.service': 'orders', 'server.address': 'orders.internal' })]),
      ...g.observe(1, [server(1)]),
      ...g.observe(1, [client(2, { 'db.system.name': 'postgresql', 'server.address': 'pg.internal' })]),
    ];
    expect(summary(edges)).toEqual([
      ['checkout', 'orders', 'peer', 300, false],
      ['checkout', 'postgresql', 'peer', 300, false],
    ]);
  });
});
