import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { missingViews, relayoutTable, RELAYOUTS } from './relayout.ts';
import { spanRow } from './spans-writer.ts';
import { sql } from './sql.ts';
import { makeSpan } from './testing/make-span.ts';
import { openTempDatabase } from './testing/temp-database.ts';
import { nanosToDateTime64 } from './time.ts';
import { getTrace } from './traces-reader.ts';

let db: Database;
let cleanup: () => Promise<void>;
const statements = () => loadMigrations({ database: 'faultline', cluster: '', retentionDays: 14, embedded: true }).flatMap((m) => m.statements);
const now = BigInt(Date.now()) * 1_000_000n;
const span = (trace: string, id: string, offsetMs: number) =>
  spanRow(1, makeSpan({ traceId: trace.repeat(32), spanId: id.repeat(16), startTimeUnixNano: now + BigInt(offsetMs) * 1_000_000n }));

async function count(table: string): Promise<number> {
  const rows = await db.query<{ n: string }>(sql`SELECT toString(count()) AS n FROM ${db.table(table as 'spans')}`);
  return Number(rows[0]?.n);
}

let callsBefore = 0;

/** One call from checkout to payments, as the collector writes it. */
async function edgeCall(): Promise<void> {
  await db.insert('service_edge_calls', [
    { ProjectId: 1, Source: 'checkout', Target: 'payments', TargetKind: 'service', Timestamp: nanosToDateTime64(now), Duration: 1_000_000, Error: false },
  ]);
}

async function edgeCalls(): Promise<number> {
  const rows = await db.query<{ n: string }>(sql`SELECT toString(sum(Calls)) AS n FROM ${db.table('service_edges')}`);
  return Number(rows[0]?.n);
}

/** Calls of a RED rollup, read as the API reads them (through its Buffer table). */
async function calls(table: 'span_metrics_1m' | 'span_metrics_1h'): Promise<number> {
  const rows = await db.query<{ n: string }>(sql`SELECT toString(sum(Calls)) AS n FROM ${db.rollup(table)}`);
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
  // An install from before the current layouts: the old sorting keys (and column types), with views attached.
  const all = statements();
  const touched = /(FROM|TO) `faultline`\.(spans|span_metrics_1[mh]|service_metrics_1[mh]|service_edges|trace_index)\b(?!_)/;
  // The last definition of each view (a later migration may define one again).
  const latest = new Map(all.filter((s) => s.startsWith('CREATE MATERIALIZED VIEW')).map((s) => [/`faultline`\.\w+/.exec(s)?.[0], s]));
  const views = [...latest.values()].filter((s) => touched.test(s));
  for (const v of views) await db.command(`DROP VIEW ${/`faultline`\.\w+/.exec(v)?.[0] ?? ''}`);
  // (rollups of t-digest states had the engine's 8,192-row granules)
  const create = (table: string) =>
    (all.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS \`faultline\`.${table} `)) ?? '').replace('\nSETTINGS index_granularity = 256', '');
  const oldSpans = create('spans')
    .replace('ORDER BY (ProjectId, toStartOfHour(Timestamp), TraceId, Timestamp)', 'ORDER BY (ProjectId, ServiceName, SpanName, toDateTime(Timestamp))')
    .replace('ResourceAttributes Map(LowCardinality(String), LowCardinality(String))', 'ResourceAttributes Map(LowCardinality(String), String)');
  expect(oldSpans).toContain('toDateTime(Timestamp))');
  const oldMetrics = create('span_metrics_1m').replace('ORDER BY (ProjectId, toStartOfHour(Minute), ServiceName,', 'ORDER BY (ProjectId, ServiceName,');
  expect(oldMetrics).toContain('ORDER BY (ProjectId, ServiceName, SpanName, SpanKind, Release, Minute)');
  const oldEdges = create('service_edges').replace('ORDER BY (ProjectId, toStartOfHour(Minute), Source,', 'ORDER BY (ProjectId, Source,');
  expect(oldEdges).toContain('ORDER BY (ProjectId, Source, Target, TargetKind, Minute)');
  const oldIndex = create('trace_index').replace('PARTITION BY toMonday(Start)', 'PARTITION BY toDate(Start)').replace('index_granularity = 1024', 'index_granularity = 1024, ttl_only_drop_parts = 1');
  expect(oldIndex).toContain('ttl_only_drop_parts = 1');
  const oldRollups = ['span_metrics_1h', 'service_metrics_1m', 'service_metrics_1h'].map((t) => [t, create(t)]);
  expect(oldRollups.every(([, statement]) => !statement?.includes('index_granularity'))).toBe(true);
  const oldTables = [['spans', oldSpans], ['span_metrics_1m', oldMetrics], ['service_edges', oldEdges], ['trace_index', oldIndex], ...oldRollups];
  for (const [table, statement] of oldTables) {
    await db.command(`DROP TABLE faultline.${table}`);
    await db.command(statement as string);
    // …changed by the later migrations as that install ran them (0021's settings, 0022's column and TTL)
    for (const alter of all.filter((s) => s.startsWith(`ALTER TABLE \`faultline\`.${table as string} `))) await db.command(alter);
  }
  for (const v of views) await db.command(v);
  await db.insert('spans', [span('a', '1', 0), span('a', '2', 5), span('b', '3', 10)]);
  await edgeCall();
  callsBefore = await calls('span_metrics_1m');
  expect(callsBefore).toBe(3);
});

