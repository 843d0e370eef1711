/**
 * The storage ceiling the ingest figure is compared with: the same `spanRow` objects the collector builds
 * (from the same kind of requests), inserted straight into chDB in 10k-row inserts, with no network, no
 * decoding and no batching in between. Runs in the benchmark's main process once the server process has
 * exited (libchdb binds one data directory per process), on the server's data directory.
 */
import { Session } from 'chdb';
import { decodeTraces } from '@faultline/proto';
import { ident, insertSpans, openDatabase, spanRow, sql, type Database, type ProjectSpan } from '@faultline/storage';
import { machineBusyMs } from './server-process.ts';
import { buildPayloadPool, type PoolOptions } from './span-payloads.ts';

export interface RawOptions extends PoolOptions {
  rows: number;
  batchRows: number;
  /** Each path stops after this long even if `rows` were not all inserted (a busy machine). */
  maxSeconds: number;
}

export interface RawFigure {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Rows counted in the target table afterwards (asserted equal to `rows`). */
  stored: number;
  /** CPU time of this process (JS and chDB threads) per row, µs: robust to a busy machine. */
  cpuUsPerRow: number;
}

export interface RawResult {
  /** The reference: JSON.stringify per row, then chDB's raw Buffer insert (JSONEachRow) into a copy of faultline.spans. */
  jsonEachRow: RawFigure & { encodeSeconds: number; insertSeconds: number };
  /** The collector's own insert (RowBinary from the decoded spans, `insertSpans`) into another copy. */
  storage: RawFigure;
  /** `insertSpans` into faultline.spans itself, where its materialized views fire too. */
  withViews: RawFigure & { views: string[] };
  /** CPU used by other processes while measuring, % of one core (noise). */
  otherCpuPercent: number;
  /** Seconds waited for the server's pending merges before measuring. */
  mergeWaitSeconds: number;
}

function storageOptions(dataDir: string, database: string) {
  return { dataDir, clickhouseUrl: '', cluster: '', database, retentionDays: 14, queryTimeoutSeconds: 600, maxResultRows: 1_000_000 };
}

/**
 * 10k-row batches cycling over the decoded pool (objects are shared between batches): as `spanRow` objects for
 * the JSON reference, as the collector's `ProjectSpan`s for its own insert path.
 */
export function buildBatches(options: RawOptions): { rows: Record<string, unknown>[][]; spans: ProjectSpan[][] } {
  const spans: ProjectSpan[] = [];
  for (const payload of buildPayloadPool(options)) {
    for (const span of decodeTraces(payload, 'protobuf').items) spans.push({ projectId: 1, span });
  }
  const rows = spans.map((s) => spanRow(s.projectId, s.span));
  const out: { rows: Record<string, unknown>[][]; spans: ProjectSpan[][] } = { rows: [], spans: [] };
  for (let done = 0; done < options.rows; done += options.batchRows) {
    const size = Math.min(options.batchRows, options.rows - done);
    const at = (i: number) => (done + i) % spans.length;
    out.rows.push(Array.from({ length: size }, (_, i) => rows[at(i)] as Record<string, unknown>));
    out.spans.push(Array.from({ length: size }, (_, i) => spans[at(i)] as ProjectSpan));
  }
  return out;
}

export async function countRows(db: Database, database: string, table: string): Promise<number> {
  const [row] = await db.query<{ n: number | string }>(sql`SELECT count() AS n FROM ${ident(database, table)}`);
  return Number(row?.n ?? 0);
}

interface Timing {
  rows: number;
  seconds: number;
  cpuMs: number;
}

/** Runs `insert` over the batches until done or `maxSeconds` passed (checked between batches). */
async function timed<T>(batches: T[][], maxSeconds: number, insert: (batch: T[]) => Promise<void>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const began = performance.now();
  let rows = 0;
  for (const batch of batches) {
    await insert(batch);
    rows += batch.length;
    if (performance.now() - began > maxSeconds * 1000) break;
  }
  const used = process.cpuUsage(cpu);
  return { rows, seconds: (performance.now() - began) / 1000, cpuMs: (used.user + used.system) / 1000 };
}

