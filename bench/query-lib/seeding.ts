/**
 * The data bench/query.ts times: seeded through the statements of seed-spans.ts, seed-errors.ts and
 * seed-otel.ts, merged with OPTIMIZE … FINAL, and recorded in a meta row so that a later run on the same
 * --data-dir reuses it instead of seeding again.
 */
import { performance } from 'node:perf_hooks';
import { ident, setIssueStatus, sql, typed, type Database, type Ident } from '@faultline/storage';
import type { Options } from './options.ts';
import { fmtN, progress, secondsSince, timed } from './progress.ts';
import { insertErrorEventsStatement } from './seed-errors.ts';
import { copyToOtelStatement, otelTracesDdl } from './seed-otel.ts';
import { insertEdgesStatement, insertSpansStatement, shapesStatements } from './seed-spans.ts';

export const PROJECT = 1;
/** Both cores for the seeding inserts (generation and writing). */
const INSERT_SETTINGS = { max_insert_threads: '2', max_threads: 2, max_execution_time: 0 };
/** chDB keeps a session's settings, so the reads' max_execution_time would also cap the long statements here. */
const NO_TIMEOUT = { max_execution_time: 0 };
const GEN_DB = 'bench_gen';
export const OTEL_DB = 'bench_otel';

async function count(db: Database, table: Ident): Promise<number> {
  const rows = await db.query<{ n: number }>(sql`SELECT toUInt64(count()) AS n FROM ${table}`);
  return rows[0]?.n ?? 0;
}

export interface Meta {
  nowMs: number;
  spans: number;
  errors: number;
  issues: number;
  otel: number;
  optimized: number;
}

async function readMeta(db: Database): Promise<Meta | null> {
  await db.command(sql`CREATE DATABASE IF NOT EXISTS ${ident(GEN_DB)}`);
  await db.command(
    sql`CREATE TABLE IF NOT EXISTS ${ident(GEN_DB, 'meta')} (nowMs UInt64, spans UInt64, errors UInt64, issues UInt64, otel UInt8, optimized UInt8) ENGINE = MergeTree ORDER BY tuple()`,
  );
  const rows = await db.query<Meta>(sql`SELECT * FROM ${ident(GEN_DB, 'meta')} LIMIT 1`);
  return rows[0] ?? null;
}

async function writeMeta(db: Database, m: Meta): Promise<void> {
  await db.command(sql`TRUNCATE TABLE ${ident(GEN_DB, 'meta')}`);
  await db.command(
    sql`INSERT INTO ${ident(GEN_DB, 'meta')} VALUES (${typed(m.nowMs, 'UInt64')}, ${typed(m.spans, 'UInt64')}, ${typed(m.errors, 'UInt64')}, ${typed(m.issues, 'UInt64')}, ${typed(m.otel, 'UInt8')}, ${typed(m.optimized, 'UInt8')})`,
  );
}

export interface SeedTimes {
  spansSeconds: number;
  spansPerSecond: number;
  errorsSeconds: number;
  otelSeconds: number | null;
  optimizeSeconds: Record<string, number>;
}

/** What the data preparation got to; filled as it goes, so the results file written after a failure shows it. */
export interface SeedState {
  meta: Meta | null;
  seedTimes: SeedTimes | null;
}

/**
 * Reuses the data a previous run seeded into the data directory (adding the otel_traces copy if it was left
 * out then and is wanted now), or seeds it; returns the meta row that describes it.
 */
export async function prepareData(db: Database, o: Options, dataDir: string, state: SeedState): Promise<Meta> {
  const meta = await readMeta(db);
  state.meta = meta;
  const sameData = meta !== null && meta.spans === o.spans && meta.errors === o.errors && meta.issues === o.issues;
  if (meta && !sameData)
    throw new Error(`${dataDir} holds a seeded data set of another size (${JSON.stringify(meta)}); use another --data-dir`);
  if (!meta && (await count(db, db.table('spans'))) > 0)
    throw new Error(`${dataDir} holds spans that this benchmark did not seed; use an empty --data-dir`);
  return meta ? reuseData(db, o, meta, state) : seedData(db, o, state);
}

