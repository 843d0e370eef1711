import { randomBytes } from 'node:crypto';
import type { Faultline } from './harness.ts';

export interface SyntheticTrace {
  spans: number;
  /** Index of a span marked as an error. */
  errorAt?: number;
  service: string;
}

/** Sends one synthetic trace as OTLP/JSON (a chain of nested spans named span-0, span-1, …). */
export async function sendTrace(fl: Faultline, spec: SyntheticTrace): Promise<{ traceId: string; spanIds: string[] }> {
  const traceId = randomBytes(16).toString('hex');
  const spanIds = Array.from({ length: spec.spans }, () => randomBytes(8).toString('hex'));
  const start = BigInt(Date.now()) * 1_000_000n - 1_000_000_000n;
  const spans = spanIds.map((spanId, i) => ({
    traceId,
    spanId,
    parentSpanId: i === 0 ? '' : spanIds[Math.floor((i - 1) / 2)],
    name: `span-${i}`,
    kind: i === 0 ? 2 : 1,
    startTimeUnixNano: String(start + BigInt(i) * 1_000_000n),
    endTimeUnixNano: String(start + BigInt(i) * 1_000_000n + 50_000_000n - BigInt(i) * 2_000_000n),
    attributes: [{ key: 'index', value: { intValue: String(i) } }],
    status: i === spec.errorAt ? { code: 2, message: 'failed' } : {},
  }));
  const body = {
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: spec.service } }] }, scopeSpans: [{ scope: { name: 'test' }, spans }] }],
  };
  const res = await fetch(`${fl.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${fl.key}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
  return { traceId, spanIds };
}