function figure(timing: Timing, stored: number): RawFigure {
  const { rows, seconds } = timing;
  return { rows, seconds, rowsPerSecond: Math.round(rows / seconds), stored, cpuUsPerRow: Math.round((timing.cpuMs * 10_000) / rows) / 10 };
}

async function jsonEachRowPath(
  dataDir: string,
  batches: Record<string, unknown>[][],
  maxSeconds: number,
  db: Database,
): Promise<RawResult['jsonEachRow']> {
  const session = new Session(dataDir);
  let encodeSeconds = 0;
  let insertSeconds = 0;
  const timing = await timed(batches, maxSeconds, async (batch) => {
    const t0 = performance.now();
    const payload = Buffer.from(batch.map((r) => JSON.stringify(r)).join('\n'));
    const t1 = performance.now();
    await session.insert({ table: 'bench_raw.spans_json', values: payload, format: 'JSONEachRow' });
    insertSeconds += (performance.now() - t1) / 1000;
    encodeSeconds += (t1 - t0) / 1000;
  }).finally(() => session.close());
  const stored = await countRows(db, 'bench_raw', 'spans_json');
  return { ...figure(timing, stored), encodeSeconds, insertSeconds };
}

async function viewsOf(db: Database): Promise<string[]> {
  const rows = await db.query<{ views: string[] }>(
    sql`SELECT dependencies_table AS views FROM system.tables WHERE database = ${'faultline'} AND name = ${'spans'}`,
  );
  return rows[0]?.views ?? [];
}

/**
 * Opening the server's directory starts the merges its last inserts left pending; measured alongside them the
 * raw paths would look slower than they are (and the ratio better), so they wait for the merges first.
 */
async function settleMerges(db: Database, maxSeconds: number): Promise<number> {
  const began = performance.now();
  while (performance.now() - began < maxSeconds * 1000) {
    const [row] = await db.query<{ n: number | string }>(sql`SELECT count() AS n FROM system.merges`);
    if (Number(row?.n ?? 0) === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return Math.round((performance.now() - began) / 100) / 10;
}

/** Counts what the server stored, waits for its merges, then measures the three raw insert paths. */
export async function verifyAndMeasure(dataDir: string, options: RawOptions): Promise<{ storedSpans: number; raw: RawResult }> {
  const batches = buildBatches(options);
  const db = await openDatabase(storageOptions(dataDir, 'bench_raw'));
  const live = await openDatabase(storageOptions(dataDir, 'faultline'));
  try {
    const storedSpans = await countRows(db, 'faultline', 'spans');
    const mergeWaitSeconds = await settleMerges(db, 120);
    for (const table of ['spans', 'spans_json']) {
      await db.command(sql`CREATE TABLE ${ident('bench_raw', table)} AS ${ident('faultline', 'spans')}`);
    }
    const busy0 = machineBusyMs();
    const self0 = process.cpuUsage();
    const t0 = performance.now();
    const jsonEachRow = await jsonEachRowPath(dataDir, batches.rows, options.maxSeconds, db);
    // `db` is the bench_raw database: insertSpans writes its copy of the spans table.
    const storageTiming = await timed(batches.spans, options.maxSeconds, (batch) => insertSpans(db, batch));
    const storage = figure(storageTiming, await countRows(db, 'bench_raw', 'spans'));
    const viewsTiming = await timed(batches.spans, options.maxSeconds, (batch) => insertSpans(live, batch));
    const self = process.cpuUsage(self0);
    const other = machineBusyMs() - busy0 - (self.user + self.system) / 1000;
    const otherCpuPercent = Math.max(0, Math.round((other / (performance.now() - t0)) * 100));
    const withViews = { ...figure(viewsTiming, (await countRows(db, 'faultline', 'spans')) - storedSpans), views: await viewsOf(db) };
    await db.command(sql`DROP DATABASE ${ident('bench_raw')}`);
    return { storedSpans, raw: { jsonEachRow, storage, withViews, otherCpuPercent, mergeWaitSeconds } };
  } finally {
    await live.close();
    await db.close();
  }
}

/** Counts the spans of a data directory (the overload phase's). */
export async function countStoredSpans(dataDir: string): Promise<number> {
  const db = await openDatabase(storageOptions(dataDir, 'faultline'));
  try {
    return await countRows(db, 'faultline', 'spans');
  } finally {
    await db.close();
  }
}
