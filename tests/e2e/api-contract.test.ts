import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { routeTable, type Route } from '@faultline/query';
import { createApiToken } from '@faultline/storage';
import { EVENT_ID, buildEnvelope, nodeErrorEvent } from '../../proto/src/sentry/fixtures.ts';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, postOtlpJson, sendException, sendTrace } from '../otlp-client.ts';

let fl: Faultline;
let routes: Route[];
let traceId = '';
const covered = new Set<Route>();

beforeAll(async () => {
  fl = await startFaultline();
  // The running server's route table (its schemas do not depend on the instance).
  routes = routeTable(fl.running.db);
  ({ traceId } = await sendTrace(fl, { spans: 3, service: 'api', errorAt: 1 }));
  for (const release of ['1.0.0', '1.1.0']) {
    await sendException(fl, {
      service: 'api',
      release,
      type: 'TypeError',
      message: 'x is undefined',
      stack: nodeStack('TypeError', 'x is undefined', 'pay', 'src/pay.js', 12),
      userId: 'u1',
    });
  }
  // A Sentry SDK event: chained exceptions with mechanisms, context lines, breadcrumbs with data.
  const sentry = { ...nodeErrorEvent(), timestamp: Date.now() / 1000, release: '1.1.0' };
  const envelope = buildEnvelope({ event_id: EVENT_ID }, [{ headers: { type: 'event' }, payload: JSON.stringify(sentry) }]);
  const ingested = await fetch(`${fl.otlpHttp}/api/1/envelope/?sentry_key=${fl.key}`, { method: 'POST', body: Buffer.from(envelope) });
  expect(ingested.status).toBe(200);
  await postOtlpJson(fl, '/v1/logs', {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
        scopeLogs: [
          {
            logRecords: [
              { timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), severityNumber: 9, body: { stringValue: 'hello' }, traceId },
            ],
          },
        ],
      },
    ],
  });
  await eventually(async () => {
    const issues = (await fl.get('/api/v1/projects/default/issues')).body as { issues: Array<{ count: number }> };
    const logs = (await fl.get('/api/v1/projects/default/logs')).body as { logs: unknown[] };
    const sentryEvent = await fl.get(`/api/v1/projects/default/events/${EVENT_ID}`);
    return issues.issues.length === 2 && logs.logs.length > 0 && sentryEvent.status === 200 ? true : null;
  });
});
afterAll(async () => fl.stop());

/**
 * Calls the API and checks the answer against the route's declared `response`: it must parse, and parsing must
 * drop nothing (an undeclared field would be stripped). A route without a response schema must answer 204.
 */
