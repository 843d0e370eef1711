/**
 * Query benchmark: seeds Jaeger's ClickHouse benchmark shape (10M spans, 1M traces, 11 attributes per span) plus
 * 100k error events into the all-in-one's embedded chDB, then times each read endpoint through the HTTP API,
 * through the storage readers and as hand-written SQL (p50/p95 over many calls), and compares bytes per span on
 * disk with the OpenTelemetry ClickHouse exporter's otel_traces holding the same rows.
 *
 * Run: npm run bench:query [-- --quick | --spans 10000000 | --help]
 *
 * Everything runs in this one process, as the all-in-one does: `startFaultline` (tests/harness.ts) opens the
 * data directory, migrates, and serves the API on a free port; seeding goes through the same `db` handle with
 * `INSERT … SELECT … FROM numbers(…)` statements (bench/query-lib/seed.ts) so the materialized views
 * (trace_index, span_metrics_1m, issue_stats, issue_hourly, service_edges) fill as they do on ingest.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ident, setIssueStatus, sql, typed, type Database, type Ident, type Sql } from '@faultline/storage';
import { startFaultline, type Faultline } from '../tests/harness.ts';
import { buildCases, type Env } from './query-lib/cases.ts';
import { runCase, type CaseResult } from './query-lib/measure.ts';
import {
  copyToOtelStatement,
  insertEdgesStatement,
  insertErrorEventsStatement,
  insertSpansStatement,
  otelTracesDdl,
  shapesStatements,
} from './query-lib/seed.ts';
import { printStorage, storageReport, type StorageReport } from './query-lib/storage-report.ts';

const USAGE = `npm run bench:query -- [options]
  --spans <n>        spans to seed (default 10000000; traces = spans / 10)
  --quick            1,000,000 spans and 30 rounds: for development
  --errors <n>       error events (default 100000)
  --issues <n>       issues they group into (default 300, Zipf-like)
  --rounds <n>       timed calls per variant and endpoint (default 100, --quick 30)
  --warmup <n>       untimed rounds first (default 3)
  --max-seconds <s>  per endpoint: stop after this long once 20 rounds are timed (default 60)
  --only <ids>       comma-separated case ids (trace_by_id, attr_search_1h, op_search_1h, red_24h, issues_list,
                     service_map_1h, attr_search_24h, attr_search_common_1h, attr_search_any_1h, op_search_24h,
                     operations_red_24h, red_24h_raw_spans, issues_list_sparklines)
  --data-dir <dir>   keep the data here; a later run with the same --spans/--errors reuses it (no seeding)
  --keep             keep the temporary data directory
  --no-otel          skip the otel_traces comparison
  --no-optimize      skip OPTIMIZE … FINAL after seeding (measure the parts as inserted)`;

const PROJECT = 1;
/** Both cores for the seeding inserts (generation and writing). */
const INSERT_SETTINGS = { max_insert_threads: '2', max_threads: 2, max_execution_time: 0 };
/** chDB keeps a session's settings, so the reads' max_execution_time would also cap the long statements here. */
const NO_TIMEOUT = { max_execution_time: 0 };
const GEN_DB = 'bench_gen';
const OTEL_DB = 'bench_otel';

