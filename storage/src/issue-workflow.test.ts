import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { activityPage, countActivity, insertActivity, InvalidActivityCursorError, type ActivityRow } from './issue-workflow.ts';
import { openTempDatabase } from './testing/temp-database.ts';

let db: Database;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
});
afterAll(async () => cleanup());

const T0 = Date.UTC(2026, 0, 5, 12);
const row = (issueId: string, i: number, over: Partial<ActivityRow> = {}): ActivityRow => ({
  issueId,
  activityId: `note:${String(i).padStart(3, '0')}`,
  kind: 'note',
  timestampMs: T0 + i * 1000,
  actor: 'token:1',
  data: { text: `note ${i}` },
  ...over,
});

describe('issue activity', () => {
  test('a page holds the newest entries, newest first; the cursor pages on to older ones, each entry once', async () => {
    // 25 entries, five of them in one millisecond (ordered by id there), plus another issue's entry that never shows.
    const rows = [
      ...Array.from({ length: 20 }, (_, i) => row('a', i)),
      ...Array.from({ length: 5 }, (_, i) => row('a', 20 + i, { timestampMs: T0 + 60_000, activityId: `status_change:${i}.5`, kind: 'status_change' })),
    ];
    await insertActivity(db, 1, rows);
    await insertActivity(db, 1, [row('b', 99)]);
    await insertActivity(db, 2, [row('a', 98)]);

    const first = await activityPage(db, 1, 'a', 10);
    expect(first.activity.map((a) => a.id)).toEqual([...rows].reverse().slice(0, 10).map((r) => r.activityId));
    expect(first.activity[0]?.id).toBe('status_change:4.5');
    expect(first.activity[5]).toMatchObject({ kind: 'note', actor: 'token:1', data: { text: 'note 19' }, timestamp: expect.stringMatching(/^2026-01-05T12:00:19\.0+Z$/) as unknown });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof activityPage>> = await activityPage(db, 1, 'a', 7, cursor ?? undefined);
      seen.push(...page.activity.map((a) => a.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toEqual([...rows].reverse().map((r) => r.activityId));
    // exactly a page's worth: no cursor to an empty page
    expect((await activityPage(db, 1, 'b', 1)).nextCursor).toBeNull();
  });

  test('counts entries of an issue, all or of one kind', async () => {
    expect(await countActivity(db, 1, 'a')).toBe(25);
    expect(await countActivity(db, 1, 'a', 'note')).toBe(20);
    expect(await countActivity(db, 1, 'nothing')).toBe(0);
    // a rewritten entry (same id) counts once
    await insertActivity(db, 1, [row('a', 0)]);
    expect(await countActivity(db, 1, 'a', 'note')).toBe(20);
  });

  test('a cursor this API did not make is refused', async () => {
    for (const bad of ['x', '12', '12.', '.note:1', '12.a b']) {
      await expect(activityPage(db, 1, 'a', 5, bad)).rejects.toBeInstanceOf(InvalidActivityCursorError);
    }
  });
});
