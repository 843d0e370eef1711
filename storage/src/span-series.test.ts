import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { spanSeries, type SpanSeriesQuery } from './span-series.ts';
import { insertSpans } from './spans-writer.ts';
import { makeSpan } from './testing/make-span.ts';
import { openTempDatabase } from './testing/temp-database.ts';

let db: Database;
let cleanup: () => Promise<void>;
const MIN = 60_000_000_000n;
// Ten whole minutes ago, on a minute boundary: the buckets below are exact.
const t0 = ((BigInt(Date.now()) * 1_000_000n) / MIN - 10n) * MIN;
const ms = (ns: bigint) => Number(ns / 1_000_000n);

beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
  const spans = [];
  let n = 0;
  const add = (minute: bigint, route: string, durationMs: number, error = false, service = 'api') => {
    n += 1;
    const start = t0 + minute * MIN + BigInt(n) * 1_000_000n;
    spans.push({
      projectId: 1,
      span: makeSpan({
        traceId: n.toString(16).padStart(32, 'a'),
        spanId: n.toString(16).padStart(16, 'b'),
        serviceName: service,
        resource: { 'service.name': service, region: 'eu' },
        name: `GET ${route}`,
        attributes: route === '/none' ? {} : { 'http.route': route },
        startTimeUnixNano: start,
        endTimeUnixNano: start + BigInt(durationMs) * 1_000_000n,
        statusCode: error ? 2 : 0,
      }),
    });
  };
  for (let i = 0; i < 10; i++) add(0n, '/cart', 10 * (i + 1), i === 0);
  for (let i = 0; i < 4; i++) add(1n, '/cart', 100);
  for (let i = 0; i < 3; i++) add(1n, '/pay', 500, i < 2);
  add(2n, '/none', 7);
  add(2n, '/cart', 1, false, 'web');
  // another project's span in the same minute is never counted
  spans.push({ projectId: 2, span: makeSpan({ serviceName: 'api', startTimeUnixNano: t0, endTimeUnixNano: t0 + 1n }) });
  await insertSpans(db, spans);
});
afterAll(async () => cleanup());

const base: SpanSeriesQuery = { projectId: 1, startNs: t0, endNs: t0 + 5n * MIN, attributes: [], stepSeconds: 60, maxGroups: 10 };

describe('span series', () => {
  test('ungrouped: calls, errors and percentiles per bucket of the filtered spans', async () => {
    const [all] = await spanSeries(db, { ...base, service: 'api' });
    expect(all?.group).toBe('');
    expect(all?.points.map((p) => [p.timeMs, p.calls, p.errors])).toEqual([
      [ms(t0), 10, 1],
      [ms(t0 + MIN), 7, 2],
      [ms(t0 + 2n * MIN), 1, 0],
    ]);
    expect([all?.calls, all?.errors]).toEqual([18, 3]);
    const first = all?.points[0];
    // durations 10…100 ms: the median is ~55 ms, p99 near 100 ms (t-digest, exact enough at ten values)
    expect(Number(first?.p50DurationNano) / 1e6).toBeGreaterThanOrEqual(50);
    expect(Number(first?.p50DurationNano) / 1e6).toBeLessThanOrEqual(60);
    expect(Number(first?.p99DurationNano) / 1e6).toBeGreaterThanOrEqual(95);
  });

  test('grouped by an attribute: the biggest groups first, spans without the key as ""; filters apply', async () => {
    const groups = await spanSeries(db, { ...base, groupBy: 'attr.http.route' });
    expect(groups.map((g) => [g.group, g.calls, g.errors])).toEqual([
      ['/cart', 15, 1],
      ['/pay', 3, 2],
      ['', 1, 0],
    ]);
    const top = await spanSeries(db, { ...base, groupBy: 'attr.http.route', maxGroups: 1 });
    expect(top.map((g) => g.group)).toEqual(['/cart']);
    // a resource attribute answers when the span has no such key
    expect((await spanSeries(db, { ...base, groupBy: 'attr.region' })).map((g) => [g.group, g.calls])).toEqual([['eu', 19]]);
    const slowPay = await spanSeries(db, { ...base, groupBy: 'service', minDurationNs: 200n * 1_000_000n });
    expect(slowPay.map((g) => [g.group, g.calls])).toEqual([['api', 3]]);
    const byStatus = await spanSeries(db, { ...base, groupBy: 'status', attributes: [{ key: 'http.route', value: '/pay' }] });
    expect(byStatus.map((g) => [g.group, g.calls])).toEqual([
      ['ERROR', 2],
      ['UNSET', 1],
    ]);
  });

  test('a step of five minutes folds the buckets; an injection in the group key is only a key', async () => {
    const [all] = await spanSeries(db, { ...base, stepSeconds: 300 });
    expect(all?.calls).toBe(19);
    expect(all?.points.length).toBeLessThanOrEqual(2);
    const odd = await spanSeries(db, { ...base, groupBy: "attr.x') OR 1=1 --" });
    expect(odd.map((g) => [g.group, g.calls])).toEqual([['', 19]]);
  });
});
