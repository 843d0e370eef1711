import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { flushBuffers, openDatabase, type Database, type RollupTable, type StorageOptions } from './database.ts';
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
    // The engine's own flush (once a second) runs with its default profile, not with any session's settings.
    const flushed = async () => (await db.query<{ n: string }>(sql`SELECT toString(sum(Calls)) AS n FROM ${db.table('span_metrics_1m')} WHERE ProjectId = 4`))[0]?.n;
    await expect.poll(flushed, { timeout: 10_000, interval: 250 }).toBe('150');
    await insertSpans(db, spans.map((span) => ({ projectId: 5, span })));
    await flushBuffers(db);
    const [row] = await db.query<{ n: string }>(sql`SELECT toString(sum(Calls)) AS n FROM ${db.table('span_metrics_1m')} WHERE ProjectId = 5`);
    expect(row?.n).toBe('150');
  } finally {
    await db.close();
  }
});
