import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

const run = promisify(execFile);
let fl: Faultline;

beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl.stop());

interface ApiSpan {
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  serviceName: string;
  statusCode: string;
  statusMessage: string;
  durationNano: string;
  startTimeUnixNano: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  events: Array<{ name: string; timeUnixNano: string; attributes: Record<string, unknown> }>;
}

/** Runs the instrumented app in its own process with one exporter and returns the trace it made. */
async function runApp(exporter: 'grpc' | 'proto' | 'json'): Promise<{ traceId: string; rootSpanId: string }> {
  const endpoint = exporter === 'grpc' ? fl.otlpGrpc : fl.otlpHttp;
  const { stdout } = await run(process.execPath, [join(import.meta.dirname, '..', 'fixtures', 'otel-app.ts'), exporter, endpoint, fl.key], { timeout: 30_000 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { traceId: string; rootSpanId: string };
}

describe.each(['grpc', 'proto', 'json'] as const)('a real OTel SDK app exporting over %s', (exporter) => {
  test('its trace comes back from the API with tree, attributes, events, status and resource', async () => {
    const { traceId, rootSpanId } = await runApp(exporter);
    const body = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
      const trace = res.body as { spans?: ApiSpan[] };
      return res.status === 200 && trace.spans?.length === 3 ? trace : null;
    });
    const spans = body.spans ?? [];
    const byName = new Map(spans.map((s) => [s.name, s]));
    const root = byName.get('GET /checkout');
    const child = byName.get('charge card');
    const grandchild = byName.get('render receipt');
    expect(root?.spanId).toBe(rootSpanId);
    expect(root?.parentSpanId).toBe('');
    expect(child?.parentSpanId).toBe(rootSpanId);
    expect(grandchild?.parentSpanId).toBe(rootSpanId);
    expect(root?.kind).toBe('SERVER');
    expect(child?.kind).toBe('CLIENT');
    expect(root?.serviceName).toBe(`shop-${exporter}`);
    expect(root?.attributes).toEqual({ 'http.request.method': 'GET', 'http.response.status_code': 500, 'app.retry': true, 'app.ratio': 0.25, 'app.tags': ['a', 'b'] });
    expect(root?.resource).toMatchObject({ 'service.name': `shop-${exporter}`, 'service.version': '1.4.2', 'deployment.environment.name': 'test' });
    expect(child?.statusCode).toBe('ERROR');
    expect(child?.statusMessage).toBe('card declined');
    expect(grandchild?.statusCode).toBe('UNSET');
    expect(Number(child?.durationNano)).toBeGreaterThanOrEqual(4_000_000);
    expect(BigInt(child?.startTimeUnixNano ?? 0)).toBeGreaterThanOrEqual(BigInt(root?.startTimeUnixNano ?? 0));
    const events = child?.events ?? [];
    expect(events.map((e) => e.name)).toEqual(['retrying', 'exception']);
    expect(events[0]?.attributes).toEqual({ attempt: 2 });
    expect(events[1]?.attributes).toMatchObject({ 'exception.type': 'TypeError', 'exception.message': 'card declined' });
    expect(String(events[1]?.attributes['exception.stacktrace'])).toContain('otel-app.ts');

    // Its log records come with it, each under the span that was active when it was emitted.
    const withLogs = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
      const t = res.body as { logs: Array<{ body: unknown; spanId: string; severityText: string; attributes: Record<string, unknown> }>; logsTruncated: boolean };
      return t.logs.length === 2 ? t : null;
    });
    expect(withLogs.logsTruncated).toBe(false);
    expect(withLogs.logs.map((l) => [l.body, l.severityText, l.spanId])).toEqual([
      ['charging card', 'INFO', child?.spanId],
      ['refund failed', 'ERROR', rootSpanId],
    ]);
    expect(withLogs.logs[0]?.attributes).toEqual({ 'app.amount': 42 });

    // Exceptions recorded on spans and emitted through the logs API both become issues linked to the trace.
    const issues = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/issues?status=all&query=${exporter}`);
      const list = (res.body as { issues: Array<{ id: string; title: string; culprit: string }> }).issues;
      return list.some((i) => i.title.startsWith('RangeError')) ? list : null;
    });
    expect(issues.map((i) => i.title)).toEqual(expect.arrayContaining([`RangeError: refund ${exporter} exceeds the payment`]));
    const fromSpan = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
      return (res.body as { errors: Array<{ issueId: string; spanId: string }> }).errors.find((e) => e.spanId === child?.spanId);
    });
    const spanIssue = await fl.get(`/api/v1/projects/default/issues/${fromSpan.issueId}`);
    expect((spanIssue.body as { title: string }).title).toBe('TypeError: card declined');

    const search = await fl.get(`/api/v1/projects/default/traces?service=shop-${exporter}&status=error&attr.peer.service=payments`);
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ traces: [{ traceId, rootServiceName: `shop-${exporter}`, rootName: 'GET /checkout', spanCount: 3, errorCount: 2 }] });
  });
});
