import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { relayoutSpans } from './relayout-spans.ts';
import { spanRow } from './spans-writer.ts';
import { sql } from './sql.ts';
import { makeSpan } from './testing/make-span.ts';
import { openTempDatabase } from './testing/temp-database.ts';
import { getTrace } from './traces-reader.ts';

let db: Database;
let cleanup: () => Promise<void>;
const statements = () => loadMigrations({ database: 'faultline', cluster: '', retentionDays: 14 }).flatMap((m) => m.statements);
const now = BigInt(Date.now()) * 1_000_000n;
const span = (trace: string, id: string, offsetMs: number) =>
  spanRow(1, makeSpan({ traceId: trace.repeat(32), spanId: id.repeat(16), startTimeUnixNano: now + BigInt(offsetMs) * 1_000_000n }));

async function count(table: string): Promise<number> {
  const rows = await db.query<{ n: string }>(sql`SELECT toString(count()) AS n FROM ${db.table(table as 'spans')}`);
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
  // An install from before the by-trace layout: the old sorting key and column types, with its views attached.
  const all = statements();
  const views = all.filter((s) => s.startsWith('CREATE MATERIALIZED VIEW') && /FROM `faultline`\.spans\b(?!_)/.test(s));
  for (const v of views) await db.command(`DROP VIEW ${/`faultline`\.\w+/.exec(v)?.[0] ?? ''}`);
  await db.command('DROP TABLE faultline.spans');
  const create = all.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS `faultline`.spans '));
  const old = (create ?? '')
    .replace('ORDER BY (ProjectId, toStartOfHour(Timestamp), TraceId, Timestamp)', 'ORDER BY (ProjectId, ServiceName, SpanName, toDateTime(Timestamp))')
    .replace('ResourceAttributes Map(LowCardinality(String), LowCardinality(String))', 'ResourceAttributes Map(LowCardinality(String), String)');
  expect(old).toContain('toDateTime(Timestamp))');
  await db.command(old);
  for (const v of views) await db.command(v);
  await db.insert('spans', [span('a', '1', 0), span('a', '2', 5), span('b', '3', 10)]);
});

afterAll(async () => cleanup());

test('an old install is converted on start: every span kept, views attached again, repeat starts change nothing', async () => {
  const before = await count('trace_index');
  expect(await migrate(db)).toEqual([]);
  const key = await db.query<{ key: string }>(sql`SELECT sorting_key AS key FROM system.tables WHERE database = 'faultline' AND name = 'spans'`);
  expect(key[0]?.key).toBe('ProjectId, toStartOfHour(Timestamp), TraceId, Timestamp');
  expect(await count('spans')).toBe(3);
  expect((await getTrace(db, 1, 'a'.repeat(32), 100))?.map((s) => s.spanId)).toEqual(['1'.repeat(16), '2'.repeat(16)]);
  const staging = await db.query(sql`SELECT name FROM system.tables WHERE database = 'faultline' AND name = 'spans_relayout'`);
  expect(staging).toHaveLength(0);

  // The views fire for new rows (and were not fed the copied rows a second time).
  expect(await count('trace_index')).toBe(before);
  await db.insert('spans', [span('c', '4', 20)]);
  expect(await count('trace_index')).toBe(before + 1);
  expect(await relayoutSpans(db, statements())).toBe('current');
  expect(await count('spans')).toBe(4);
});
