import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { postOtlpJson } from '../otlp-client.ts';

let fl: Faultline;
/** Two whole minutes ago, on a minute boundary: every point below falls in a known step. */
const m0 = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

interface Series {
  type: string;
  unit: string;
  aggregation: string;
  series: Array<{ service: string; group: string; points: Array<{ time: string; value: number }> }>;
}

beforeAll(async () => {
  fl = await startFaultline();
  const counter = (route: string, values: Array<[offsetMs: number, value: number]>) =>
    values.map(([offset, value]) => ({ startTimeUnixNano: ns(m0 - 3_600_000), timeUnixNano: ns(m0 + offset), asInt: String(value), attributes: [attr('http.route', route)] }));
  await postOtlpJson(fl, '/v1/metrics', {
    resourceMetrics: [
      {
        resource: { attributes: [attr('service.name', 'worker')] },
        scopeMetrics: [
          {
            scope: { name: 'test' },
            metrics: [
              { name: 'queue.depth', unit: '1', description: 'jobs waiting', gauge: { dataPoints: [{ timeUnixNano: ns(m0 + 5_000), asDouble: 4 }, { timeUnixNano: ns(m0 + 15_000), asDouble: 6 }] } },
              {
                name: 'http.requests',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  // /a: +60 twice in the first minute, then the process restarts (10 since the reset); /b: +30.
                  dataPoints: [...counter('/a', [[0, 100], [20_000, 160], [40_000, 220], [70_000, 10]]), ...counter('/b', [[0, 50], [40_000, 80]])],
                },
              },
              {
                name: 'http.duration',
                unit: 'ms',
                histogram: {
                  aggregationTemporality: 1,
                  dataPoints: [
                    { startTimeUnixNano: ns(m0), timeUnixNano: ns(m0 + 10_000), count: '3', sum: 300, bucketCounts: ['1', '2'], explicitBounds: [100] },
                    { startTimeUnixNano: ns(m0 + 10_000), timeUnixNano: ns(m0 + 20_000), count: '1', sum: 100, bucketCounts: ['1', '0'], explicitBounds: [100] },
                  ],
                },
              },
              {
                // What OTel SDKs send by default: cumulative. +2 observations worth 120 in the first minute, then a restart.
                name: 'http.server.request.duration',
                unit: 's',
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: [
                    { startTimeUnixNano: ns(m0 - 60_000), timeUnixNano: ns(m0 + 10_000), count: '3', sum: 300, bucketCounts: ['1', '2'], explicitBounds: [100] },
                    { startTimeUnixNano: ns(m0 - 60_000), timeUnixNano: ns(m0 + 20_000), count: '5', sum: 420, bucketCounts: ['3', '2'], explicitBounds: [100] },
                    { startTimeUnixNano: ns(m0 + 65_000), timeUnixNano: ns(m0 + 70_000), count: '1', sum: 50, bucketCounts: ['1', '0'], explicitBounds: [100] },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  });
});
afterAll(async () => fl.stop());

const range = `start=${m0 - 60_000}&end=${m0 + 180_000}`;
const series = async (qs: string) => (await fl.get(`/api/v1/projects/default/otel-metrics/series?${range}&${qs}`)).body as Series;

describe('OTLP metrics read back', () => {
  test('the project lists the metrics it sent, with their type, unit, description and services', async () => {
    const metrics = await eventually(async () => {
      const body = (await fl.get(`/api/v1/projects/default/otel-metrics?${range}`)).body as { metrics: Array<{ name: string }> };
      return body.metrics.length === 4 ? body.metrics : null;
    });
    expect(metrics).toEqual([
      { name: 'http.duration', type: 'histogram', unit: 'ms', description: '', services: ['worker'], points: 2 },
      { name: 'http.requests', type: 'sum', unit: '', description: '', services: ['worker'], points: 6 },
      { name: 'http.server.request.duration', type: 'histogram', unit: 's', description: '', services: ['worker'], points: 3 },
      { name: 'queue.depth', type: 'gauge', unit: '1', description: 'jobs waiting', services: ['worker'], points: 2 },
    ]);
  });

  test('a gauge averages, a cumulative counter becomes a rate (a drop is a reset), a histogram its mean', async () => {
    const minute = (offset: number) => new Date(m0 + offset).toISOString().replace('.000Z', 'Z');
    expect(await series('name=queue.depth&step=60')).toMatchObject({ aggregation: 'avg', series: [{ service: 'worker', group: '', points: [{ time: minute(0), value: 5 }] }] });

    const requests = await series('name=http.requests&step=60&groupBy=http.route');
    expect(requests.aggregation).toBe('rate');
    expect(requests.series.map((s) => [s.group, s.points.map((p) => [p.time, +p.value.toFixed(4)])])).toEqual([
      ['/a', [[minute(0), 2], [minute(60_000), +(10 / 60).toFixed(4)]]],
      ['/b', [[minute(0), 0.5]]],
    ]);
    // Not split by route: both routes' increments add up.
    expect((await series('name=http.requests&step=60')).series[0]?.points[0]?.value).toBeCloseTo(2.5, 6);

    expect(await series('name=http.duration&step=60')).toMatchObject({ aggregation: 'mean', unit: 'ms', series: [{ points: [{ time: minute(0), value: 100 }] }] });
    expect(await series('name=http.server.request.duration&step=60')).toMatchObject({
      aggregation: 'mean',
      series: [{ points: [{ time: minute(0), value: 60 }, { time: minute(60_000), value: 50 }] }],
    });
  });

  test("a cumulative series' first point in the range has no increment: a step with only that point has no value, not 0", async () => {
    const minute = (offset: number) => new Date(m0 + offset).toISOString().replace('.000Z', 'Z');
    const late = (await fl.get(`/api/v1/projects/default/otel-metrics/series?start=${m0 + 30_000}&end=${m0 + 180_000}&name=http.requests&step=60&groupBy=http.route`)).body as Series;
    // /a: 220 at 40 s is its first point here, then the reset to 10; /b has a single point in the range
    expect(late.series.map((s) => [s.group, s.points.map((p) => [p.time, +p.value.toFixed(4)])])).toEqual([['/a', [[minute(60_000), +(10 / 60).toFixed(4)]]]]);
  });

  test('bad input: unknown metric 404, too many steps and bad steps 400', async () => {
    expect((await fl.get(`/api/v1/projects/default/otel-metrics/series?${range}&name=nope`)).status).toBe(404);
    expect((await fl.get(`/api/v1/projects/default/otel-metrics/series?start=0&end=${m0}&name=queue.depth&step=10`)).status).toBe(400);
    expect((await fl.get(`/api/v1/projects/default/otel-metrics/series?${range}&name=queue.depth&step=5`)).status).toBe(400);
    expect((await fl.get(`/api/v1/projects/default/otel-metrics/series?${range}`)).status).toBe(400);
    const inverted = await fl.get(`/api/v1/projects/default/otel-metrics?start=${m0}&end=${m0 - 1}`);
    expect(inverted.status).toBe(400);
    expect(JSON.stringify(inverted.body)).toContain('query parameter \\"start\\": \\"start\\" must not be after \\"end\\"');
  });
});
