/**
 * Evidence for the fixes bench/query.ts's report proposes, on a data directory it seeded (--data-dir):
 *
 *  1. spans sorted by trace within the hour — ORDER BY (ProjectId, toStartOfHour(Timestamp), TraceId) — instead of
 *     (ProjectId, ServiceName, SpanName, toDateTime(Timestamp)): bytes per span, trace by id, searches;
 *  2. the same with 1 MiB granules (index_granularity_bytes) — fewer rows decompressed per trace lookup;
 *  3. an hourly rollup of span_metrics_1m for RED over long ranges, and a cheap "known services" query.
 *
 * Copies go into database bench_exp (dropped first). Run with nothing else using the directory:
 *   npm exec -- node bench/query-lib/layout-experiment.ts --data-dir /tmp/faultline-query-10m [--rounds 20] [--keep] [--reuse]
 * (--keep leaves bench_exp in place, --reuse measures the copies a --keep run left instead of copying again)
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { ident, nanosToDateTime64, openDatabase, sql, typed, type Ident, type Sql } from '@faultline/storage';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    rounds: { type: 'string' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
  },
});
const dataDir = values['data-dir'];
if (!dataDir) throw new Error('--data-dir <dir seeded by bench/query.ts> is required');
const rounds = Number(values.rounds ?? 20);
const EXP = 'bench_exp';
const DT9 = "DateTime64(9, 'UTC')";
const HOUR = 3_600_000;

const db = await openDatabase({
  dataDir,
  clickhouseUrl: '',
  cluster: '',
  database: 'faultline',
  retentionDays: 14,
  queryTimeoutSeconds: 600,
  maxResultRows: 10_000_000,
});
const log = (s: string) => console.log(s);

async function measure(statement: (i: number) => Sql, n = rounds): Promise<{ wall: number; cpu: number; rows: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  let rows = 0;
  for (let i = -2; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    rows = (await db.query(statement(Math.max(0, i)))).length;
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (i >= 0) {
      walls.push(wall);
      cpus.push((c.user + c.system) / 1000);
    }
  }
  const p50 = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! * 10) / 10;
  return { wall: p50(walls), cpu: p50(cpus), rows };
}

async function bytes(table: Ident): Promise<{ rows: number; onDisk: number; perRow: number }> {
  const [database, name] = table.parts as [string, string];
  const r = (
    await db.query<{ rows: number; onDisk: number }>(sql`
      SELECT toUInt64(sum(rows)) AS rows, toUInt64(sum(bytes_on_disk)) AS onDisk FROM system.parts
      WHERE active AND database = ${database} AND table = ${name}`)
  )[0]!;
  return { ...r, perRow: Math.round((r.onDisk / Math.max(1, r.rows)) * 10) / 10 };
}

async function timed(what: string, f: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  await f();
  log(`  ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const meta = (await db.query<{ nowMs: number }>(sql`SELECT nowMs FROM bench_gen.meta LIMIT 1`))[0];
if (!meta) throw new Error(`${dataDir} was not seeded by bench/query.ts`);
const nowMs = Number(meta.nowMs);
const spans = db.table('spans');
const index = db.table('trace_index');
const byTrace = ident(EXP, 'spans_by_trace');
const byTraceSmall = ident(EXP, 'spans_by_trace_1mib');

log(`layout experiment on ${dataDir} (data "now" ${new Date(nowMs).toISOString()})`);
const reuse =
  values.reuse && (await db.query(sql`SELECT 1 FROM system.tables WHERE database = ${EXP} AND name = 'spans_by_trace_1mib'`)).length > 0;
if (!reuse) {
  await db.command(sql`DROP DATABASE IF EXISTS ${ident(EXP)}`);
  await db.command(sql`CREATE DATABASE ${ident(EXP)}`);
}
for (const [table, extra] of reuse
  ? []
  : ([
      [byTrace, sql``],
      [byTraceSmall, sql`, index_granularity_bytes = 1048576`],
    ] as const)) {
  await db.command(sql`CREATE TABLE ${table} AS ${spans}
    ENGINE = MergeTree PARTITION BY toDate(Timestamp) ORDER BY (ProjectId, toStartOfHour(Timestamp), TraceId)
    SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1${extra}`);
  await timed(`copy into ${table.parts.join('.')}`, () =>
    db.command(sql`INSERT INTO ${table} SELECT * FROM ${spans}`, { max_insert_threads: '2', max_execution_time: 0 }),
  );
  await timed(`OPTIMIZE ${table.parts.join('.')} FINAL`, () => db.command(sql`OPTIMIZE TABLE ${table} FINAL`, { max_execution_time: 0 }));
}

const current = await bytes(spans);
const traceIndex = await bytes(index);
log('');
log('bytes on disk per span (index table trace_index included for all):');
for (const [name, t] of [
  ['current (ServiceName, SpanName, time)', spans],
  ['by trace within hour', byTrace],
  ['by trace within hour, 1 MiB granules', byTraceSmall],
] as const) {
  const b = await bytes(t);
  log(`  ${name.padEnd(40)} ${((b.onDisk + traceIndex.onDisk) / current.rows).toFixed(1)} B/span`);
}
const otel = await db.query<{ onDisk: number }>(sql`
  SELECT toUInt64(sum(bytes_on_disk)) AS onDisk FROM system.parts WHERE active AND database = 'bench_otel'`);
if (otel[0]?.onDisk) log(`  ${'otel_traces + otel_traces_trace_id_ts'.padEnd(40)} ${(otel[0].onDisk / current.rows).toFixed(1)} B/span`);
const cols = await db.query<{ table: string; column: string; b: number }>(sql`
  SELECT table, name AS column, toUInt64(data_compressed_bytes) AS b FROM system.columns
  WHERE (database = ${EXP} AND table = 'spans_by_trace') OR (database = 'faultline' AND table = 'spans') ORDER BY table, b DESC`);
for (const t of ['spans', 'spans_by_trace']) {
  log(
    `  columns of ${t}, B/span: ${cols
      .filter((c) => c.table === t)
      .slice(0, 10)
      .map((c) => `${c.column} ${(c.b / current.rows).toFixed(1)}`)
      .join(', ')}`,
  );
}

// Parameters from the data.
const ids = (
  await db.query<{ id: string }>(sql`SELECT TraceId AS id FROM ${index} ORDER BY sipHash64(TraceId) LIMIT ${typed(rounds, 'UInt32')}`)
).map((r) => r.id);
const ops = await db.query<{ s: string; o: string }>(sql`
  SELECT toString(ServiceName) AS s, toString(SpanName) AS o FROM ${db.table('span_metrics_1m')} WHERE SpanKind = 'SERVER'
  GROUP BY ServiceName, SpanName ORDER BY sipHash64(s, o)`);
// Users with a trace in every search window below (windows end 0–19 minutes before "now").
const users = (
  await db.query<{ u: string }>(sql`
    SELECT SpanAttributes['user.id'] AS u FROM ${spans}
    WHERE ParentSpanId = '' AND Timestamp >= ${typed(nanosToDateTime64(BigInt(nowMs - 55 * 60_000) * 1_000_000n), DT9)}
      AND Timestamp <= ${typed(nanosToDateTime64(BigInt(nowMs - 25 * 60_000) * 1_000_000n), DT9)}
    ORDER BY sipHash64(TraceId) LIMIT ${typed(rounds, 'UInt32')}`)
).map((r) => r.u);
const win = (i: number) => {
  const end = nowMs - ((i * 37) % 20) * 60_000;
  return { s: typed(nanosToDateTime64(BigInt(end - HOUR) * 1_000_000n), DT9), e: typed(nanosToDateTime64(BigInt(end) * 1_000_000n), DT9) };
};

const traceSql = (t: Ident, id: string) => sql`
  SELECT * FROM ${t} WHERE ProjectId = 1 AND TraceId = ${id}
    AND Timestamp >= (SELECT min(Start) FROM ${index} WHERE ProjectId = 1 AND TraceId = ${id})
    AND Timestamp <= (SELECT max(End) FROM ${index} WHERE ProjectId = 1 AND TraceId = ${id})
  ORDER BY Timestamp`;
const searchSql = (t: Ident, i: number, filter: Sql) => {
  const w = win(i);
  return sql`
    SELECT TraceId, min(Timestamp) AS start, count() AS n, countIf(StatusCode = 'ERROR') AS errors, groupUniqArray(ServiceName) AS services
    FROM ${t} WHERE ProjectId = 1 AND Timestamp >= ${w.s} - INTERVAL 1 HOUR AND Timestamp <= ${w.e} + INTERVAL 1 HOUR
      AND TraceId IN (SELECT TraceId FROM ${t} WHERE ProjectId = 1 AND Timestamp >= ${w.s} AND Timestamp <= ${w.e} AND ${filter}
                      GROUP BY TraceId ORDER BY min(Timestamp) DESC LIMIT 20)
    GROUP BY TraceId ORDER BY start DESC`;
};

log('');
log(`hand-written SQL on each layout, p50 of ${rounds} (wall ms / CPU ms of this process):`);
for (const [name, t] of [
  ['current', spans],
  ['by trace within hour', byTrace],
  ['by trace, 1 MiB granules', byTraceSmall],
] as const) {
  const trace = await measure((i) => traceSql(t, ids[i % ids.length]!));
  const op = await measure((i) => {
    const x = ops[i % ops.length]!;
    return searchSql(t, i, sql`ServiceName = ${x.s} AND SpanName = ${x.o}`);
  });
  const attr = await measure((i) => searchSql(t, i, sql`SpanAttributes['user.id'] = ${users[i % users.length]!}`));
  log(
    `  ${name.padEnd(28)} trace by id ${trace.wall} / ${trace.cpu} (${trace.rows} spans)   service+op 1 h ${op.wall} / ${op.cpu}   user.id 1 h ${attr.wall} / ${attr.cpu} (${attr.rows} traces)`,
  );
}

// Where trace-by-id time goes: the index lookup alone, and a lookup without trace_index (the key's TraceId
// after the hour is found by ClickHouse's generic exclusion search over the hour buckets).
const lookup = await measure(
  (i) => sql`SELECT min(Start), max(End) FROM ${index} WHERE ProjectId = 1 AND TraceId = ${ids[i % ids.length]!}`,
);
const floor = await measure(() => sql`SELECT 1`);
log(`  trace_index lookup alone ${lookup.wall} / ${lookup.cpu}; SELECT 1 through the client ${floor.wall} / ${floor.cpu}`);
for (const [name, t] of [
  ['by trace within hour', byTrace],
  ['by trace, 1 MiB granules', byTraceSmall],
] as const) {
  const direct = await measure((i) => sql`SELECT * FROM ${t} WHERE ProjectId = 1 AND TraceId = ${ids[i % ids.length]!} ORDER BY Timestamp`);
  log(`  ${name.padEnd(28)} trace by id without trace_index ${direct.wall} / ${direct.cpu} (${direct.rows} spans)`);
}

// RED over 24 h: minute rows vs an hourly rollup, and the "known services" query the /services route adds.
const hourly = ident(EXP, 'span_metrics_1h');
await db.command(sql`DROP TABLE IF EXISTS ${hourly}`);
await db.command(sql`CREATE TABLE ${hourly} AS ${db.table('span_metrics_1m')} ENGINE = AggregatingMergeTree
  PARTITION BY toDate(Minute) ORDER BY (ProjectId, ServiceName, SpanName, SpanKind, Release, Minute)`);
await timed('hourly rollup', () =>
  db.command(
    sql`INSERT INTO ${hourly} SELECT ProjectId, ServiceName, SpanName, SpanKind, Release, toStartOfHour(Minute) AS Minute,
    sum(Calls), sum(Errors), sum(DurationSum), quantilesTDigestMergeState(0.5, 0.95, 0.99)(Quantiles), sumMap(Histogram)
    FROM ${db.table('span_metrics_1m')} GROUP BY ALL`,
    { max_execution_time: 0 },
  ),
);
const redOn = (t: Ident) => (i: number) => {
  const end = nowMs - (i % 10) * 60_000;
  return sql`
    SELECT toString(ServiceName) AS name, sum(Calls) AS calls, sum(Errors) AS errors, quantilesTDigestMerge(0.5, 0.95, 0.99)(Quantiles) AS q, sumMap(Histogram) AS h
    FROM ${t} WHERE ProjectId = 1 AND SpanKind IN ('SERVER', 'CONSUMER')
      AND Minute >= toStartOfMinute(${typed(nanosToDateTime64(BigInt(end - 24 * HOUR) * 1_000_000n), DT9)}) AND Minute <= ${typed(nanosToDateTime64(BigInt(end) * 1_000_000n), DT9)}
    GROUP BY ServiceName ORDER BY name`;
};
const minuteRows = await bytes(db.table('span_metrics_1m'));
const hourRows = await bytes(hourly);
const m1 = await measure(redOn(db.table('span_metrics_1m')));
const h1 = await measure(redOn(hourly));
const raw = await measure((i) => {
  const end = nowMs - (i % 10) * 60_000;
  return sql`
    SELECT toString(ServiceName) AS name, count() AS calls, countIf(StatusCode = 'ERROR') AS errors, quantilesTDigest(0.5, 0.95, 0.99)(Duration) AS q
    FROM ${spans} WHERE ProjectId = 1 AND SpanKind IN ('SERVER', 'CONSUMER')
      AND Timestamp >= ${typed(nanosToDateTime64(BigInt(end - 24 * HOUR) * 1_000_000n), DT9)} AND Timestamp <= ${typed(nanosToDateTime64(BigInt(end) * 1_000_000n), DT9)}
    GROUP BY ServiceName ORDER BY name`;
});
const known = await measure(
  () => sql`
  SELECT DISTINCT toString(ServiceName) AS name FROM ${db.table('span_metrics_1m')}
  WHERE ProjectId = 1 AND Minute >= now() - INTERVAL 14 DAY`,
);
log('');
log('RED per service over 24 h, p50 (wall ms / CPU ms):');
log(`  span_metrics_1m (${minuteRows.rows} rows)            ${m1.wall} / ${m1.cpu}`);
log(`  hourly rollup (${hourRows.rows} rows)               ${h1.wall} / ${h1.cpu}`);
log(`  raw spans (${current.rows} rows)                    ${raw.wall} / ${raw.cpu}`);
log(`  known services, 14 d (DISTINCT ServiceName)  ${known.wall} / ${known.cpu}`);

if (!values.keep) await db.command(sql`DROP DATABASE IF EXISTS ${ident(EXP)}`);
await db.close();