async function reuseData(db: Database, o: Options, meta: Meta, state: SeedState): Promise<Meta> {
  progress(`reusing the data seeded at ${new Date(meta.nowMs).toISOString()} (no seeding)`);
  if (!o.otel || meta.otel !== 0) return meta;
  // Seeded with --no-otel before: add the comparison tables now.
  progress(`copying the spans into ${OTEL_DB}.otel_traces (the OpenTelemetry exporter's schema) …`);
  const otelSeconds = await seedOtel(db, o.spans);
  const optimizeSeconds = o.optimize ? await optimizeTables(db, otelTables()) : {};
  state.seedTimes = { spansSeconds: 0, spansPerSecond: 0, errorsSeconds: 0, otelSeconds, optimizeSeconds };
  state.meta = { ...meta, otel: 1 };
  await writeMeta(db, state.meta);
  return state.meta;
}

async function seedData(db: Database, o: Options, state: SeedState): Promise<Meta> {
  const nowMs = Date.now();
  const seedTimes = await seed(db, o, nowMs);
  state.seedTimes = seedTimes;
  if (o.otel) {
    progress(`copying the spans into ${OTEL_DB}.otel_traces (the OpenTelemetry exporter's schema) …`);
    seedTimes.otelSeconds = await seedOtel(db, o.spans);
    progress(`  otel_traces: ${seedTimes.otelSeconds} s`);
  }
  if (o.optimize) seedTimes.optimizeSeconds = await optimize(db, o.otel);
  const meta = { nowMs, spans: o.spans, errors: o.errors, issues: o.issues, otel: o.otel ? 1 : 0, optimized: o.optimize ? 1 : 0 };
  state.meta = meta;
  await writeMeta(db, meta);
  return meta;
}

/** Seeds spans (+ edges) chunk by chunk, then error events and a few workflow states. */
async function seed(db: Database, o: Options, nowMs: number): Promise<SeedTimes> {
  const nowNs = BigInt(nowMs) * 1_000_000n;
  const spansSeconds = await seedSpans(db, o, nowNs);
  const errorsSeconds = await seedErrors(db, o, nowNs);
  await setWorkflowStates(db);
  return {
    spansSeconds,
    spansPerSecond: Math.round(o.spans / spansSeconds),
    errorsSeconds,
    otelSeconds: null,
    optimizeSeconds: {},
  };
}

/** Spans and their service edges, in chunks of traces (progress per chunk); returns the seconds it took. */
async function seedSpans(db: Database, o: Options, nowNs: bigint): Promise<number> {
  const shapes = ident(GEN_DB, 'shapes');
  await db.command(sql`DROP TABLE IF EXISTS ${shapes}`);
  for (const s of shapesStatements(shapes)) await db.command(s);

  const traces = o.spans / 10;
  const chunk = Math.max(10_000, Math.min(100_000, Math.ceil(traces / 10 / 2) * 2));
  progress(`seeding ${fmtN(o.spans)} spans in ${fmtN(traces)} traces (chunks of ${fmtN(chunk)} traces) + service edges …`);
  const spansStart = performance.now();
  for (let first = 0; first < traces; first += chunk) {
    const n = Math.min(chunk, traces - first);
    const slice = { shapes, projectId: PROJECT, firstTrace: first, traces: n, nowNs };
    await db.command(insertSpansStatement(db, slice), INSERT_SETTINGS);
    await db.command(insertEdgesStatement(db, slice), INSERT_SETTINGS);
    const done = (first + n) * 10;
    const secs = (performance.now() - spansStart) / 1000;
    const rate = done / secs;
    progress(
      `  spans ${fmtN(done).padStart(12)} / ${fmtN(o.spans)}  ${fmtN(Math.round(rate))} spans/s  eta ${Math.round((o.spans - done) / rate)} s`,
    );
  }
  const spansSeconds = secondsSince(spansStart);
  const stored = await count(db, db.table('spans'));
  if (stored !== o.spans) throw new Error(`expected ${o.spans} spans, the table holds ${stored}`);
  return spansSeconds;
}

