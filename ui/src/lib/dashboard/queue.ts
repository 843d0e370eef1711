// A bound on the requests a page has in flight: every dashboard panel is a ClickHouse query, and a board of twenty
// should not start twenty at once. First come, first served, so panels fill in from the top.

/** Runs `task` once a slot is free; a task whose `signal` aborts while it waits never starts (rejects AbortError). */
export type TaskQueue = <T>(task: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

/** No bound: for a chart outside the dashboard. */
export const unbounded: TaskQueue = (task) => task();

const aborted = (): DOMException => new DOMException('The request was aborted', 'AbortError');

export function taskQueue(limit: number): TaskQueue {
  let running = 0;
  const waiting: Array<() => void> = [];

  const release = (): void => {
    running -= 1;
    waiting.shift()?.();
  };

  return <T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = (): void => {
        signal?.removeEventListener('abort', drop);
        running += 1;
        task().then(resolve, reject).finally(release);
      };
      function drop(): void {
        const i = waiting.indexOf(start);
        if (i >= 0) waiting.splice(i, 1);
        reject(aborted());
      }
      if (signal?.aborted) return reject(aborted());
      if (running < limit) return start();
      waiting.push(start);
      signal?.addEventListener('abort', drop, { once: true });
    });
}
