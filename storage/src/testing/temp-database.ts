import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database, type StorageOptions } from '../database.ts';
import { migrate } from '../migrate.ts';

/** A migrated embedded database in a fresh temp directory (one per test file: chDB binds one per process). */
export async function openTempDatabase(overrides: Partial<StorageOptions> = {}): Promise<{ db: Database; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'faultline-test-'));
  const db = await openDatabase({
    dataDir,
    clickhouseUrl: '',
    cluster: '',
    database: 'faultline',
    retentionDays: 14,
    queryTimeoutSeconds: 30,
    maxResultRows: 100_000,
    ...overrides,
  });
  await migrate(db);
  return {
    db,
    cleanup: async () => {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