async function call(method: string, path: string, body?: unknown, token = fl.token): Promise<unknown> {
  const route = routes.find((r) => r.method === method && r.pattern.test(path.split('?')[0] ?? ''));
  if (!route) throw new Error(`no route for ${method} ${path}`);
  covered.add(route);
  const res = await fetch(`${fl.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const where = `${method} ${path}`;
  expect(res.status, `${where}: ${text}`).toBeLessThan(300);
  if (!route.response) {
    expect(res.status, where).toBe(204);
    expect(text, where).toBe('');
    return null;
  }
  expect(res.status, where).toBe(method === 'POST' ? 201 : 200);
  const answer = JSON.parse(text) as unknown;
  const parsed = route.response.safeParse(answer);
  expect(parsed.error?.issues ?? [], `${where} against its response schema`).toEqual([]);
  expect(parsed.data, `${where}: fields the schema does not declare`).toEqual(answer);
  return answer;
}

describe('API answers match their declared (OpenAPI) schemas', () => {
  test('projects, keys and tokens', async () => {
    await call('GET', '/api/v1/projects');
    const created = (await call('POST', '/api/v1/projects', { slug: 'contract-b' })) as { slug: string };
    await call('GET', '/api/v1/projects/default');
    await call('PATCH', `/api/v1/projects/${created.slug}`, { name: 'Contract B', settings: { scrubPii: true, rateLimitPerSecond: 0 } });
    const key = (await call('POST', '/api/v1/projects/default/keys')) as { id: string };
    await call('DELETE', `/api/v1/projects/default/keys/${key.id}`);
    const keys = (await call('GET', '/api/v1/projects/default/keys')) as { keys: Array<{ id: string; revoked: unknown }> };
    expect(keys.keys.map((k) => k.revoked)).toEqual(keys.keys.map((k) => k.id === key.id));
    const read = (await call('POST', '/api/v1/projects/default/tokens', { role: 'read' })) as { id: string; token: string };
    expect((await fl.get('/api/v1/projects/default', read.token)).status).toBe(200);
    await call('DELETE', `/api/v1/projects/default/tokens/${read.id}`);
    const tokens = (await call('GET', '/api/v1/projects/default/tokens')) as { tokens: Array<{ id: string; role: string; revoked: boolean }> };
    expect(tokens.tokens.find((t) => t.id === read.id)).toMatchObject({ role: 'read', revoked: true });
    expect(JSON.stringify(tokens)).not.toContain(read.token);
    // Revoked tokens are refused once the query API's ~2 s lookup cache lapses.
    await eventually(async () => ((await fl.get('/api/v1/projects/default', read.token)).status === 401 ? true : null));
    // Instance-wide tokens: a second instance admin token (only the bootstrap makes them) is revocable.
    const spare = await createApiToken(fl.running.db, 0, 'instance_admin', undefined, 'contract');
    const instance = (await call('GET', '/api/v1/tokens')) as { tokens: Array<{ id: string; label: string; revoked: boolean }> };
    expect(instance.tokens.map((t) => [t.label, t.revoked])).toEqual([
      ['bootstrap admin', false],
      ['contract', false],
    ]);
    expect(JSON.stringify(instance)).not.toContain(spare.token);
    await call('DELETE', `/api/v1/tokens/${spare.id}`);
  });

  test('traces and logs', async () => {
    await call('GET', '/api/v1/projects/default/traces');
    await call('GET', `/api/v1/projects/default/traces/${traceId}`);
    await call('GET', `/api/v1/projects/default/traces/${traceId}/otlp`);
    await call('GET', '/api/v1/projects/default/logs');
    await call('GET', '/api/v1/projects/default/logs/histogram?severity=info');
    await postOtlpJson(fl, '/v1/metrics', {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
          scopeMetrics: [{ metrics: [{ name: 'queue.depth', gauge: { dataPoints: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), asDouble: 3 }] } }] }],
        },
      ],
    });
    await eventually(async () => (((await fl.get('/api/v1/projects/default/otel-metrics')).body as { metrics: unknown[] }).metrics.length > 0 ? true : null));
    await call('GET', '/api/v1/projects/default/otel-metrics');
    await call('GET', '/api/v1/projects/default/otel-metrics/series?name=queue.depth&groupBy=host');
  });

  test('issues and events', async () => {
    const { issues } = (await call('GET', '/api/v1/projects/default/issues?statsPeriod=24h')) as { issues: Array<{ id: string }> };
    await call('GET', '/api/v1/projects/default/issues');
    const issueId = issues[0]?.id ?? '';
    const detail = (await call('GET', `/api/v1/projects/default/issues/${issueId}`)) as {
      latestEvent: { eventId: string } | null;
      activity: unknown[];
    };
    expect(detail.latestEvent).not.toBeNull();
    await call('GET', `/api/v1/projects/default/issues/${issueId}/events`);
    await call('GET', `/api/v1/projects/default/issues/${issueId}/stats`);
    await call('GET', `/api/v1/projects/default/issues/${issueId}/tags`);
    await call('GET', `/api/v1/projects/default/events/${detail.latestEvent?.eventId ?? ''}`);
    const sentryEvent = (await call('GET', `/api/v1/projects/default/events/${EVENT_ID}`)) as { issueId: string; breadcrumbs: unknown[] };
    expect(sentryEvent.breadcrumbs).toHaveLength(2);
    await call('GET', `/api/v1/projects/default/issues/${sentryEvent.issueId}`);
    await call('GET', `/api/v1/projects/default/issues/${sentryEvent.issueId}/events`);
    const report = JSON.stringify({ event_id: EVENT_ID, name: 'Ada', email: 'ada@example.com', comments: 'It broke on pay' });
    const sent = await fetch(`${fl.otlpHttp}/api/1/envelope/?sentry_key=${fl.key}`, { method: 'POST', body: `{}\n{"type":"user_report"}\n${report}\n` });
    expect(sent.status).toBe(200);
    await eventually(async () => (((await fl.get('/api/v1/projects/default/feedback')).body as { feedback: unknown[] }).feedback.length > 0 ? true : null));
    const { feedback } = (await call('GET', '/api/v1/projects/default/feedback')) as { feedback: Array<{ issueId: string | null }> };
    expect(feedback[0]?.issueId).toBe(sentryEvent.issueId);
    await call('GET', `/api/v1/projects/default/issues/${sentryEvent.issueId}/feedback`);
    await call('PATCH', `/api/v1/projects/default/issues/${issueId}`, { status: 'resolved', resolvedInRelease: '1.1.0' });
    await call('POST', `/api/v1/projects/default/issues/${issueId}/comments`, { text: 'looking into it' });
    const after = (await call('GET', `/api/v1/projects/default/issues/${issueId}`)) as { activity: Array<{ kind: string }> };
    expect(after.activity.map((a) => a.kind)).toContain('status_change');
    const page = (await call('GET', `/api/v1/projects/default/issues/${issueId}/activity?limit=1`)) as { activity: Array<{ kind: string }>; nextCursor: string };
    expect(page.activity.map((a) => a.kind)).toEqual(['note']);
    await call('GET', `/api/v1/projects/default/issues/${issueId}/activity?cursor=${encodeURIComponent(page.nextCursor)}`);
  });

  test('performance and releases', async () => {
    await call('GET', '/api/v1/projects/default/services');
    await call('GET', '/api/v1/projects/default/services/api/operations');
    await call('GET', '/api/v1/projects/default/services/api/metrics');
    await call('GET', '/api/v1/projects/default/service-map');
    await call('GET', '/api/v1/projects/default/releases');
    const release = (await call('GET', '/api/v1/projects/default/releases/1.1.0')) as { previous: unknown };
    expect(release.previous).not.toBeNull();
    const file = (await call('POST', '/api/v1/projects/default/releases/1.1.0/files', {
      name: '~/app.js',
      content: 'x()',
      kind: 'minified_source',
    })) as { id: string };
    await call('GET', '/api/v1/projects/default/releases/1.1.0/files');
    await call('DELETE', `/api/v1/projects/default/releases/1.1.0/files/${file.id}`);
    await call('DELETE', '/api/v1/projects/default/releases/1.1.0/files');
  });

  test('alert rules', async () => {
    // Port 9 (discard) refuses: the test notification is answered with its failed outcome, not an error.
    const rule = (await call('POST', '/api/v1/projects/default/alerts', { name: 'spikes', kind: 'issue_spike', threshold: 50, windowMinutes: 10, environment: 'prod', webhookUrl: 'http://127.0.0.1:9/hook' })) as { id: string };
    await call('GET', '/api/v1/projects/default/alerts');
    await call('PATCH', `/api/v1/projects/default/alerts/${rule.id}`, { kind: 'new_issue', threshold: null, windowMinutes: null, environment: null, level: 'error' });
    const sent = (await call('POST', `/api/v1/projects/default/alerts/${rule.id}/test`)) as { status: string };
    expect(sent.status).toBe('failed');
    await call('GET', `/api/v1/projects/default/alerts/${rule.id}/firings`);
    await call('DELETE', `/api/v1/projects/default/alerts/${rule.id}`);
  });

  test('span charts', async () => {
    type Chart = { step: number; series: Array<{ group: string; calls: number; errors: number; points: Array<{ p50DurationNano: string }> }> };
    const chart = (await call('GET', '/api/v1/projects/default/spans/series?service=api&groupBy=operation&step=60')) as Chart;
    const failed = chart.series.find((s) => s.group === 'span-1');
    expect([failed?.calls, failed?.errors]).toEqual([1, 1]);
    // span-1 of the synthetic trace lasts 48 ms; one value is its own percentile
    expect(failed?.points[0]?.p50DurationNano).toBe('48000000');
    const plain = (await call('GET', '/api/v1/projects/default/spans/series?start=' + String(Date.now() - 3_600_000))) as Chart;
    expect(plain.step).toBe(60);
    expect(plain.series.map((s) => s.group)).toEqual(['']);
    const bad = async (q: string) => {
      const res = await fl.get(`/api/v1/projects/default/spans/series?${q}`);
      return [res.status, (res.body as { error: { message: string } }).error.message];
    };
    expect(await bad('groupBy=user')).toEqual([400, expect.stringContaining('groupBy') as unknown]);
    expect(await bad(`step=1&start=${String(Date.now() - 86_400_000)}`)).toEqual([400, expect.stringContaining('at most 2000 buckets') as unknown]);
  });

  test('attribute suggestions', async () => {
    const keys = (await call('GET', '/api/v1/projects/default/span-attributes?service=api')) as { keys: Array<{ key: string; resource: boolean }> };
    expect(keys.keys.find((k) => k.key === 'service.name')?.resource).toBe(true);
    const values = (await call('GET', '/api/v1/projects/default/span-attributes/values?key=service.name')) as { values: Array<{ value: string }> };
    expect(values.values.map((v) => v.value)).toContain('api');
  });

  test('saved searches', async () => {
    const saved = (await call('POST', '/api/v1/projects/default/saved-searches', { page: 'issues', name: 'mine', query: 'query=assigned%3Ame' })) as { id: string };
    await call('GET', '/api/v1/projects/default/saved-searches?page=issues');
    await call('DELETE', `/api/v1/projects/default/saved-searches/${saved.id}`);
  });

  test('instance info names the collector ports actually bound', async () => {
    const info = (await call('GET', '/api/v1/info')) as { ingest: { otlpHttpPort: number; otlpGrpcPort: number } };
    expect(`http://127.0.0.1:${info.ingest.otlpHttpPort}`).toBe(fl.otlpHttp);
    expect(info.ingest.otlpGrpcPort).toBe(Number(new URL(`http://${fl.otlpGrpc.replace(/^\w+:\/\//, '')}`).port));
  });

  test('session', async () => {
    await call('POST', '/api/v1/session', { token: fl.token });
    await call('DELETE', '/api/v1/session');
  });

  test('every route was checked', () => {
    expect(routes.filter((r) => !covered.has(r)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });
});
