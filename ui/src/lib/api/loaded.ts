// The loading / ok / error state of one request, and a runner for `$effect`s that aborts the
// request when the effect re-runs or the page goes away.
import { ApiError, errorMessage, isAbort } from './client.ts';

export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; message: string; httpStatus: number };

export const LOADING: Loaded<never> = { status: 'loading' };

/**
 * Starts `fetcher` and reports every state change to `set`; returns the abort function (return it
 * from the `$effect`). With `keep`, the previous data stays on screen while reloading.
 */
export function run<T>(fetcher: (signal: AbortSignal) => Promise<T>, set: (state: Loaded<T>) => void, keep = false): () => void {
  const ctrl = new AbortController();
  if (!keep) set(LOADING);
  fetcher(ctrl.signal)
    .then((data) => {
      if (!ctrl.signal.aborted) set({ status: 'ok', data });
    })
    .catch((err: unknown) => {
      if (isAbort(err) || ctrl.signal.aborted) return;
      set({ status: 'error', message: errorMessage(err), httpStatus: err instanceof ApiError ? err.status : 0 });
    });
  return () => ctrl.abort();
}

/**
 * Appends the next page to an ok result: `fetchNext` returns its data with the page joined on, which
 * replaces it through `set`. The "Load more" state (loading, idle, or the failure's message) goes to
 * `setMore`. When the result changed meanwhile (a new search), the page and its failure are dropped.
 */
export async function appendNext<T>(
  result: () => Loaded<T>,
  set: (data: T) => void,
  setMore: (more: string) => void,
  fetchNext: (current: T) => Promise<T>,
): Promise<void> {
  const start = result();
  if (start.status !== 'ok') return;
  const current = start.data;
  const unchanged = (): boolean => {
    const now = result();
    return now.status === 'ok' && now.data === current;
  };
  setMore('loading');
  try {
    const data = await fetchNext(current);
    if (!unchanged()) return;
    set(data);
    setMore('idle');
  } catch (err) {
    if (unchanged()) setMore(isAbort(err) ? 'idle' : errorMessage(err));
  }
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
