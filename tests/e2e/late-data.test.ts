import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { postOtlpJson } from '../otlp-client.ts';

let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl.stop());

// The OTLP specification's example request: its spans and log record are from December 2018, far past the
// default 14-day retention. An acknowledged write must be readable: retention counts from arrival too.
const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';
const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });

test('telemetry sent with old timestamps is stored and read back: spans, errors, logs, metric points', async () => {
  await postOtlpJson(fl, '/v1/traces', {
    resourceSpans: [
      {
        resource: { attributes: [kv('service.name', 'my.service')] },
        scopeSpans: [
          {
            scope: { name: 'my.library', version: '1.0.0' },
            spans: [
              {
                traceId: TRACE,
                spanId: SPAN,
                name: 'I am a span!',
                kind: 2,
                startTimeUnixNano: '1544712660000000000',
                endTimeUnixNano: '1544712661000000000',
                attributes: [kv('my.span.attr', 'some value')],
                events: [
                  {
                    timeUnixNano: '1544712660500000000',
                    name: 'exception',
                    attributes: [kv('exception.type', 'LegacyError'), kv('exception.message', 'from 2018')],
                  },
                ],
                status: { code: 2 },
              },
            ],
          },
        ],
      },
    ],
  });
  await postOtlpJson(fl, '/v1/logs', {
    resourceLogs: [
      {
        resource: { attributes: [kv('service.name', 'my.service')] },
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano: '1544712660300000000',
                severityNumber: 10,
                body: { stringValue: 'Example log record' },
                traceId: TRACE,
                spanId: SPAN,
              },
            ],
          },
        ],
      },
    ],
  });
  await postOtlpJson(fl, '/v1/metrics', {
    resourceMetrics: [
      {
        resource: { attributes: [kv('service.name', 'my.service')] },
        scopeMetrics: [{ metrics: [{ name: 'my.gauge', unit: '1', gauge: { dataPoints: [{ asDouble: 10, timeUnixNano: '1544712660300000000' }] } }] }],
      },
    ],
  });
  const metrics = await eventually(async () => {
    const res = await fl.get('/api/v1/projects/default/otel-metrics?start=2018-12-13T00:00:00Z&end=2018-12-14T00:00:00Z');
    const list = (res.body as { metrics?: Array<{ name: string; points: number }> }).metrics ?? [];
    return list.length > 0 ? list : null;
  });
  expect(metrics).toEqual([expect.objectContaining({ name: 'my.gauge', points: 1 })]);
  const trace = await eventually(async () => {
    const res = await fl.get(`/api/v1/projects/default/traces/${TRACE}`);
    const body = res.body as { spans?: Array<{ spanId: string }>; logs?: unknown[]; errors?: unknown[] };
    return res.status === 200 && body.logs?.length === 1 && body.errors?.length === 1 ? body : null;
  });
  expect(trace.spans?.map((s) => s.spanId)).toEqual([SPAN]);
  // The issue's event is there too (not an issue counted with no event behind it).
  const issues = (await fl.get('/api/v1/projects/default/issues?status=all')).body as { issues: Array<{ id: string; title: string }> };
  const issue = issues.issues.find((i) => i.title.includes('LegacyError'));
  expect(issue).toBeDefined();
  const detail = (await fl.get(`/api/v1/projects/default/issues/${issue?.id ?? ''}`)).body as { latestEvent: { traceId: string } | null };
  expect(detail.latestEvent?.traceId).toBe(TRACE);
});