interface Options {
  spans: number;
  errors: number;
  issues: number;
  rounds: number;
  warmup: number;
  maxSeconds: number;
  only: string[] | null;
  dataDir: string | null;
  keep: boolean;
  otel: boolean;
  optimize: boolean;
  quick: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      spans: { type: 'string' },
      quick: { type: 'boolean', default: false },
      errors: { type: 'string' },
      issues: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      'max-seconds': { type: 'string' },
      only: { type: 'string' },
      'data-dir': { type: 'string' },
      keep: { type: 'boolean', default: false },
      'no-otel': { type: 'boolean', default: false },
      'no-optimize': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (raw: string | undefined, fallback: number, name: string, min = 1) => {
    if (raw === undefined) return fallback;
    const n = Number(raw.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
    return n;
  };
  const quick = values.quick;
  let spans = int(values.spans, quick ? 1_000_000 : 10_000_000, 'spans', 20);
  spans = Math.ceil(spans / 20) * 20; // whole pairs of traces (every two traces hold 20 spans)
  return {
    spans,
    errors: int(values.errors, 100_000, 'errors'),
    issues: int(values.issues, 300, 'issues', 2),
    rounds: int(values.rounds, quick ? 30 : 100, 'rounds'),
    warmup: int(values.warmup, 3, 'warmup', 0),
    maxSeconds: int(values['max-seconds'], 60, 'max-seconds'),
    only: values.only ? values.only.split(',').map((s) => s.trim()) : null,
    dataDir: values['data-dir'] ?? null,
    keep: values.keep,
    otel: !values['no-otel'],
    optimize: !values['no-optimize'],
    quick,
  };
}

const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s`;
const log = (s: string) => console.log(s);
const progress = (s: string) => console.log(`[${elapsed()}] ${s}`);
const fmtN = (n: number) => n.toLocaleString('en-US');

async function timed<T>(what: string, f: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await f();
  const seconds = Math.round((performance.now() - start) / 100) / 10;
  progress(`${what}: ${seconds} s`);
  return { value, seconds };
}

async function count(db: Database, table: Ident): Promise<number> {
  const rows = await db.query<{ n: number }>(sql`SELECT toUInt64(count()) AS n FROM ${table}`);
  return rows[0]?.n ?? 0;
}

interface Meta {
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

interface SeedTimes {
  spansSeconds: number;
  spansPerSecond: number;
  errorsSeconds: number;
  otelSeconds: number | null;
  optimizeSeconds: Record<string, number>;
}

/** Seeds spans (+ edges) chunk by chunk, then error events and a few workflow states. */
async function seed(db: Database, o: Options, nowMs: number): Promise<SeedTimes> {
  const nowNs = BigInt(nowMs) * 1_000_000n;
  const shapes = ident(GEN_DB, 'shapes');
  await db.command(sql`DROP TABLE IF EXISTS ${shapes}`);
  for (const s of shapesStatements(shapes)) await db.command(s);

  const traces = o.spans / 10;
  const chunk = Math.max(10_000, Math.min(100_000, Math.ceil(traces / 10 / 2) * 2));
  progress(`seeding ${fmtN(o.spans)} spans in ${fmtN(traces)} traces (chunks of ${fmtN(chunk)} traces) + service edges …`);
  const settings = INSERT_SETTINGS;
  const spansStart = performance.now();
  for (let first = 0; first < traces; first += chunk) {
    const n = Math.min(chunk, traces - first);
    await db.command(insertSpansStatement(db, shapes, PROJECT, first, n, nowNs), settings);
    await db.command(insertEdgesStatement(db, shapes, PROJECT, first, n, nowNs), settings);
    const done = (first + n) * 10;
    const secs = (performance.now() - spansStart) / 1000;
    const rate = done / secs;
    progress(
      `  spans ${fmtN(done).padStart(12)} / ${fmtN(o.spans)}  ${fmtN(Math.round(rate))} spans/s  eta ${Math.round((o.spans - done) / rate)} s`,
    );
  }
  const spansSeconds = Math.round((performance.now() - spansStart) / 100) / 10;
  const stored = await count(db, db.table('spans'));
  if (stored !== o.spans) throw new Error(`expected ${o.spans} spans, the table holds ${stored}`);

  const errors = await timed(`error events: ${fmtN(o.errors)} in ~${o.issues} issues`, () =>
    db.command(insertErrorEventsStatement(db, PROJECT, o.errors, o.issues, traces, nowNs), settings),
  );
  const storedErrors = await count(db, db.table('error_events'));
  if (storedErrors !== o.errors) throw new Error(`expected ${o.errors} error events, the table holds ${storedErrors}`);
  // Some workflow state, so the issues list's join and status filter have rows to work on.
  const issues = await db.query<{ id: string }>(sql`SELECT DISTINCT IssueId AS id FROM ${db.table('issue_stats')} ORDER BY id`);
  for (const [i, issue] of issues.entries()) {
    if (i % 10 === 0) await setIssueStatus(db, PROJECT, issue.id, { status: 'resolved' }, 'bench');
    else if (i % 10 === 5) await setIssueStatus(db, PROJECT, issue.id, { status: 'ignored' }, 'bench');
    else if (i % 10 === 7) await setIssueStatus(db, PROJECT, issue.id, { status: 'unresolved', assignee: 'oncall@example.com' }, 'bench');
  }
  progress(`  ${issues.length} issues; ${Math.ceil(issues.length / 10) * 2} resolved/ignored, some assigned`);
  return {
    spansSeconds,
    spansPerSecond: Math.round(o.spans / spansSeconds),
    errorsSeconds: errors.seconds,
    otelSeconds: null,
    optimizeSeconds: {},
  };
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
  return Math.round((performance.now() - start) / 100) / 10;
}

const msText = (ms: number) => `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;

async function optimize(db: Database, withOtel: boolean): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const tables = [
    db.table('spans'),
    db.table('trace_index'),
    db.table('span_metrics_1m'),
    db.table('span_metrics_1h'),
    db.table('service_edges'),
    db.table('error_events'),
    db.table('issue_stats'),
    db.table('issue_hourly'),
    ...(withOtel ? [ident(OTEL_DB, 'otel_traces'), ident(OTEL_DB, 'otel_traces_trace_id_ts')] : []),
  ];
  for (const t of tables) {
    const name = t.parts.join('.');
    const r = await timed(`OPTIMIZE TABLE ${name} FINAL`, () => db.command(sql`OPTIMIZE TABLE ${t} FINAL`, NO_TIMEOUT));
    out[name] = r.seconds;
  }
  return out;
}

