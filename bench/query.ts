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
 * `INSERT … SELECT … FROM numbers(…)` statements (bench/query-lib/seed-*.ts) so the materialized views
 * (trace_index, span_metrics_1m, issue_stats, issue_hourly, service_edges) fill as they do on ingest.
 * The parts live in bench/query-lib/: options.ts, seeding.ts (seed or reuse the data), timing.ts, report.ts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultline, type Faultline } from '../tests/harness.ts';
import { parseOptions } from './query-lib/options.ts';
import { log } from './query-lib/progress.ts';
import { printHeader, writeResults, type RunRecord } from './query-lib/report.ts';
import { OTEL_DB, prepareData } from './query-lib/seeding.ts';
import { printStorage, storageReport } from './query-lib/storage-report.ts';
import { timeEndpoints } from './query-lib/timing.ts';

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'faultline-bench-query-'));
  mkdirSync(dataDir, { recursive: true });
  const load0 = loadavg();
  printHeader(o, dataDir, load0);

  let fl: Faultline | null = null;
  const run: RunRecord = { meta: null, seedTimes: null, storage: null, results: [], explains: {} };
  try {
    fl = await startFaultline({ FAULTLINE_DATA_DIR: dataDir });
    const db = fl.running.db;
    const meta = await prepareData(db, o, dataDir, run);

    run.storage = await storageReport(db, meta.otel === 1 ? OTEL_DB : null);
    log('');
    printStorage(run.storage, log);

    await timeEndpoints(db, fl, o, meta.nowMs, run.results, run.explains);
  } finally {
    writeResults(join(import.meta.dirname, 'results'), o, run, load0);
    if (fl) await fl.stop();
    if (!o.dataDir && !o.keep) rmSync(dataDir, { recursive: true, force: true });
    else log(`data kept in ${dataDir} (reuse: --data-dir ${dataDir})`);
  }
}

await main();
