import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openDatabase, type Database } from './database.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { insertSpans } from './spans-writer.ts';
import { sql } from './sql.ts';
import { makeSpan } from './testing/make-span.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-codec-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function activeParts(db: Database): Promise<Array<{ rows: string; codec: string }>> {
  return db.query(
    sql`SELECT toString(rows) AS rows, default_compression_codec AS codec FROM system.parts
        WHERE database = 'faultline' AND table = 'spans' AND active ORDER BY rows`,
  );
}

/** `count` spans whose one attribute is `bytes` of incompressible hex, so a part's size is known in advance. */
function bulkySpans(count: number, bytes: number, first: number) {
  return Array.from({ length: count }, (_, i) => ({
    projectId: 1,
    span: makeSpan({ spanId: (first + i).toString(16).padStart(16, '0'), attributes: { blob: randomBytes(bytes / 2).toString('hex') } }),
  }));
}

test('the attributes codec migration exists only for embedded chDB', () => {
  const find = (embedded: boolean) => loadMigrations({ database: 'fl', cluster: '', retentionDays: 14, embedded }).find((m) => m.version === 14);
  expect(find(true)?.statements).toEqual(['ALTER TABLE `fl`.spans MODIFY COLUMN SpanAttributes CODEC(Default)']);
  // Recorded on a server too, with nothing to run: its spans keep ZSTD(9) from 0002.
  expect(find(false)?.statements).toEqual([]);
});

test('span attributes use zstd 1 in an insert\'s part and zstd 9 once a merge writes 16 MiB', async () => {
  const db = await openDatabase({ dataDir, clickhouseUrl: '', cluster: '', database: 'faultline', retentionDays: 14, queryTimeoutSeconds: 60, maxResultRows: 1000 });
  try {
    await migrate(db);
    const [column] = await db.query<{ codec: string }>(
      sql`SELECT compression_codec AS codec FROM system.columns WHERE database = 'faultline' AND table = 'spans' AND name = 'SpanAttributes'`,
    );
    expect(column?.codec).toBe('CODEC(Default)');

    // Two parts of ~10 MB each (random hex compresses 2:1): each alone is below the threshold, their merge above.
    await insertSpans(db, bulkySpans(1200, 16384, 1));
    await insertSpans(db, bulkySpans(1200, 16384, 5000));
    expect(await activeParts(db)).toEqual([
      { rows: '1200', codec: 'ZSTD(1)' },
      { rows: '1200', codec: 'ZSTD(1)' },
    ]);
    await db.command('OPTIMIZE TABLE `faultline`.spans FINAL');
    expect(await activeParts(db)).toEqual([{ rows: '2400', codec: 'ZSTD(9)' }]);
  } finally {
    await db.close();
  }
});