afterAll(async () => cleanup());

test('an old install is converted on start: every span kept, views attached again, repeat starts change nothing', async () => {
  const before = await count('trace_index');
  expect(await migrate(db)).toEqual([]);
  const key = await db.query<{ key: string }>(sql`SELECT sorting_key AS key FROM system.tables WHERE database = 'faultline' AND name = 'spans'`);
  expect(key[0]?.key).toBe('ProjectId, toStartOfHour(Timestamp), TraceId, Timestamp');
  // The copy was made from 0002's CREATE: the settings 0021 gave the table came along.
  const create = await db.query<{ q: string }>(sql`SELECT create_table_query AS q FROM system.tables WHERE database = 'faultline' AND name = 'spans'`);
  expect(create[0]?.q).toContain("map_serialization_version = 'with_buckets'");
  expect(await count('spans')).toBe(3);
  expect((await getTrace(db, 1, 'a'.repeat(32), 100))?.map((s) => s.spanId)).toEqual(['1'.repeat(16), '2'.repeat(16)]);
  const staging = await db.query(sql`SELECT name FROM system.tables WHERE database = 'faultline' AND name = 'spans_relayout'`);
  expect(staging).toHaveLength(0);

  // The views fire for new rows (and were not fed the copied rows a second time).
  expect(await count('trace_index')).toBe(before);
  await db.insert('spans', [span('c', '4', 20)]);
  expect(await count('trace_index')).toBe(before + 1);
  const spans = RELAYOUTS[0];
  expect(await relayoutTable(db, statements(), spans.table, spans.current, spans.key)).toBe('current');
  expect(await count('spans')).toBe(4);
});

test('the RED minutes are sorted by hour after the conversion; both rollups keep their rows and get new ones', async () => {
  const key = await db.query<{ key: string }>(sql`SELECT sorting_key AS key FROM system.tables WHERE database = 'faultline' AND name = 'span_metrics_1m'`);
  expect(key[0]?.key).toBe('ProjectId, toStartOfHour(Minute), ServiceName, SpanName, SpanKind, Release, Minute');
  // The first test converted and then inserted one more span: the view writing minutes follows the new table.
  expect(await calls('span_metrics_1m')).toBe(callsBefore + 1);
  expect(await calls('span_metrics_1h')).toBe(callsBefore + 1);
  const metrics = RELAYOUTS[1];
  expect(await relayoutTable(db, statements(), metrics.table, metrics.current, metrics.key)).toBe('current');
  await db.insert('spans', [span('d', '5', 30)]);
  expect(await calls('span_metrics_1m')).toBe(callsBefore + 2);
  expect(await calls('span_metrics_1h')).toBe(callsBefore + 2);
});

test('service map edges are sorted by hour after the conversion, keep their calls and count new ones', async () => {
  const key = await db.query<{ key: string }>(sql`SELECT sorting_key AS key FROM system.tables WHERE database = 'faultline' AND name = 'service_edges'`);
  expect(key[0]?.key).toBe('ProjectId, toStartOfHour(Minute), Source, Target, TargetKind, Minute');
  expect(await edgeCalls()).toBe(1);
  await edgeCall();
  expect(await edgeCalls()).toBe(2);
  const edges = RELAYOUTS[2];
  expect(await relayoutTable(db, statements(), edges.table, edges.current, edges.key)).toBe('current');
  expect(await edgeCalls()).toBe(2);
});