async function seedErrors(db: Database, o: Options, nowNs: bigint): Promise<number> {
  const errors = await timed(`error events: ${fmtN(o.errors)} in ~${o.issues} issues`, () =>
    db.command(insertErrorEventsStatement(db, PROJECT, o.errors, o.issues, o.spans / 10, nowNs), INSERT_SETTINGS),
  );
  const storedErrors = await count(db, db.table('error_events'));
  if (storedErrors !== o.errors) throw new Error(`expected ${o.errors} error events, the table holds ${storedErrors}`);
  return errors.seconds;
}

/** Some workflow state, so the issues list's join and status filter have rows to work on. */
async function setWorkflowStates(db: Database): Promise<void> {
  const issues = await db.query<{ id: string }>(sql`SELECT DISTINCT IssueId AS id FROM ${db.table('issue_stats')} ORDER BY id`);
  for (const [i, issue] of issues.entries()) {
    if (i % 10 === 0) await setIssueStatus(db, PROJECT, issue.id, { status: 'resolved' }, 'bench');
    else if (i % 10 === 5) await setIssueStatus(db, PROJECT, issue.id, { status: 'ignored' }, 'bench');
    else if (i % 10 === 7) await setIssueStatus(db, PROJECT, issue.id, { status: 'unresolved', assignee: 'oncall@example.com' }, 'bench');
  }
  progress(`  ${issues.length} issues; ${Math.ceil(issues.length / 10) * 2} resolved/ignored, some assigned`);
}

/** The exporter's tables in OTEL_DB, filled with the same spans in time windows (progress per window). */
async function seedOtel(db: Database, spans: number): Promise<number> {
  for (const statement of otelTracesDdl(OTEL_DB)) await db.command(statement);
  const bounds = await db.query<{ lo: number; hi: number }>(
    sql`SELECT toInt64(toUnixTimestamp64Milli(min(Timestamp))) AS lo, toInt64(toUnixTimestamp64Milli(max(Timestamp))) + 1 AS hi FROM ${db.table('spans')}`,
  );
  const lo = bounds[0]?.lo ?? 0;
  const hi = bounds[0]?.hi ?? 0;
  const steps = 8;
  const start = performance.now();
  for (let k = 0; k < steps; k++) {
    const from = lo + Math.floor(((hi - lo) * k) / steps);
    const to = k === steps - 1 ? hi + 1 : lo + Math.floor(((hi - lo) * (k + 1)) / steps);
    await db.command(copyToOtelStatement(db, OTEL_DB, msText(from), msText(to)), INSERT_SETTINGS);
    progress(`  otel_traces window ${k + 1}/${steps}`);
  }
  const copied = await count(db, ident(OTEL_DB, 'otel_traces'));
  if (copied !== spans) throw new Error(`otel_traces holds ${copied} rows, spans ${spans}`);
  return secondsSince(start);
}

const msText = (ms: number) => `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;

const otelTables = () => [ident(OTEL_DB, 'otel_traces'), ident(OTEL_DB, 'otel_traces_trace_id_ts')];

async function optimize(db: Database, withOtel: boolean): Promise<Record<string, number>> {
  const tables = [
    db.table('spans'),
    db.table('trace_index'),
    db.table('span_metrics_1m'),
    db.table('span_metrics_1h'),
    // Their views add rows for every block written to span_metrics' Buffer tables: merged too, else a day reads ~4 states per key.
    db.table('service_metrics_1m'),
    db.table('service_metrics_1h'),
    db.table('service_edges'),
    db.table('error_events'),
    db.table('issue_stats'),
    db.table('issue_hourly'),
    ...(withOtel ? otelTables() : []),
  ];
  return optimizeTables(db, tables);
}

/** OPTIMIZE … FINAL of each table in turn; seconds by table name. */
async function optimizeTables(db: Database, tables: Ident[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const name = t.parts.join('.');
    const r = await timed(`OPTIMIZE TABLE ${name} FINAL`, () => db.command(sql`OPTIMIZE TABLE ${t} FINAL`, NO_TIMEOUT));
    out[name] = r.seconds;
  }
  return out;
}
