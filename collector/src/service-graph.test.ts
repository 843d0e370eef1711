import { describe, expect, test } from 'vitest';
import { makeSpan } from '../../storage/src/testing/make-span.ts';
import { ServiceGraph } from './service-graph.ts';

const T = 'a'.repeat(32);

describe('service graph', () => {
  test('cross-service parent/child in either order, peers, same-service calls ignored', () => {
    const g = new ServiceGraph();
    const front = makeSpan({ traceId: T, spanId: '1'.repeat(16), serviceName: 'web', kind: 3 });
    const back = makeSpan({ traceId: T, spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), serviceName: 'api', statusCode: 2 });
    const internal = makeSpan({ traceId: T, spanId: '3'.repeat(16), parentSpanId: '2'.repeat(16), serviceName: 'api', kind: 1 });
    const db = makeSpan({ traceId: T, spanId: '4'.repeat(16), parentSpanId: '2'.repeat(16), serviceName: 'api', kind: 3, attributes: { 'db.system': 'postgresql' } });
    // the backend exports first: its spans wait for the parent
    expect(g.observe(1, [back, internal, db]).map((e) => [e.Source, e.Target, e.TargetKind])).toEqual([['api', 'postgresql', 'peer']]);
    const edges = g.observe(1, [front]);
    expect(edges.map((e) => [e.Source, e.Target, e.TargetKind, e.Error])).toEqual([['web', 'api', 'service', true]]);
    // projects are separate
    expect(g.observe(2, [makeSpan({ traceId: T, spanId: '5'.repeat(16), parentSpanId: '1'.repeat(16), serviceName: 'x' })])).toEqual([]);
  });
});
