import { describe, expect, test } from 'vitest';
import { Batcher, type BatcherOptions } from './batcher.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rows = (n: number, tag = 'r') => Array.from({ length: n }, (_, i) => ({ tag, i }));

/** An insert that takes `ms` and records each batch's size (the group-commit logic is under test, not storage). */
function recorder(ms: number, fail?: (batch: object[]) => Error | null) {
  const batches: number[] = [];
  const insert = async (batch: object[]) => {
    await sleep(ms);
    const err = fail?.(batch) ?? null;
    if (err) throw err;
    batches.push(batch.length);
  };
  return { batches, insert };
}

const options = (o: Partial<BatcherOptions> = {}): BatcherOptions => ({
  maxBatchRows: 10_000,
  maxDelayMs: 200,
  maxQueuedRows: 100_000,
  maxConcurrentInserts: 1,
  ...o,
});

describe('Batcher', () => {
  test('a lone request is written at once, not after the longest delay', async () => {
    const { batches, insert } = recorder(1);
    const b = new Batcher(options({ maxDelayMs: 5_000 }), insert);
    const t0 = performance.now();
    expect(await b.submit(rows(10))).toEqual({ status: 'accepted' });
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(batches).toEqual([10]);
  });

  test('concurrent senders that wait for their answer share inserts, with no timer pause per cycle', async () => {
    const { batches, insert } = recorder(20);
    const b = new Batcher(options({ maxDelayMs: 1_000 }), insert);
    const clients = 8;
    const rounds = 15;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let r = 0; r < rounds; r++) expect((await b.submit(rows(100))).status).toBe('accepted');
      }),
    );
    const elapsed = performance.now() - t0;
    expect(batches.reduce((a, n) => a + n, 0)).toBe(clients * rounds * 100);
    // Once the batcher has seen 8 outstanding requests, each cycle writes all 8 together.
    expect(batches.length).toBeLessThanOrEqual(rounds + 4);
    expect(Math.max(...batches)).toBe(800);
    // A pause of maxDelayMs in any cycle would take ≥ 1 s.
    expect(elapsed).toBeLessThan(rounds * 20 * 4 + 900);
  });

  test('background rows (nobody waits for them) are written once per maxDelayMs, not once per arrival', async () => {
    const { batches, insert } = recorder(1);
    const b = new Batcher(options({ maxDelayMs: 150, background: true }), insert);
    const t0 = performance.now();
    const done: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      done.push(b.submit(rows(3)));
      await sleep(10);
    }
    await Promise.all(done);
    // A request-driven batcher writes the first arrival at once; here all ten wait for the interval.
    expect(batches).toEqual([30]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    await b.submit(rows(10_000));
    expect(batches).toEqual([30, 10_000]);
  });

  test('when fewer senders remain than before, waiting rows go after a short pause, not after maxDelayMs', async () => {
    const { batches, insert } = recorder(5);
    const b = new Batcher(options({ maxDelayMs: 5_000 }), insert);
    await Promise.all([b.submit(rows(1)), b.submit(rows(1)), b.submit(rows(1)), b.submit(rows(1))]);
    // The batcher now expects several senders; a single one is still answered within milliseconds.
    const t0 = performance.now();
    await b.submit(rows(1));
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(batches.reduce((a, n) => a + n, 0)).toBe(5);
  });

  test('a steady trickle is bounded by maxDelayMs: rows never wait longer than that for the batch to fill', async () => {
    const { batches, insert } = recorder(1);
    const b = new Batcher(options({ maxDelayMs: 100 }), insert);
    // Make the batcher expect 50 senders, then trickle in requests every 5 ms (under the idle gap).
    await Promise.all(Array.from({ length: 50 }, () => b.submit(rows(1))));
    const waits: Promise<number>[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      waits.push(b.submit(rows(1)).then(() => performance.now() - t0));
      await sleep(5);
    }
    const longest = Math.max(...(await Promise.all(waits)));
    expect(longest).toBeGreaterThanOrEqual(90);
    expect(longest).toBeLessThan(600);
    expect(batches.reduce((a, n) => a + n, 0)).toBe(90);
  });

  test('full batches go at once and never exceed maxBatchRows (whole requests)', async () => {
    const { batches, insert } = recorder(10);
    const b = new Batcher(options({ maxBatchRows: 250, maxDelayMs: 5_000 }), insert);
    const results = await Promise.all(Array.from({ length: 10 }, () => b.submit(rows(100))));
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    expect(Math.max(...batches)).toBeLessThanOrEqual(200);
    expect(batches.reduce((a, n) => a + n, 0)).toBe(1_000);
  });

  test('a full queue refuses with a retryable answer; accepted rows are all written', async () => {
    const { batches, insert } = recorder(50);
    const b = new Batcher(options({ maxQueuedRows: 300 }), insert);
    const results = await Promise.all(Array.from({ length: 5 }, () => b.submit(rows(100))));
    expect(results.filter((r) => r.status === 'retryable')).toHaveLength(2);
    expect(batches.reduce((a, n) => a + n, 0)).toBe(300);
  });

  test('saturated() tells before decoding that a request like the last one would be refused', async () => {
    const { insert } = recorder(50);
    const b = new Batcher(options({ maxQueuedRows: 300 }), insert);
    expect(b.saturated()).toBe(false);
    const first = [b.submit(rows(100)), b.submit(rows(100))];
    expect(b.saturated()).toBe(false);
    const third = b.submit(rows(100));
    // 300 rows queued: another 100-row request would not fit.
    expect(b.saturated()).toBe(true);
    expect((await b.submit(rows(100))).status).toBe('retryable');
    await Promise.all([...first, third]);
    expect(b.saturated()).toBe(false);
    await b.close();
    expect(b.saturated()).toBe(true);
  });

  test('after one huge request, saturated() still expects at most a batch', async () => {
    const { insert } = recorder(50);
    const b = new Batcher(options({ maxQueuedRows: 1_000, maxBatchRows: 100 }), insert);
    const big = b.submit(rows(600));
    // 600 queued; a 600-row estimate would say full, but the next request is expected to be at most 100 rows.
    expect(b.saturated()).toBe(false);
    const more = [b.submit(rows(100)), b.submit(rows(100)), b.submit(rows(100)), b.submit(rows(100))];
    expect(b.saturated()).toBe(true);
    await Promise.all([big, ...more]);
  });

  test('a poison request in a shared batch is refused alone; storage outages are retryable', async () => {
    const poison = Object.assign(new Error('Cannot parse input'), { code: 27 });
    const { batches, insert } = recorder(5, (batch) => (batch.some((r) => (r as { tag: string }).tag === 'bad') ? poison : null));
    const b = new Batcher(options({ maxDelayMs: 50 }), insert);
    const [good1, bad, good2] = await Promise.all([b.submit(rows(3)), b.submit(rows(2, 'bad')), b.submit(rows(4))]);
    expect(good1.status).toBe('accepted');
    expect(good2.status).toBe('accepted');
    expect(bad.status).toBe('invalid');
    expect(batches.reduce((a, n) => a + n, 0)).toBe(7);

    const down = new Batcher(options(), async () => Promise.reject(new Error('connect ECONNREFUSED')));
    expect((await down.submit(rows(1))).status).toBe('retryable');
  });

  test('close writes what is queued and refuses new rows', async () => {
    const { batches, insert } = recorder(20);
    const b = new Batcher(options({ maxDelayMs: 10_000 }), insert);
    const pending = [b.submit(rows(5)), b.submit(rows(5))];
    await b.close();
    expect((await Promise.all(pending)).every((r) => r.status === 'accepted')).toBe(true);
    expect((await b.submit(rows(1))).status).toBe('retryable');
    expect(batches.reduce((a, n) => a + n, 0)).toBe(10);
  });
});
