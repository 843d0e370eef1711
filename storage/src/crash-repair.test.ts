import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repairTraceIndex } from './crash-repair.ts';
import type { Database } from './database.ts';
import { insertSpans } from './spans-writer.ts';
import { sql } from './sql.ts';
import { makeSpan } from './testing/make-span.ts';
import { openTempDatabase } from './testing/temp-database.ts';
import { traceWindow } from './trace-window.ts';

let db: Database;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
});
afterAll(async () => cleanup());

describe('trace index repair at start', () => {
  test('spans whose index rows a crash lost become readable again; existing bounds are unchanged', async () => {
    const start = BigInt(Date.now() - 60_000) * 1_000_000n;
    const spans = ['1', '2', '3'].map((d, i) => ({
      projectId: 1,
      span: makeSpan({
        traceId: d.repeat(32),
        spanId: d.repeat(16),
        startTimeUnixNano: start + BigInt(i) * 1_000_000n,
        endTimeUnixNano: start + 5_000_000n,
      }),
    }));
    await insertSpans(db, spans);
    const before = await traceWindow(db, 1, '1'.repeat(32));
    expect(before).not.toBeNull();
    // what a kill -9 between the spans part and the view's part leaves: spans without index rows
    await db.command(sql`ALTER TABLE ${db.table('trace_index')} DELETE WHERE TraceId != ${'1'.repeat(32)}`, { mutations_sync: '1' });
    expect(await traceWindow(db, 1, '2'.repeat(32))).toBeNull();

    expect(await repairTraceIndex(db)).toBe(3);
    expect(await traceWindow(db, 1, '2'.repeat(32))).not.toBeNull();
    expect(await traceWindow(db, 1, '3'.repeat(32))).not.toBeNull();
    expect(await traceWindow(db, 1, '1'.repeat(32))).toEqual(before);
  });
});
