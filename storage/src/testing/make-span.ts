import type { Span } from '@faultline/proto';

/** A valid span with overridable fields, for tests. */
export function makeSpan(overrides: Partial<Span> = {}): Span {
  const start = overrides.startTimeUnixNano ?? BigInt(Date.now()) * 1_000_000n;
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '',
    traceState: '',
    flags: 1,
    name: 'GET /checkout',
    kind: 2,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 25_000_000n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    statusCode: 0,
    statusMessage: '',
    serviceName: 'checkout',
    resource: { 'service.name': 'checkout' },
    scope: { name: 'test', version: '1.0.0', attributes: {} },
    ...overrides,
  };
}
