import { describe, expect, test } from 'vitest';
import { type JsonStyle, type Obj, encodeRequest, jsonBody, jsonRequest, kv, str } from './fixtures/otlp.ts';
import { type MetricPoint, decodeMetrics } from './index.ts';

const T = '1700000000000000000';
const T0 = '1699999990000000000';

function metricsRequest(): Obj {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [kv('service.name', str('api'))] },
        scopeMetrics: [
          {
            scope: { name: 'meter', version: '1' },
            metrics: [
              {
                name: 'queue.depth',
                unit: '{item}',
                description: 'Items waiting',
                gauge: {
                  dataPoints: [
                    { timeUnixNano: T, asDouble: 3.5, attributes: [kv('queue', str('a'))] },
                    { timeUnixNano: T, asInt: '-4' },
                  ],
                },
              },
              {
                name: 'requests',
                unit: '1',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: [{ startTimeUnixNano: T0, timeUnixNano: T, asInt: '9007199254740993' }],
                },
              },
              {
                name: 'latency',
                unit: 'ms',
                histogram: {
                  aggregationTemporality: 1,
                  dataPoints: [
                    {
                      startTimeUnixNano: T0,
                      timeUnixNano: T,
                      count: '6',
                      sum: 0,
                      min: 0,
                      max: 250.5,
                      bucketCounts: ['1', '2', '3'],
                      explicitBounds: [10, 100],
                      flags: 0,
                    },
                    { timeUnixNano: T, count: '0' },
                  ],
                },
              },
              {
                name: 'size',
                unit: 'By',
                exponentialHistogram: {
                  aggregationTemporality: 2,
                  dataPoints: [
                    {
                      timeUnixNano: T,
                      count: '5',
                      sum: 1024,
                      scale: -2,
                      zeroCount: '1',
                      zeroThreshold: 0.001,
                      positive: { offset: -3, bucketCounts: ['2', '2'] },
                      min: 0,
                      max: 900,
                    },
                  ],
                },
              },
              {
                name: 'rpc.duration',
                unit: 's',
                summary: {
                  dataPoints: [
                    {
                      timeUnixNano: T,
                      count: '10',
                      sum: 4.5,
                      quantileValues: [
                        { quantile: 0.5, value: 0.3 },
                        { quantile: 1, value: 1.2 },
                      ],
                    },
                  ],
                },
              },
              { name: 'no.data' },
            ],
          },
        ],
      },
    ],
  };
}

const BASE = {
  description: '',
  serviceName: 'api',
  resource: { 'service.name': 'api' },
  scope: { name: 'meter', version: '1', attributes: {} },
  attributes: {},
  startTimeUnixNano: 0n,
  timeUnixNano: BigInt(T),
  flags: 0,
  value: 0,
  isMonotonic: false,
  aggregationTemporality: 0,
  count: 0,
  sum: null,
  min: null,
  max: null,
  bucketCounts: [],
  explicitBounds: [],
  exponential: null,
  quantiles: [],
} satisfies Partial<MetricPoint>;

const EXPECTED: MetricPoint[] = [
  { ...BASE, name: 'queue.depth', unit: '{item}', description: 'Items waiting', type: 'gauge', value: 3.5, attributes: { queue: 'a' } },
  { ...BASE, name: 'queue.depth', unit: '{item}', description: 'Items waiting', type: 'gauge', value: -4 },
  {
    ...BASE,
    name: 'requests',
    unit: '1',
    type: 'sum',
    startTimeUnixNano: BigInt(T0),
    value: 9007199254740992,
    isMonotonic: true,
    aggregationTemporality: 2,
  },
  {
    ...BASE,
    name: 'latency',
    unit: 'ms',
    type: 'histogram',
    startTimeUnixNano: BigInt(T0),
    aggregationTemporality: 1,
    count: 6,
    sum: 0,
    min: 0,
    max: 250.5,
    bucketCounts: [1, 2, 3],
    explicitBounds: [10, 100],
  },
  { ...BASE, name: 'latency', unit: 'ms', type: 'histogram', aggregationTemporality: 1 },
  {
    ...BASE,
    name: 'size',
    unit: 'By',
    type: 'exponential_histogram',
    aggregationTemporality: 2,
    count: 5,
    sum: 1024,
    min: 0,
    max: 900,
    exponential: {
      scale: -2,
      zeroCount: 1,
      zeroThreshold: 0.001,
      positive: { offset: -3, bucketCounts: [2, 2] },
      negative: { offset: 0, bucketCounts: [] },
    },
  },
  {
    ...BASE,
    name: 'rpc.duration',
    unit: 's',
    type: 'summary',
    count: 10,
    sum: 4.5,
    quantiles: [
      { quantile: 0.5, value: 0.3 },
      { quantile: 1, value: 1.2 },
    ],
  },
];

describe('decodeMetrics', () => {
  test('protobuf: every point type flattened, in request order', () => {
    const result = decodeMetrics(encodeRequest('metrics', metricsRequest()), 'protobuf');
    expect(result).toEqual({ items: EXPECTED, rejected: [], stats: { received: 7, truncatedValues: 0, droppedAttributes: 0 } });
  });

  const styles: Record<string, JsonStyle> = {
    canonical: {},
    'temporality as numbers, int64 as numbers': { enumNames: false, int64AsNumbers: true },
    'snake_case with unknown fields': { snakeCase: true, unknownFields: true },
  };
  for (const [name, style] of Object.entries(styles)) {
    test(`JSON, ${name}: same points as protobuf`, () => {
      const result = decodeMetrics(jsonRequest('metrics', metricsRequest(), style), 'json');
      expect(result.rejected).toEqual([]);
      expect(result.items).toEqual(EXPECTED);
    });
  }

  test('invalid points are rejected with their flattened index; the rest is kept', () => {
    const body = jsonBody({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { name: 'g', gauge: { dataPoints: [{ timeUnixNano: T, asDouble: 1 }, { asDouble: 2 }] } },
                { name: 's', sum: { dataPoints: [{ timeUnixNano: T }, { timeUnixNano: T, flags: 1 }] } },
                { name: 'h', histogram: { dataPoints: [{ timeUnixNano: T, bucketCounts: ['1', '1'], explicitBounds: [1, 2] }] } },
              ],
            },
          ],
        },
      ],
    });
    const result = decodeMetrics(body, 'json');
    expect(result.rejected).toEqual([
      { index: 1, reason: 'data point 1 (g): time_unix_nano is 0' },
      { index: 2, reason: 'data point 2 (s): number data point has neither as_double nor as_int' },
      { index: 4, reason: 'data point 4 (h): histogram has 2 bucket counts for 2 explicit bounds, expected 3' },
    ]);
    expect(result.items.map((p) => [p.name, p.value])).toEqual([
      ['g', 1],
      ['s', NaN],
    ]);
    expect(result.stats.received).toBe(5);
  });

  test('JSON: aggregation temporality by name', () => {
    const body = jsonBody({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'c',
                  sum: {
                    aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
                    dataPoints: [{ timeUnixNano: T, asInt: 3 }],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(decodeMetrics(body, 'json').items[0]).toMatchObject({ aggregationTemporality: 1, value: 3, isMonotonic: false });
  });
});
