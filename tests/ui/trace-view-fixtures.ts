// Traces with known shapes for the trace-view browser tests, seeded through the real OTLP/HTTP ingest path.
import { randomBytes } from 'node:crypto';
import type { Faultline } from '../harness.ts';
import { postOtlpJson } from '../otlp-client.ts';

interface SpanSpec {
  name: string;
  service: string;
  parent: string;
  startMs: number;
  endMs: number;
  error?: boolean;
  attrs?: Record<string, string>;
  /** Span events, at ms offsets from the trace start. */
  events?: { name: string; atMs: number; attrs: Record<string, string> }[];
}

const otlpAttrs = (attrs: Record<string, string> = {}) => Object.entries(attrs).map(([key, value]) => ({ key, value: { stringValue: value } }));

/**
 * A checkout request across three services. Offsets in ms from the trace start:
 *
 *   GET /checkout       web  0-100  (root)
 *     auth              web  2-12
 *     POST /api/cart    api  15-60
 *       SELECT cart     db   20-55
 *     reserve stock     api  16-40  (parallel with the cart call, finishes first; error)
 *       SELECT stock    db   20-38
 *     render            web  65-95
 *     flush logs        web  70-80  (parallel with render, finishes first; error)
 *
 * Critical path (walking back from the root's end): render, then POST /api/cart (ends at 60, before render
 * starts at 65) through SELECT cart, then auth, with the root's own gaps in between. Not on it: reserve stock,
 * SELECT stock, flush logs.
 */
export const CHECKOUT: readonly SpanSpec[] = [
  { name: 'GET /checkout', service: 'web', parent: '', startMs: 0, endMs: 100 },
  { name: 'auth', service: 'web', parent: 'GET /checkout', startMs: 2, endMs: 12 },
  { name: 'POST /api/cart', service: 'api', parent: 'GET /checkout', startMs: 15, endMs: 60, attrs: { 'cart.items': '3', 'rpc.method': 'Charge' } },
  { name: 'SELECT cart', service: 'db', parent: 'POST /api/cart', startMs: 20, endMs: 55, attrs: { 'db.statement': 'SELECT * FROM cart WHERE id = $1' } },
  {
    name: 'reserve stock',
    service: 'api',
    parent: 'GET /checkout',
    startMs: 16,
    endMs: 40,
    error: true,
    // the exception's message is only in this event, not in the span's status or attributes
    events: [{ name: 'exception', atMs: 39, attrs: { 'exception.type': 'StockError', 'exception.message': 'sku-991 has no stock left' } }],
  },
  { name: 'SELECT stock', service: 'db', parent: 'reserve stock', startMs: 20, endMs: 38, attrs: { 'db.statement': 'SELECT qty FROM stock' } },
  { name: 'render', service: 'web', parent: 'GET /checkout', startMs: 65, endMs: 95 },
  { name: 'flush logs', service: 'web', parent: 'GET /checkout', startMs: 70, endMs: 80, error: true },
];

export const CHECKOUT_CRITICAL = ['GET /checkout', 'auth', 'POST /api/cart', 'SELECT cart', 'render'];

/** Sends the spans (one resource per service); returns the trace id and the span id per span name. */
export async function seedSpans(fl: Faultline, specs: readonly SpanSpec[]): Promise<{ traceId: string; ids: Map<string, string> }> {
  const traceId = randomBytes(16).toString('hex');
  const ids = new Map(specs.map((s) => [s.name, randomBytes(8).toString('hex')]));
  const t0 = BigInt(Date.now() - 5_000) * 1_000_000n;
  const ns = (ms: number) => String(t0 + BigInt(Math.round(ms * 1000)) * 1_000n);
  const byService = new Map<string, unknown[]>();
  for (const s of specs) {
    const list = byService.get(s.service) ?? [];
    byService.set(s.service, list);
    list.push({
      traceId,
      spanId: ids.get(s.name),
      parentSpanId: s.parent ? ids.get(s.parent) : '',
      name: s.name,
      kind: s.parent ? 1 : 2,
      startTimeUnixNano: ns(s.startMs),
      endTimeUnixNano: ns(s.endMs),
      status: s.error ? { code: 2, message: 'out of stock' } : {},
      attributes: otlpAttrs(s.attrs),
      events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: ns(e.atMs), attributes: otlpAttrs(e.attrs) })),
    });
  }
  await postOtlpJson(fl, '/v1/traces', {
    resourceSpans: [...byService].map(([service, spans]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'test' }, spans }],
    })),
  });
  return { traceId, ids: ids as Map<string, string> };
}

/** A flat trace of `count` sequential children under one root (1 ms apart), named `step-<i>`. */
export function longTrace(count: number): SpanSpec[] {
  const specs: SpanSpec[] = [{ name: 'batch job', service: 'worker', parent: '', startMs: 0, endMs: count + 1 }];
  for (let i = 0; i < count; i++) specs.push({ name: `step-${i}`, service: 'worker', parent: 'batch job', startMs: i + 0.5, endMs: i + 1 });
  return specs;
}