/** Parameter pools drawn from the data: existing trace ids, users active in each window, real operations. */
async function samples(
  db: Database,
  nowMs: number,
  traces: number,
  rounds: number,
): Promise<Omit<Env, 'db' | 'get' | 'projectId' | 'nowMs'> & { roots: Array<{ ms: number; user: string }> }> {
  const project = typed(PROJECT, 'UInt32');
  const traceIds = (
    await db.query<{ id: string }>(sql`
      SELECT TraceId AS id FROM ${db.table('trace_index')} WHERE ProjectId = ${project}
      ORDER BY sipHash64(TraceId) LIMIT ${typed(Math.max(rounds, 50), 'UInt32')}`)
  ).map((r) => r.id);
  const mod = Math.max(1, Math.floor(traces / 3000));
  const roots = await db.query<{ ms: number; user: string }>(sql`
    SELECT toUInt64(toUnixTimestamp64Milli(Timestamp)) AS ms, SpanAttributes['user.id'] AS user FROM ${db.table('spans')}
    WHERE ProjectId = ${project} AND ParentSpanId = '' AND sipHash64(TraceId) % ${typed(mod, 'UInt64')} = 0
    ORDER BY ms`);
  const operations = await db.query<{ service: string; operation: string }>(sql`
    SELECT toString(ServiceName) AS service, toString(SpanName) AS operation FROM ${db.table('span_metrics_1m')}
    WHERE ProjectId = ${project} AND SpanKind = 'SERVER' GROUP BY ServiceName, SpanName ORDER BY sipHash64(service, operation)`);
  const services = [...new Set(operations.map((o) => o.service))].sort();
  void nowMs;
  return { traceIds, userIds: roots.map((r) => r.user), operations, services, roots };
}

