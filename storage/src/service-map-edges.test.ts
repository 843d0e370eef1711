import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { serviceMapEdges } from './metrics-reader.ts';
import { openTempDatabase } from './testing/temp-database.ts';
import { nanosToDateTime64 } from './time.ts';

let db: Database;
let cleanup: () => Promise<void>;
const HOUR = 3_600_000;
/** Two whole hours ago: every row below falls in [base, base + 1 h). */
const base = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;

beforeAll(async () => ({ db, cleanup } = await openTempDatabase()));
afterAll(async () => cleanup());

/** Edge observations as the collector writes them: one per call, or a retraction of a host call. */
function call(target: string, kind: 'service' | 'peer' | 'retracted', minute: number, ms: number, error = false) {
  const at = BigInt(base + minute * 60_000 + 30_000) * 1_000_000n;
  return { ProjectId: 1, Source: 'checkout', Target: target, TargetKind: kind, Timestamp: nanosToDateTime64(at), Duration: String(ms * 1_000_000), Error: error };
}

test('service map: host calls found to reach a service are subtracted from the host; a host left without calls is no edge', async () => {
  await db.insert('service_edge_calls', [
    // api.stripe.com: 10 external calls (every 5th failed), none retracted
    ...Array.from({ length: 10 }, (_, i) => call('api.stripe.com', 'peer', i, 300, i % 5 === 0)),
    // orders.internal: 6 host calls whose child in 'orders' came later — each counted at orders, retracted at the host
    ...Array.from({ length: 6 }, (_, i) => call('orders.internal', 'peer', i, 100, i === 0)),
    ...Array.from({ length: 6 }, (_, i) => call('orders', 'service', i, 100, i === 0)),
    ...Array.from({ length: 6 }, (_, i) => call('orders.internal', 'retracted', i, 100, i === 0)),
    // gateway.internal: 4 calls; 3 reached an instrumented service (retracted), 1 failed before reaching one
    ...Array.from({ length: 4 }, (_, i) => call('gateway.internal', 'peer', 20 + i, 50, i === 3)),
    ...Array.from({ length: 3 }, (_, i) => call('gateway.internal', 'retracted', 20 + i, 50)),
    ...Array.from({ length: 3 }, (_, i) => call('search', 'service', 20 + i, 50)),
  ]);
  // A retraction whose call's own row was never written (its insert failed) takes nothing below zero.
  await db.insert('service_edge_calls', [call('lost.internal', 'retracted', 30, 10)]);
  const edges = await serviceMapEdges(db, { projectId: 1, startMs: base, endMs: base + HOUR, apdexMs: 500 });
  expect(edges.map(({ p50DurationNano: _p50, p95DurationNano: _p95, ...e }) => e)).toEqual([
    { source: 'checkout', target: 'api.stripe.com', targetKind: 'peer', callCount: 10, errorCount: 2 },
    { source: 'checkout', target: 'gateway.internal', targetKind: 'peer', callCount: 1, errorCount: 1 },
    { source: 'checkout', target: 'orders', targetKind: 'service', callCount: 6, errorCount: 1 },
    { source: 'checkout', target: 'search', targetKind: 'service', callCount: 3, errorCount: 0 },
  ]);
  expect(edges[0]?.p95DurationNano).toBe(300_000_000);
  // A range holding part of the minutes subtracts the retractions of those minutes only: each sits in its call's minute.
  const firstThree = await serviceMapEdges(db, { projectId: 1, startMs: base, endMs: base + 3 * 60_000, apdexMs: 500 });
  expect(firstThree.map((e) => [e.target, e.callCount])).toEqual([
    ['api.stripe.com', 3],
    ['orders', 3],
  ]);
});
