import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repairTraceIndex } from './crash-repair.ts';
import type { Database } from './database.ts';
import { loadMigrations } from './migrate.ts';
import { logRow, spanRow } from './spans-writer.ts';
import { sql } from './sql.ts';
import { nanosToDateTime64 } from './time.ts';
import { searchTraces } from './trace-search.ts';
import { traceExtent } from './trace-window.ts';
import { readTrace } from './traces-reader.ts';
import { makeLog } from './testing/make-log.ts';
import { makeSpan } from './testing/make-span.ts';
import { openTempDatabase } from './testing/temp-database.ts';

let db: Database;
let cleanup: () => Promise<void>;
const HOUR = 3_600_000_000_000n;
const now = (BigInt(Date.now()) / 1_000_000n) * 1_000_000_000_000n; // whole seconds: bounds below are exact
const slow = 'a'.repeat(32);
const failing = 'b'.repeat(32);
const errorOnly = 'c'.repeat(32);
const logsOnly = 'd'.repeat(32);

/** A trace_index bound as the lookup answers it. */
const dt3 = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString().replace('T', ' ').slice(0, 23);

const errorEvent = (traceId: string, timeNs: bigint, eventId: string) => ({
  ProjectId: 1,
  Timestamp: nanosToDateTime64(timeNs),
  EventId: eventId,
  IssueId: 'issue-1',
  Title: 'TypeError: boom',
  Level: 'error',
  TraceId: traceId,
  SpanId: '2000000000000001',
});

beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
  await db.insert('spans', [
    spanRow(1, makeSpan({ traceId: slow, spanId: '1000000000000001', startTimeUnixNano: now - 2n * HOUR, endTimeUnixNano: now - 2n * HOUR + 1_000_000_000n })),
    spanRow(1, makeSpan({ traceId: failing, spanId: '2000000000000001', startTimeUnixNano: now - 2n * HOUR, endTimeUnixNano: now - 2n * HOUR + 10_000_000n })),
  ]);
  // The failing trace's error event arrives stamped three hours after its spans (a device clock, a retried upload):
  // further from the spans than any fixed margin around them would look.
  await db.insert('error_events', [errorEvent(failing, now + HOUR, 'e1'), errorEvent(errorOnly, now, 'e2')]);
  await db.insert('logs', [
    logRow(1, makeLog({ traceId: failing, spanId: '2000000000000001', timeUnixNano: now - 2n * HOUR + 5_000_000n, body: 'charging' })),
    // a service that logs with the trace id of a request it did not trace (tracing off, or sampled out)
    logRow(1, makeLog({ traceId: logsOnly, spanId: '4000000000000001', timeUnixNano: now - HOUR, body: 'untraced' })),
  ]);
});
afterAll(async () => cleanup());

const linkRows = async () => {
  const [row] = await db.query<{ n: string }>(sql`SELECT count() AS n FROM ${db.table('trace_index')} FINAL WHERE Source != 'span'`);
  return Number(row?.n);
};

describe('trace_index says where a trace’s spans, error events and log records are', () => {
  test('one lookup gives each source’s own bounds; a trace without errors or logs has none', async () => {
    expect(await traceExtent(db, 1, failing)).toEqual({
      spans: { start: dt3(now - 2n * HOUR), end: dt3(now - 2n * HOUR + 11_000_000n) },
      errors: { start: dt3(now + HOUR), end: dt3(now + HOUR + 1_000_000n) },
      logs: { start: dt3(now - 2n * HOUR + 5_000_000n), end: dt3(now - 2n * HOUR + 6_000_000n) },
    });
    expect(await traceExtent(db, 1, slow)).toMatchObject({ errors: null, logs: null });
    expect(await traceExtent(db, 1, errorOnly)).toMatchObject({ spans: null, logs: null });
    expect(await traceExtent(db, 2, failing)).toEqual({ spans: null, errors: null, logs: null });
  });

  test('the trace view finds the error event wherever it lies; a trace known only from an error event shows it without spans', async () => {
    const read = await readTrace(db, 1, failing, { maxSpans: 10, maxLogs: 10 });
    expect(read?.errors).toEqual([{ eventId: 'e1', issueId: 'issue-1', spanId: '2000000000000001', title: 'TypeError: boom', level: 'error' }]);
    expect(read?.logs.map((l) => l.body)).toEqual(['charging']);
    expect(await readTrace(db, 1, slow, { maxSpans: 10, maxLogs: 10 })).toMatchObject({ errors: [], logs: [] });
    expect(await readTrace(db, 1, errorOnly, { maxSpans: 10, maxLogs: 10 })).toEqual({
      spans: [],
      errors: [{ eventId: 'e2', issueId: 'issue-1', spanId: '2000000000000001', title: 'TypeError: boom', level: 'error' }],
      logs: [],
      logsTruncated: false,
    });
    const logged = await readTrace(db, 1, logsOnly, { maxSpans: 10, maxLogs: 10 });
    expect(logged).toMatchObject({ spans: [], errors: [], logsTruncated: false });
    expect(logged?.logs.map((l) => l.body)).toEqual(['untraced']);
    // another project's trace of the same id stays unknown
    expect(await readTrace(db, 2, errorOnly, { maxSpans: 10, maxLogs: 10 })).toBeNull();
  });

  test('durations and search windows come from the spans alone', async () => {
    // With the error event's row counted, the failing trace would last three hours and sort first.
    const page = await searchTraces(db, { projectId: 1, startNs: now - 3n * HOUR, endNs: now + 2n * HOUR, attributes: [], sort: 'duration', limit: 10 });
    expect(page.traces.map((t) => [t.traceId, t.durationNano])).toEqual([
      [slow, '1000000000'],
      [failing, '10000000'],
    ]);
  });

  test('the migration fills the rows for error events and log records stored before it, and a repeat changes nothing', async () => {
    const extent = await traceExtent(db, 1, failing);
    await db.command(sql`ALTER TABLE ${db.table('trace_index')} DELETE WHERE Source != 'span'`, { mutations_sync: '1' });
    expect(await traceExtent(db, 1, failing)).toMatchObject({ errors: null, logs: null });
    const migration = loadMigrations({ database: 'faultline', cluster: '', retentionDays: 14, embedded: true }).find((m) => m.version === 27);
    const backfill = migration?.statements.filter((s) => s.startsWith('INSERT INTO')) ?? [];
    expect(backfill).toHaveLength(2);
    for (const s of [...backfill, ...backfill]) await db.command(s);
    expect(await traceExtent(db, 1, failing)).toEqual(extent);
    expect(await traceExtent(db, 1, errorOnly)).toMatchObject({ errors: { start: dt3(now) } });
    expect(await linkRows()).toBe(4);
  });

  test('after a crash the start re-derives the rows of the newest error events and log records', async () => {
    const extent = await traceExtent(db, 1, failing);
    // what a kill -9 between a table's part and its view's part leaves
    await db.command(sql`ALTER TABLE ${db.table('trace_index')} DELETE WHERE Source != 'span'`, { mutations_sync: '1' });
    expect(await repairTraceIndex(db)).toBe(2 + 2 + 2);
    expect(await traceExtent(db, 1, failing)).toEqual(extent);
    expect(await linkRows()).toBe(4);
  });
});