function printResults(results: CaseResult[]): void {
  const cell = (r: CaseResult, v: 'api' | 'reader' | 'sql') => {
    const s = r.stats[v];
    const c = r.cpu[v];
    return s && c ? `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} (${c.p50.toFixed(0)})` : '–';
  };
  const line = (r: CaseResult) => {
    const target = r.targetMs === null ? '' : `≤ ${r.targetMs}`;
    const verdict = r.pass === null ? '' : r.pass ? 'PASS' : 'MISS';
    log(
      `  ${r.title.padEnd(46)} ${target.padStart(6)}  ${cell(r, 'api').padStart(22)}  ${cell(r, 'reader').padStart(22)}  ${cell(r, 'sql').padStart(22)}  ${(r.apiOverSql === null ? '–' : `${r.apiOverSql}×`).padStart(6)}  ${verdict.padEnd(4)}  ${r.reference ?? ''}`,
    );
  };
  log('');
  log('  wall ms p50 / p95 (CPU ms p50 of this process: chDB + Node; unlike wall time it does not grow with other load)');
  log(
    `  ${'endpoint'.padEnd(46)} ${'target'.padStart(6)}  ${'API'.padStart(22)}  ${'storage reader'.padStart(22)}  ${'hand-written SQL'.padStart(22)}  ${'API÷SQL'.padStart(6)}`,
  );
  for (const r of results.filter((x) => x.primary)) line(r);
  const extra = results.filter((x) => !x.primary);
  if (extra.length > 0) {
    log('  — extra context —');
    for (const r of extra) line(r);
  }
  log('  answer sizes (mean spans / traces / rows per call): ' + results.map((r) => `${r.id} ${JSON.stringify(r.sizes)}`).join('; '));
  for (const r of results) if (r.note) log(`  note, ${r.title}: ${r.note}`);
}

