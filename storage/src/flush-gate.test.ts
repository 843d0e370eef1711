import { expect, test } from 'vitest';
import { FlushGate } from './flush-gate.ts';

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

test('a flush waits for the running reads, and reads that come meanwhile wait for the flush', async () => {
  const gate = new FlushGate(1_000);
  const order: string[] = [];
  const slowRead = gate.shared(async () => {
    await later(50);
    order.push('read 1');
  });
  const flush = gate.exclusive(async () => {
    order.push('flush start');
    await later(30);
    order.push('flush end');
  });
  const nextRead = gate.shared(async () => {
    order.push('read 2');
  });
  expect(await Promise.all([slowRead, flush, nextRead])).toEqual([undefined, true, undefined]);
  expect(order).toEqual(['read 1', 'flush start', 'flush end', 'read 2']);
});

test('a flush gives up when the running reads outlast its patience; they and the reads after them go on', async () => {
  const gate = new FlushGate(20);
  let flushed = false;
  const longRead = gate.shared(() => later(200));
  const flush = gate.exclusive(async () => {
    flushed = true;
  });
  const quickRead = gate.shared(async () => 'quick');
  expect(await flush).toBe(false);
  expect(await quickRead).toBe('quick');
  await longRead;
  expect(flushed).toBe(false);
  // once the reads are done, a flush goes through at once
  expect(await gate.exclusive(async () => undefined)).toBe(true);
});

test('a failing flush opens the gate again', async () => {
  const gate = new FlushGate(100);
  await expect(gate.exclusive(() => Promise.reject(new Error('engine said no')))).rejects.toThrow('engine said no');
  expect(await gate.shared(async () => 'read')).toBe('read');
});
