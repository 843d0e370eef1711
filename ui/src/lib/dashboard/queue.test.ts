import { describe, expect, test } from 'vitest';
import { taskQueue } from './queue.ts';

const deferred = () => {
  let resolve!: (v: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
};
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('task queue', () => {
  test('runs at most `limit` tasks at once, the rest in arrival order as slots free', async () => {
    const queue = taskQueue(2);
    const jobs = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const results = jobs.map((j, i) =>
      queue(() => {
        started.push(i);
        return j.promise;
      }),
    );
    await flush();
    expect(started).toEqual([0, 1]);
    jobs[1]!.resolve('b');
    await flush();
    expect(started).toEqual([0, 1, 2]);
    jobs[0]!.resolve('a');
    jobs[2]!.resolve('c');
    await flush();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    jobs[3]!.resolve('d');
    jobs[4]!.resolve('e');
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('a failed task frees its slot; a task aborted while waiting never starts', async () => {
    const queue = taskQueue(1);
    const first = deferred();
    const started: string[] = [];
    const a = queue(() => (started.push('a'), first.promise.then(() => Promise.reject(new Error('boom')))));
    const ctrl = new AbortController();
    const b = queue(() => (started.push('b'), Promise.resolve('b')), ctrl.signal);
    const c = queue(() => (started.push('c'), Promise.resolve('c')));
    ctrl.abort();
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
    first.resolve('');
    await expect(a).rejects.toThrow('boom');
    expect(await c).toBe('c');
    expect(started).toEqual(['a', 'c']);
  });
});
