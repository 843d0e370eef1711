import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { startNodeApp, type Backend } from './example-backend.ts';

// The repository runs OpenTelemetry JS SDK 2.x; this app has its own 3.x tree (tests/sdk/otel3-app/package.json,
// installed through the root package.json's file: dependency), so the bridge is checked against both majors.
const APP = join(import.meta.dirname, 'otel3-app', 'app.ts');

interface Span {
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  serviceName: string;
  statusCode: string;
  resource: Record<string, unknown>;
  scope: { name: string };
}
interface Event {
  traceId: string;
  spanId: string;
  release: string;
  environment: string;
  serviceName: string;
  user: { id: string; email: string };
  breadcrumbs: Array<{ category: string; message: string; data: Record<string, unknown> }>;
  exception: { values: Array<{ type: string; value: string }> };
}

let fl: Faultline;
let app: Backend;
beforeAll(async () => {
  fl = await startFaultline();
  app = await startNodeApp(APP, { FAULTLINE_ENDPOINT: fl.otlpHttp, FAULTLINE_KEY: fl.key });
});
afterAll(async () => {
  await app?.stop();
  await fl?.stop();
});

describe('Node bridge on OpenTelemetry JS SDK 3.x', () => {
  test('trace, resource, breadcrumbs and the captured exception arrive in Faultline', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await fetch(`${app.url}/checkout`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    expect(res.status).toBe(500);
    const ids = (await res.json()) as { traceId: string; spanId: string };
    expect(ids.traceId).toBe(traceId);

    const trace = await eventually(async () => {
      const r = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
      const body = r.body as { spans: Span[]; errors: Array<{ spanId: string }> };
      return r.status === 200 && body.errors.length === 1 && body.spans.length >= 6 ? body : null;
    }, 20_000);
    const server = trace.spans.find((s) => s.kind === 'SERVER' && s.parentSpanId === 'b7ad6b7169203331');
    const charge = trace.spans.find((s) => s.name === 'charge card');
    expect(server).toBeDefined();
    expect(charge).toMatchObject({ spanId: ids.spanId, parentSpanId: server?.spanId, statusCode: 'ERROR' });
    // The outgoing calls, traced by instrumentation-http 0.30x and instrumentation-undici 0.34+ (fetch), with
    // traceparent injected: their server sides are in the trace.
    for (const scope of ['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-undici']) {
      const client = trace.spans.find((s) => s.kind === 'CLIENT' && s.parentSpanId === server?.spanId && s.scope.name === scope);
      expect(client, scope).toBeDefined();
      expect(trace.spans.some((s) => s.kind === 'SERVER' && s.parentSpanId === client?.spanId)).toBe(true);
    }
    expect(trace.errors[0]?.spanId).toBe(ids.spanId);
    expect(server?.resource).toMatchObject({
      'service.name': 'otel3-app',
      'service.version': 'otel3-app@3.0.0',
      'deployment.environment.name': 'sdk3',
      'telemetry.sdk.language': 'nodejs',
    });
    // The spans really come from the 3.x SDK.
    expect(String(server?.resource['telemetry.sdk.version'])).toMatch(/^3\./);

    const issues = (await fl.get('/api/v1/projects/default/issues?status=all')).body as { issues: Array<{ id: string; title: string }> };
    const issue = issues.issues.find((i) => i.title.startsWith('PaymentDeclinedError'));
    expect(issue?.title).toContain('card declined by issuer');
    const event = ((await fl.get(`/api/v1/projects/default/issues/${issue?.id}`)).body as { latestEvent: Event }).latestEvent;
    expect(event).toMatchObject({
      traceId,
      spanId: ids.spanId,
      release: 'otel3-app@3.0.0',
      environment: 'sdk3',
      serviceName: 'otel3-app',
      user: { id: 'u-3000', email: 'three@example.com' },
    });
    const crumbs = event.breadcrumbs.filter((b) => b.category !== 'http').map((b) => `${b.category}:${b.message}`);
    expect(crumbs).toEqual(['app:started', `console:otel3-app listening on ${app.url}`, 'checkout:cart validated']);
    expect(event.breadcrumbs.find((b) => b.category === 'http')?.data).toMatchObject({ method: 'GET', status_code: 409 });
    expect(app.output()).not.toMatch(/Error|warn/i);
  });
});
