// Traces for the trace-search browser tests, seeded through the real OTLP/HTTP ingest path.
import { randomBytes } from 'node:crypto';
import type { Faultline } from '../harness.ts';
import { postOtlpJson } from '../otlp-client.ts';

export interface SpanSpec {
  id: string;
  parent: string;
  service: string;
  name: string;
  startMs: number;
  durMs: number;
  error?: boolean;
}

/** One trace starting at `startMs` (offsets in the specs), one resource per service; returns its id. */
export async function sendSpans(fl: Faultline, startMs: number, specs: SpanSpec[]): Promise<string> {
  const traceId = randomBytes(16).toString('hex');
  const ids = new Map<string, string>();
  const spans = specs.map((s) => {
    const spanId = randomBytes(8).toString('hex');
    ids.set(s.id, spanId);
    return { ...s, spanId };
  });
  const byService = new Map<string, unknown[]>();
  for (const s of spans) {
    const start = BigInt(startMs + s.startMs) * 1_000_000n;
    const list = byService.get(s.service) ?? [];
    list.push({
      traceId,
      spanId: s.spanId,
      parentSpanId: s.parent ? ids.get(s.parent) : '',
      name: s.name,
      kind: s.parent ? 1 : 2,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + BigInt(s.durMs) * 1_000_000n),
      status: s.error ? { code: 2, message: 'failed' } : {},
    });
    byService.set(s.service, list);
  }
  const resourceSpans = [...byService].map(([service, list]) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [{ scope: { name: 'test' }, spans: list }],
  }));
  await postOtlpJson(fl, '/v1/traces', { resourceSpans });
  return traceId;
}

export interface Seeded {
  id: string;
  startMs: number;
  durMs: number;
}

/**
 * `count` one-span `catalog` traces two to three hours before `nowMs` (outside the default "last hour"), a
 * minute apart, with distinct durations in an order unlike their start order.
 */
export async function seedCatalog(fl: Faultline, nowMs: number, count: number): Promise<Seeded[]> {
  const out: Seeded[] = [];
  for (let i = 0; i < count; i++) {
    const startMs = nowMs - 2 * 3_600_000 - i * 60_000;
    const durMs = 5 + ((i * 7) % count) * 10;
    const id = await sendSpans(fl, startMs, [{ id: 'r', parent: '', service: 'catalog', name: `GET /item/${i}`, startMs: 0, durMs }]);
    out.push({ id, startMs, durMs });
  }
  return out;
}
