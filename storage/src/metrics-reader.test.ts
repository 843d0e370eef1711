import type { SpanKindValue } from '@faultline/proto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { apdexFromHistogram, operationRed, serviceMapEdges, serviceNames, serviceRates, serviceRed, serviceSeries, type RangeQuery } from './metrics-reader.ts';
import { spanRow } from './spans-writer.ts';
import { makeSpan } from './testing/make-span.ts';
import { openTempDatabase } from './testing/temp-database.ts';
import { nanosToDateTime64 } from './time.ts';

let db: Database;
let cleanup: () => Promise<void>;
const HOUR = 3_600_000;
/** Five whole hours ago, so the data covers partial and whole hours of a range ending now. */
const base = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR;

/** One server span every 10 minutes for 4.5 hours, 10 ms + i µs long; every 7th fails. */
function spans(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < 27; i++) {
    const start = BigInt(base + 20 * 60_000 + i * 10 * 60_000) * 1_000_000n;
    rows.push(
      spanRow(
        1,
        makeSpan({
          traceId: i.toString(16).padStart(32, '0'),
          spanId: (i + 1).toString(16).padStart(16, '0'),
          kind: 2,
          name: i % 2 ? 'GET /a' : 'GET /b',
          statusCode: i % 7 === 0 ? 2 : 0,
          startTimeUnixNano: start,
          endTimeUnixNano: start + 10_000_000n + BigInt(i) * 1000n,
        }),
      ),
    );
  }
  return rows;
}

beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
  // Two inserts, so the hourly rollup merges states of several blocks per hour.
  const rows = spans();
  await db.insert('spans', rows.slice(0, 13));
  await db.insert('spans', rows.slice(13));
});

afterAll(async () => cleanup());

const range = (startMs: number, endMs: number): RangeQuery => ({ projectId: 1, startMs, endMs, apdexMs: 500 });

test('RED over a range with whole hours (rollup + minute edges) counts exactly what the minutes hold', async () => {
  // 00:25 → 04:35 after base: partial first hour, three whole hours, partial last hour.
  const q = range(base + 25 * 60_000, base + 4 * HOUR + 35 * 60_000);
  // Span i starts 20 + 10·i minutes after base: i = 1…25 fall inside.
  const expected = Array.from({ length: 27 }, (_, i) => i).filter((i) => i >= 1 && i <= 25);
  const [service] = await serviceRed(db, q);
  expect(service?.calls).toBe(expected.length);
  expect(service?.errors).toBe(expected.filter((i) => i % 7 === 0).length);
  expect(service?.p50DurationNano).toBeGreaterThan(9_000_000);
  expect(service?.p50DurationNano).toBeLessThan(11_000_000);
  const ops = await operationRed(db, q, 'checkout');
  expect(ops.reduce((n, o) => n + o.calls, 0)).toBe(expected.length);
  expect(await serviceNames(db, 1, q.startMs, q.endMs)).toEqual(['checkout']);
  const [rates] = await serviceRates(db, q);
  expect(rates).toMatchObject({ name: 'checkout', calls: service?.calls, errors: service?.errors, requestRate: service?.requestRate });
});

