import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { isQueryTimeout, isResultTooLarge } from './query-errors.ts';
import { sql } from './sql.ts';
import { openTempDatabase } from './testing/temp-database.ts';

let db: Database;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
});
afterAll(async () => cleanup());

describe('embedded connections', () => {
  test('a read does not wait for a write in progress, and two reads run side by side', async () => {
    await db.command('CREATE TABLE faultline.slow_sink (n UInt64) ENGINE = Null');
    const order: string[] = [];
    // A write that keeps the writer connection busy for a while (hundreds of ms here).
    const write = db.command('INSERT INTO faultline.slow_sink SELECT sum(number) FROM numbers(300000000) GROUP BY number % 3').then(() => order.push('write'));
    await new Promise((r) => setTimeout(r, 50));
    const read = db.query<{ ok: number }>(sql`SELECT 1 AS ok`).then((rows) => order.push(`read ${rows[0]?.ok}`));
    await Promise.all([write, read]);
    expect(order).toEqual(['read 1', 'write']);

    const slowRead = db.query(sql`SELECT sum(cityHash64(number)) AS s FROM numbers(200000000)`).then(() => order.push('slow read'));
    await new Promise((r) => setTimeout(r, 50));
    const quickRead = db.query(sql`SELECT 2 AS ok`).then(() => order.push('quick read'));
    await Promise.all([slowRead, quickRead]);
    expect(order.slice(2)).toEqual(['quick read', 'slow read']);
  });
});

test('a read past max_execution_time is recognised as a timeout (the API answers it 503), one past max_result_rows as too large (400), other failures as neither', async () => {
  const slow = db.query(sql`SELECT sleepEachRow(0.5) FROM numbers(8) SETTINGS max_block_size = 1`, { max_execution_time: 1 });
  const err: unknown = await slow.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  expect(isQueryTimeout(err)).toBe(true);
  const broken: unknown = await db.query(sql`SELECT no_such_column FROM numbers(1)`).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isQueryTimeout(broken)).toBe(false);
  expect(isResultTooLarge(broken)).toBe(false);
  const large: unknown = await db.query(sql`SELECT number FROM numbers(1000)`, { max_result_rows: '100' }).then(
    () => null,
    (e: unknown) => e,
  );
  expect([isResultTooLarge(large), isQueryTimeout(large)]).toEqual([true, false]);
  expect(isResultTooLarge(err)).toBe(false);
}, 30_000);

test('a read that fails midway hands none of its rows to the reads after it (timeouts, the row limit, exceptions)', async () => {
  const failing = [
    db.query(sql`SELECT sleepEachRow(0.3) AS leaked FROM numbers(8) SETTINGS max_block_size = 1`, { max_execution_time: 1 }),
    db.query(sql`SELECT number AS leaked FROM numbers(100000) SETTINGS max_block_size = 10`, { max_result_rows: '100' }),
    db.query(sql`SELECT throwIf(number = 5) AS leaked FROM numbers(10) SETTINGS max_block_size = 1`),
  ];
  // Reads queued behind the failing ones on both connections, and reads after them.
  const queued = Array.from({ length: 6 }, (_, i) => db.query<Record<string, unknown>>(sql`SELECT ${i} AS x`));
  const outcomes = await Promise.allSettled(failing);
  expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
  const after = await Promise.all(Array.from({ length: 6 }, (_, i) => db.query<Record<string, unknown>>(sql`SELECT ${i} AS x`)));
  expect(await Promise.all(queued)).toEqual(Array.from({ length: 6 }, (_, i) => [{ x: i }]));
  expect(after).toEqual(Array.from({ length: 6 }, (_, i) => [{ x: i }]));
}, 30_000);

describe('read settings on a chDB session (each is SET once, then kept by the session)', () => {
  const setting = async (name: string, settings?: Record<string, string | number>) =>
    (await db.query<{ v: string }>(sql`SELECT toString(getSetting(${name})) AS v`, settings))[0]?.v;

  test('a read that overrides a shared setting does not leave it to the reads after it', async () => {
    const defaults = await Promise.all([setting('max_result_rows'), setting('max_result_rows')]);
    expect(new Set(defaults).size).toBe(1);
    // Every connection of the pool gets the override, then reads without it.
    expect(await Promise.all([setting('max_result_rows', { max_result_rows: '5' }), setting('max_result_rows', { max_result_rows: '5' })])).toEqual(['5', '5']);
    expect(await Promise.all([setting('max_result_rows'), setting('max_result_rows'), setting('max_result_rows')])).toEqual([defaults[0], defaults[0], defaults[0]]);
    // The limit itself applies again: 2,000 rows pass right after a read limited to 5.
    expect(await db.query(sql`SELECT number FROM numbers(2000)`)).toHaveLength(2000);
  });

  test('a setting only one read names is gone for the next read', async () => {
    const before = await setting('max_threads');
    expect(await Promise.all([setting('max_threads', { max_threads: 1 }), setting('max_threads', { max_threads: 1 })])).toEqual(['1', '1']);
    expect(await Promise.all([setting('max_threads'), setting('max_threads')])).toEqual([before, before]);
    expect(before).not.toBe('1');
  });
});