async function explainCase(db: Database, statement: Sql): Promise<{ estimate: unknown[]; indexes: string[] }> {
  const estimate = await db.query<Record<string, unknown>>(sql`EXPLAIN ESTIMATE ${statement}`);
  const plan = await db.query<{ explain: string }>(sql`EXPLAIN indexes = 1 ${statement}`);
  return { estimate, indexes: plan.map((p) => p.explain) };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'faultline-bench-query-'));
  mkdirSync(dataDir, { recursive: true });
  const load0 = loadavg();
  log('Faultline query benchmark');
  log(
    `  data:    ${fmtN(o.spans)} spans / ${fmtN(o.spans / 10)} traces (2–18 spans, 11 span + 8 resource attributes, 1.5 % errors, last 24 h),`,
  );
  log(`           ${fmtN(o.errors)} error events in ~${o.issues} issues (last 7 days); service edges of the same spans`);
  log(
    `  timing:  ${o.rounds} rounds (+${o.warmup} warm-up) per endpoint; each round calls the API, the storage reader and the hand-written SQL`,
  );
  log(
    `  machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, load average ${load0.map((x) => x.toFixed(2)).join(' ')}; node ${process.version}`,
  );
  log(`  store:   embedded chDB in this process, data dir ${dataDir}`);

  let fl: Faultline | null = null;
  let storage: StorageReport | null = null;
  const results: CaseResult[] = [];
  const explains: Record<string, unknown> = {};
  let seedTimes: SeedTimes | null = null;
  let meta: Meta | null = null;
  try {
    fl = await startFaultline({ FAULTLINE_DATA_DIR: dataDir });
    const db = fl.running.db;
    meta = await readMeta(db);
    const sameData = meta !== null && meta.spans === o.spans && meta.errors === o.errors && meta.issues === o.issues;
    if (meta && !sameData)
      throw new Error(`${dataDir} holds a seeded data set of another size (${JSON.stringify(meta)}); use another --data-dir`);
    if (!meta && (await count(db, db.table('spans'))) > 0)
      throw new Error(`${dataDir} holds spans that this benchmark did not seed; use an empty --data-dir`);
    if (meta) {
      progress(`reusing the data seeded at ${new Date(meta.nowMs).toISOString()} (no seeding)`);
      if (o.otel && meta.otel === 0) {
        // Seeded with --no-otel before: add the comparison tables now.
        progress(`copying the spans into ${OTEL_DB}.otel_traces (the OpenTelemetry exporter's schema) …`);
        const otelSeconds = await seedOtel(db, o.spans);
        const optimizeSeconds: Record<string, number> = {};
        if (o.optimize) {
          for (const t of [ident(OTEL_DB, 'otel_traces'), ident(OTEL_DB, 'otel_traces_trace_id_ts')]) {
            const r = await timed(`OPTIMIZE TABLE ${t.parts.join('.')} FINAL`, () =>
              db.command(sql`OPTIMIZE TABLE ${t} FINAL`, NO_TIMEOUT),
            );
            optimizeSeconds[t.parts.join('.')] = r.seconds;
          }
        }
        seedTimes = { spansSeconds: 0, spansPerSecond: 0, errorsSeconds: 0, otelSeconds, optimizeSeconds };
        meta = { ...meta, otel: 1 };
        await writeMeta(db, meta);
      }
    } else {
      const nowMs = Date.now();
      seedTimes = await seed(db, o, nowMs);
      if (o.otel) {
        progress(`copying the spans into ${OTEL_DB}.otel_traces (the OpenTelemetry exporter's schema) …`);
        seedTimes.otelSeconds = await seedOtel(db, o.spans);
        progress(`  otel_traces: ${seedTimes.otelSeconds} s`);
      }
      if (o.optimize) seedTimes.optimizeSeconds = await optimize(db, o.otel);
      meta = { nowMs, spans: o.spans, errors: o.errors, issues: o.issues, otel: o.otel ? 1 : 0, optimized: o.optimize ? 1 : 0 };
      await writeMeta(db, meta);
    }

    storage = await storageReport(db, meta.otel === 1 ? OTEL_DB : null);
    log('');
    printStorage(storage, log);

    const pools = await samples(db, meta!.nowMs, o.spans / 10, o.rounds);
    const env: Env = { db, get: (path) => fl!.get(path), projectId: PROJECT, nowMs: meta!.nowMs, ...pools };
    const cases = buildCases(env, o.rounds, pools.roots).filter((c) => o.only === null || o.only.includes(c.id));
    log('');
    progress(`timing ${cases.length} endpoints (p50/p95 ms: api, reader, sql) …`);
    for (const c of cases) results.push(await runCase(c, o.rounds, o.warmup, o.maxSeconds, log));
    printResults(results);

    // How the hand-written SQL of each endpoint reads the tables (parts / rows / marks, index use).
    for (const c of cases) {
      const first = c.params[0];
      if (c.sqlOf && first !== undefined) explains[c.id] = await explainCase(db, c.sqlOf(first));
    }
    const missed = results.filter((r) => r.pass === false);
    for (const r of missed) {
      const e = explains[r.id] as { estimate: unknown[] } | undefined;
      if (e) log(`  EXPLAIN ESTIMATE (hand-written SQL), ${r.title}: ${JSON.stringify(e.estimate)}`);
    }
  } finally {
    const load1 = loadavg();
    const out = {
      benchmark: 'query',
      at: new Date().toISOString(),
      rerun: `npm run bench:query -- ${process.argv.slice(2).join(' ')}`.trim(),
      options: o,
      machine: {
        cores: cpus().length,
        memoryGB: Math.round(totalmem() / 2 ** 30),
        loadavgStart: load0,
        loadavgEnd: load1,
        node: process.version,
      },
      dataNow: meta ? new Date(meta.nowMs).toISOString() : null,
      seeding: seedTimes,
      storage,
      results,
      explains,
      totalSeconds: Math.round((performance.now() - t0) / 1000),
    };
    const dir = join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `query-${out.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
    log('');
    log(`results: ${file}   (load average now ${load1.map((x) => x.toFixed(2)).join(' ')}; total ${out.totalSeconds} s)`);
    if (fl) await fl.stop();
    if (!o.dataDir && !o.keep) rmSync(dataDir, { recursive: true, force: true });
    else log(`data kept in ${dataDir} (reuse: --data-dir ${dataDir})`);
  }
}

await main();