test('a service is measured by its entry spans when it has any, else by all its spans, in partial and whole hours alike', async () => {
  // Project 2: "web" has server spans (20 ms) and client spans (1 ms, failing); "worker" has internal spans only.
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    const start = BigInt(base + 30 * 60_000 + i * 20 * 60_000) * 1_000_000n;
    const span = (n: number, service: string, kind: SpanKindValue, ms: number, failed: boolean) =>
      spanRow(
        2,
        makeSpan({
          traceId: (100 + i).toString(16).padStart(32, '0'),
          spanId: (n * 100 + i + 1).toString(16).padStart(16, '0'),
          kind,
          statusCode: failed ? 2 : 0,
          startTimeUnixNano: start,
          endTimeUnixNano: start + BigInt(ms) * 1_000_000n,
          serviceName: service,
          resource: { 'service.name': service },
        }),
      );
    rows.push(span(1, 'web', 2, 20, false), span(2, 'web', 3, 1, true), span(3, 'worker', 1, 5, i % 2 === 0));
  }
  await db.insert('spans', rows);
  // 00:40 → 04:05 after base: spans 1…10 (30 + 20·i minutes), across partial and whole hours.
  const q = { ...range(base + 40 * 60_000, base + 4 * HOUR + 5 * 60_000), projectId: 2 };
  const red = await serviceRed(db, q);
  expect(red.map((r) => [r.name, r.calls, r.errors])).toEqual([
    ['web', 10, 0],
    ['worker', 10, 5],
  ]);
  expect(red[0]?.p50DurationNano).toBeGreaterThan(15_000_000);
  expect(red[1]?.p50DurationNano).toBeLessThan(8_000_000);
  // A range inside one hour reads the minutes alone.
  const inHour = await serviceRed(db, { ...range(base + HOUR + 5 * 60_000, base + HOUR + 55 * 60_000), projectId: 2 });
  expect(inHour.map((r) => [r.name, r.calls])).toEqual([
    ['web', 3],
    ['worker', 3],
  ]);
  // The series measure each bucket the same way, in hourly buckets (rollup and minutes) and in 10-minute ones.
  const totals = (series: Array<{ calls: number; errors: number }>) => [series.reduce((n, b) => n + b.calls, 0), series.reduce((n, b) => n + b.errors, 0)];
  for (const step of [3600, 600]) {
    const web = await serviceSeries(db, q, 'web', step);
    expect(totals(web), `web, step ${step}`).toEqual([10, 0]);
    for (const b of web.filter((x) => x.calls > 0)) expect(b.p50DurationNano).toBeGreaterThan(15_000_000);
    expect(totals(await serviceSeries(db, q, 'worker', step)), `worker, step ${step}`).toEqual([10, 5]);
  }
});

test('hourly series read the rollup and sub-hour series the minutes; both add up to the range', async () => {
  const q = range(base, base + 5 * HOUR - 1);
  const hourly = await serviceSeries(db, q, 'checkout', 3600);
  const tenMinutes = await serviceSeries(db, q, 'checkout', 600);
  expect(hourly.map((b) => b.calls)).toEqual([4, 6, 6, 6, 5]);
  expect(tenMinutes.reduce((n, b) => n + b.calls, 0)).toBe(27);
  expect(tenMinutes).toHaveLength(30);
});

test('service map: one edge per pair, the kinds of a pair added up (each call is written under one kind)', async () => {
  const at = BigInt(base + 2 * HOUR) * 1_000_000n;
  const call = (target: string, kind: string, i: number, ms: number, error = false) => ({
    ProjectId: 1,
    Source: 'gateway',
    Target: target,
    TargetKind: kind,
    Timestamp: nanosToDateTime64(at + BigInt(i) * 1_000_000_000n),
    Duration: String(ms * 1_000_000),
    Error: error,
  });
  await db.insert('service_edge_calls', [
    ...Array.from({ length: 30 }, (_, i) => call('orders', 'peer', i, 100, i % 3 === 0)),
    ...Array.from({ length: 10 }, (_, i) => call('orders', 'service', i, 100)),
    ...Array.from({ length: 5 }, (_, i) => call('postgresql', 'peer', i, 4)),
  ]);
  const edges = await serviceMapEdges(db, range(base, base + 5 * HOUR));
  expect(edges.map(({ p50DurationNano: _p50, p95DurationNano: _p95, ...e }) => e)).toEqual([
    { source: 'gateway', target: 'orders', targetKind: 'service', callCount: 40, errorCount: 10 },
    { source: 'gateway', target: 'postgresql', targetKind: 'peer', callCount: 5, errorCount: 0 },
  ]);
  expect(edges[0]?.p95DurationNano).toBe(100_000_000);
});

