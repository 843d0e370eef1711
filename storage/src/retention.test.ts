import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openDatabase, type StorageOptions } from './database.ts';
import { migrate } from './migrate.ts';
import { spanRow } from './spans-writer.ts';
import { sql } from './sql.ts';
import { makeSpan } from './testing/make-span.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-retention-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const options = (retentionDays: number): StorageOptions => ({
  dataDir,
  clickhouseUrl: '',
  cluster: '',
  database: 'faultline',
  retentionDays,
  queryTimeoutSeconds: 30,
  maxResultRows: 1000,
});

test('retention is a real TTL: lowering it at start drops older telemetry, keeps the rest', async () => {
  const day = 86_400_000_000_000n;
  const now = BigInt(Date.now()) * 1_000_000n;
  let db = await openDatabase(options(14));
  await migrate(db);
  // Five days old and arrived then (InsertedAt is the server's clock at insert; set here as that insert would have).
  const fiveDaysAgo = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
  await db.insert('spans', [
    { ...spanRow(1, makeSpan({ spanId: '1'.repeat(16), startTimeUnixNano: now - 5n * day, endTimeUnixNano: now - 5n * day + 1000n })), InsertedAt: fiveDaysAgo },
    spanRow(1, makeSpan({ spanId: '2'.repeat(16), startTimeUnixNano: now, endTimeUnixNano: now + 1000n })),
  ]);
  // Sent today with a time far past retention (a backfill, a replayed export): kept for the retention from now.
  await db.insert('spans', [spanRow(1, makeSpan({ spanId: '3'.repeat(16), startTimeUnixNano: now - 400n * day, endTimeUnixNano: now - 400n * day + 1000n }))]);
  await db.command(sql`OPTIMIZE TABLE ${db.table('spans')} FINAL`);
  // Arrival is kept to the hour, rounded up (migration 0028): the rows of a part share a few values on disk.
  const arrival = await db.query<{ whole: number; ahead: number }>(sql`
    SELECT toUInt8(InsertedAt = toStartOfHour(InsertedAt)) AS whole, toInt32(InsertedAt) - toInt32(now()) AS ahead
    FROM ${db.table('spans')} WHERE SpanId = ${'3'.repeat(16)}`);
  expect(arrival[0]?.whole).toBe(1);
  expect(arrival[0]?.ahead).toBeGreaterThan(-60);
  expect(arrival[0]?.ahead).toBeLessThanOrEqual(3600);
  const count = async () => (await db.query<{ n: number }>(sql`SELECT toUInt32(count()) AS n FROM ${db.table('spans')}`))[0]?.n;
  expect(await count()).toBe(3);
  await db.close();

  db = await openDatabase(options(2));
  await migrate(db);
  const ddl = await db.query<{ q: string }>(sql`SELECT create_table_query AS q FROM system.tables WHERE database = 'faultline' AND name = 'spans'`);
  expect(ddl[0]?.q).toContain('toIntervalDay(2)');
  // The TTL change runs as a background mutation on existing parts.
  const deadline = Date.now() + 30_000;
  while ((await count()) !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(await count()).toBe(2);
  const kept = await db.query<{ id: string }>(sql`SELECT SpanId AS id FROM ${db.table('spans')} ORDER BY id`);
  expect(kept.map((r) => r.id)).toEqual(['2'.repeat(16), '3'.repeat(16)]);
  await db.close();
});