test('the trace index is partitioned by week after the conversion, keeps its rows, and its views write into it', async () => {
  const table = await db.query<{ key: string; q: string }>(
    sql`SELECT partition_key AS key, create_table_query AS q FROM system.tables WHERE database = 'faultline' AND name = 'trace_index'`,
  );
  expect(table[0]?.key).toBe('toMonday(Start)');
  // later migrations' changes came along (0027's source column in the key); expired rows go one by one
  expect(table[0]?.q).toContain('ORDER BY (ProjectId, TraceId, Source)');
  expect(table[0]?.q).not.toContain('ttl_only_drop_parts');
  expect((await getTrace(db, 1, 'b'.repeat(32), 100))?.map((s) => s.spanId)).toEqual(['3'.repeat(16)]);
  const links = async () => (await db.query<{ n: string }>(sql`SELECT toString(count()) AS n FROM ${db.table('trace_index')} WHERE Source = 'error'`))[0]?.n;
  expect(await links()).toBe('0');
  await db.insert('error_events', [{ ProjectId: 1, Timestamp: nanosToDateTime64(now), EventId: 'e1', IssueId: 'i1', TraceId: 'b'.repeat(32) }]);
  expect(await links()).toBe('1');
  const index = RELAYOUTS[3];
  expect(await relayoutTable(db, statements(), index.table, index.current, index.key)).toBe('current');
  expect(await links()).toBe('1');
});

test('rollups of t-digest states get 256-row granules, keep their rows and go on taking new ones', async () => {
  const granules = await db.query<{ name: string; engine: string }>(
    sql`SELECT name, engine_full AS engine FROM system.tables WHERE database = 'faultline' AND name IN ('span_metrics_1m', 'span_metrics_1h', 'service_metrics_1m', 'service_metrics_1h', 'service_edges')`,
  );
  expect(granules).toHaveLength(5);
  for (const t of granules) expect(t.engine, t.name).toMatch(/index_granularity = 256\b/);
  // One span per earlier test went in after the conversion (the first test's and the RED test's); none was lost.
  const serviceCalls = async (table: 'service_metrics_1m' | 'service_metrics_1h') =>
    Number((await db.query<{ n: string }>(sql`SELECT toString(sum(Calls)) AS n FROM ${db.rollup(table)}`))[0]?.n);
  expect(await serviceCalls('service_metrics_1m')).toBe(callsBefore + 2);
  expect(await serviceCalls('service_metrics_1h')).toBe(callsBefore + 2);
  await db.insert('spans', [span('e', '6', 40)]);
  expect(await calls('span_metrics_1h')).toBe(callsBefore + 3);
  expect(await serviceCalls('service_metrics_1h')).toBe(callsBefore + 3);
  for (const r of RELAYOUTS.filter((x) => x.key === 'engine_full')) {
    expect(await relayoutTable(db, statements(), r.table, r.current, r.key)).toBe('current');
  }
  expect(await serviceCalls('service_metrics_1m')).toBe(callsBefore + 3);
});

test('on a cluster, the views of a converted local table that a node lacks are found to be created again', () => {
  const cluster = loadMigrations({ database: 'fl', cluster: 'prod', retentionDays: 14, embedded: false }).flatMap((m) => m.statements);
  const names = (statements: string[]) => statements.map((s) => /VIEW IF NOT EXISTS `fl`\.(\w+)/.exec(s)?.[1]);
  expect(names(missingViews(cluster, '`fl`.service_edges_local', new Set()))).toEqual(['service_edges_mv']);
  expect(missingViews(cluster, '`fl`.service_edges_local', new Set(['service_edges_mv']))).toEqual([]);
  // The RED minutes are read by two views (hours and per-service minutes) and written by one.
  expect(names(missingViews(cluster, '`fl`.span_metrics_1m_local', new Set())).sort()).toEqual(['service_metrics_1m_mv', 'span_metrics_1h_mv', 'span_metrics_1m_mv']);
  const spans = missingViews(cluster, '`fl`.spans_local', new Set(['trace_index_mv']));
  expect(names(spans)).not.toContain('trace_index_mv');
  expect(spans.every((s) => s.includes('ON CLUSTER `prod`'))).toBe(true);
});