test('Apdex counts failed calls as frustrated, spread over the latency buckets like the rest', () => {
  // Bucket 41 holds 9.3–11.6 ms: satisfied at T = 500 ms, tolerating at T = 5 ms (≤ 4T).
  expect(apdexFromHistogram([41], [10], 500, 0)).toBe(1);
  expect(apdexFromHistogram([41], [10], 500, 5)).toBe(0.5);
  expect(apdexFromHistogram([41], [10], 5, 0)).toBe(0.5);
  expect(apdexFromHistogram([41], [10], 5, 5)).toBe(0.25);
  // half satisfied, half frustrated (bucket 90: ~5 s), a quarter of the calls failed
  expect(apdexFromHistogram([41, 90], [20, 20], 500, 10)).toBeCloseTo(0.5 * 0.75);
  expect(apdexFromHistogram([41], [10], 500, 10)).toBe(0);
  expect(apdexFromHistogram([41], [10], 500, 12)).toBe(0);
  expect(apdexFromHistogram([], [], 500, 0)).toBeNull();
  expect(apdexFromHistogram([41], [0], 500, 0)).toBeNull();
});

test('RED carries the error-aware Apdex (services, operations, series)', async () => {
  const q = range(base, base + 5 * HOUR);
  // 27 calls of ~10 ms, 4 failed (i = 0, 7, 14, 21): all satisfied at 500 ms, so Apdex = 1 − 4/27.
  const [service] = await serviceRed(db, q);
  expect(service?.errors).toBe(4);
  expect(service?.apdex).toBeCloseTo(1 - 4 / 27, 10);
  const ops = await operationRed(db, q, 'checkout');
  for (const o of ops) expect(o.apdex).toBeCloseTo(1 - o.errors / o.calls, 10);
  const hourly = await serviceSeries(db, q, 'checkout', 3600);
  for (const b of hourly) expect(b.apdex).toBe(b.calls === 0 ? null : 1 - b.errors / b.calls);
});

test('a range ending on a minute leaves out the minute that starts at its end: adjacent ranges never count a call twice', async () => {
  // Project 3: one server span at second 30 of every minute of two hours; a call to "db" from each.
  const from = base + 3 * HOUR;
  const rows: Record<string, unknown>[] = [];
  const calls: Record<string, unknown>[] = [];
  for (let m = 0; m < 120; m++) {
    const start = BigInt(from + m * 60_000 + 30_000) * 1_000_000n;
    rows.push(spanRow(3, makeSpan({ traceId: (500 + m).toString(16).padStart(32, '0'), kind: 2, startTimeUnixNano: start, endTimeUnixNano: start + 5_000_000n })));
    calls.push({ ProjectId: 3, Source: 'checkout', Target: 'db', TargetKind: 'peer', Timestamp: nanosToDateTime64(start), Duration: '1000000', Error: false });
  }
  await db.insert('spans', rows);
  await db.insert('service_edge_calls', calls);
  const q = (startMs: number, endMs: number) => ({ ...range(startMs, endMs), projectId: 3 });
  const callsIn = async (startMs: number, endMs: number) => (await serviceRed(db, q(startMs, endMs)))[0]?.calls ?? 0;
  // Whole hours (rollup), a range inside an hour (minutes), and one across the hour: 60, 60, 10 calls.
  expect(await callsIn(from, from + HOUR)).toBe(60);
  expect(await callsIn(from + HOUR, from + 2 * HOUR)).toBe(60);
  expect(await callsIn(from + 55 * 60_000, from + 65 * 60_000)).toBe(10);
  // The hour before the data holds none of it.
  expect(await serviceRed(db, q(from - HOUR, from))).toEqual([]);
  expect((await operationRed(db, q(from, from + HOUR), 'checkout'))[0]?.calls).toBe(60);
  expect((await serviceMapEdges(db, q(from, from + HOUR)))[0]?.callCount).toBe(60);
  expect((await serviceRates(db, q(from, from + HOUR)))[0]?.calls).toBe(60);
  // A series has one bucket per step of the range, none past its end.
  const minutes = await serviceSeries(db, q(from + 50 * 60_000, from + 60 * 60_000), 'checkout', 60);
  expect(minutes.map((b) => b.calls)).toEqual(Array.from({ length: 10 }, () => 1));
  const hours = await serviceSeries(db, q(from, from + 2 * HOUR), 'checkout', 3600);
  expect(hours.map((b) => b.calls)).toEqual([60, 60]);
});
