import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openDatabase, type Database, type RollupTable, type StorageOptions } from './database.ts';
import { migrate } from './migrate.ts';
import { insertSpans } from './spans-writer.ts';
import { sql } from './sql.ts';
import { makeSpan } from './testing/make-span.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-buffers-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const options: StorageOptions = { dataDir, clickhouseUrl: '', cluster: '', database: 'faultline', retentionDays: 14, queryTimeoutSeconds: 30, maxResultRows: 1000 };

const TABLES = ['span_metrics_1m', 'span_metrics_1h', 'service_metrics_1m', 'service_metrics_1h'] as const;

async function sums(db: Database, read: (t: RollupTable) => ReturnType<Database['table']>): Promise<number[]> {
  const out: number[] = [];
  for (const t of TABLES) {
    const [row] = await db.query<{ n: string }>(sql`SELECT toString(sum(Calls)) AS n FROM ${read(t)} WHERE ProjectId = 3`);
    out.push(Number(row?.n));
  }
  const [releases] = await db.query<{ n: string }>(sql`SELECT toString(count()) AS n FROM ${read('releases')} WHERE ProjectId = 3`);
  out.push(Number(releases?.n));
  return out;
}

test('rollups are read fresh through their buffers, cascade through all of them, and a clean close writes them out', async () => {
  let db = await openDatabase(options);
  await migrate(db);
  const spans = Array.from({ length: 30 }, (_, i) =>
    makeSpan({ spanId: (i + 1).toString(16).padStart(16, '0'), resource: { 'service.name': 'checkout', 'service.version': '2.0.0' } }),
  );
  await insertSpans(db, spans.map((span) => ({ projectId: 3, span })));
  // Read right after the insert, as the API reads: nothing waits for a flush.
  expect(await sums(db, (t) => db.rollup(t))).toEqual([30, 30, 30, 30, 1]);
  await db.close();

  // Only the MergeTree tables survive a close; read them directly after reopening.
  db = await openDatabase(options);
  try {
    expect(await sums(db, (t) => db.table(t))).toEqual([30, 30, 30, 30, 1]);
  } finally {
    await db.close();
  }
});

test('a buffer holding rows of more days than one insert may create partitions for still flushes, by itself and on close', async () => {
  const db = await openDatabase(options);
  await migrate(db);
  const day = 86_400_000_000_000n;
  const now = BigInt(Date.now()) * 1_000_000n;
  try {
    const spans = Array.from({ length: 150 }, (_, i) => makeSpan({ spanId: (i + 1).toString(16).padStart(16, '0'), startTimeUnixNano: now + BigInt(i) * day }));
    await insertSpans(db, spans.map((span) => ({ projectId: 4, span })));
    // The flush of this process (once a second) must be allowed as many partitions as the rows span.
    const flushed = async () => (await db.query<{ n: string }>(sql`SELECT toString(sum(Calls)) AS n FROM ${db.table('span_metrics_1m')} WHERE ProjectId = 4`))[0]?.n;
    await expect.poll(flushed, { timeout: 10_000, interval: 250 }).toBe('150');
    await insertSpans(db, spans.map((span) => ({ projectId: 5, span })));
    await db.flushBuffers();
    const [row] = await db.query<{ n: string }>(sql`SELECT toString(sum(Calls)) AS n FROM ${db.table('span_metrics_1m')} WHERE ProjectId = 5`);
    expect(row?.n).toBe('150');
  } finally {
    await db.close();
  }
});

test('a read of a rollup never misses rows while its buffer is flushed (reads and flushes take turns)', async () => {
  const db = await openDatabase(options);
  await migrate(db);
  const now = BigInt(Date.now()) * 1_000_000n;
  const missed: string[] = [];
  try {
    // Each insert is flushed within a second; reading all along, a read during the engine's own flush saw the
    // total without that insert (about once per flush).
    for (let round = 1; round <= 5; round++) {
      const spans = Array.from({ length: 10 }, (_, i) =>
        makeSpan({ traceId: `${round}`.padStart(32, '0'), spanId: (round * 100 + i).toString(16).padStart(16, '0'), startTimeUnixNano: now - BigInt(i) * 1_000_000_000n }),
      );
      await insertSpans(db, spans.map((span) => ({ projectId: 6, span })));
      const until = Date.now() + 1_300;
      while (Date.now() < until) {
        const reads = await Promise.all(
          [0, 1].map(async () => (await db.query<{ n: string }>(sql`SELECT toString(sum(Calls)) AS n FROM ${db.rollup('span_metrics_1m')} WHERE ProjectId = 6`))[0]?.n),
        );
        for (const n of reads) if (n !== String(round * 10)) missed.push(`round ${round}: ${n}`);
      }
    }
    expect(missed).toEqual([]);
    // and the flushes happened: the rows are in the table itself
    const [row] = await db.query<{ n: string }>(sql`SELECT toString(sum(Calls)) AS n FROM ${db.table('span_metrics_1m')} WHERE ProjectId = 6`);
    expect(row?.n).toBe('50');
  } finally {
    await db.close();
  }
}, 30_000);
