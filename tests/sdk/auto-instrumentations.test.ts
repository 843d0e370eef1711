import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { startNodeApp, type Backend } from './example-backend.ts';

interface Span {
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  scope: { name: string; version: string };
  attributes: Record<string, unknown>;
}

let fl: Faultline;
let app: Backend;
beforeAll(async () => {
  fl = await startFaultline();
  app = await startNodeApp(join(import.meta.dirname, 'auto-app.ts'), { FAULTLINE_ENDPOINT: fl.otlpHttp, FAULTLINE_KEY: fl.key });
});
afterAll(async () => {
  await app?.stop();
  await fl?.stop();
});

describe("Node bridge with instrumentations: 'auto'", () => {
  test('a fetch() inside a request handler is traced by the undici instrumentation and continues the trace', async () => {
    const res = await fetch(`${app.url}/order`);
    const { traceId, spanId } = (await res.json()) as { traceId: string; spanId: string };
    const trace = await eventually(async () => {
      const r = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
      const body = r.body as { spans: Span[]; errors: Array<{ spanId: string }> };
      return r.status === 200 && body.spans.length >= 3 && body.errors.length === 1 ? body : null;
    }, 20_000);
    const order = trace.spans.find((s) => s.kind === 'SERVER' && s.parentSpanId === '');
    const fetchSpan = trace.spans.find((s) => s.kind === 'CLIENT');
    expect(order).toMatchObject({ spanId, scope: { name: '@opentelemetry/instrumentation-http' } });
    expect(fetchSpan).toMatchObject({ parentSpanId: order?.spanId, scope: { name: '@opentelemetry/instrumentation-undici' } });
    expect(fetchSpan?.attributes['url.full']).toMatch(/\/stock$/);
    // undici injected traceparent through the bridge's propagator: /stock's server span is the fetch's child.
    expect(trace.spans.find((s) => s.kind === 'SERVER' && s.parentSpanId === fetchSpan?.spanId)?.attributes['url.path']).toBe('/stock');
    expect(trace.errors[0]?.spanId).toBe(spanId);
  });
});
