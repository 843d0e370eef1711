// Loads a trace for the waterfall in two steps. Reading a 50k-span trace takes the server seconds,
// most of it per-span work, so the UI first asks for the earliest spans only (cheap) and paints the
// top of the waterfall from them, then swaps in the whole trace. A trace that fits in the first
// answer is loaded with a single request.
import { getJson, normalizeTrace as normalize } from '../api/client.ts';
import type { ApiTrace } from '../api/types.ts';

/** Spans in the first answer: a few screens of rows, small enough to arrive quickly. */
export const HEAD_SPANS = 300;

const seg = encodeURIComponent;

function headPath(project: string, traceId: string): string {
  return `/projects/${seg(project)}/traces/${seg(traceId)}?limit=${HEAD_SPANS}`;
}

// One first request started ahead of the page (from the route's load function, before the page
// and the app shell have mounted), handed to the next loadTrace of the same trace.
let early: { key: string; promise: Promise<ApiTrace> } | null = null;

export function prefetchTraceHead(project: string, traceId: string): void {
  const key = headPath(project, traceId);
  const promise = getJson<ApiTrace>(key);
  // nobody may ever take it (the page was left at once); its failure then must not go unhandled
  promise.catch(() => undefined);
  early = { key, promise };
}

function takeEarly(key: string): Promise<ApiTrace> | null {
  if (early?.key !== key) return null;
  const { promise } = early;
  early = null;
  return promise;
}

/** Resolves with `promise` unless `signal` aborts first. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DOMException('aborted', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Resolves with the whole trace; `onHead` gets the earliest spans first when the trace is larger
 * than HEAD_SPANS. Rejects like getJson (ApiError with the status, or an abort).
 */
export async function loadTrace(
  project: string,
  traceId: string,
  signal: AbortSignal,
  onHead: (head: ApiTrace) => void,
): Promise<ApiTrace> {
  const path = `/projects/${seg(project)}/traces/${seg(traceId)}`;
  const first = takeEarly(headPath(project, traceId));
  const head = normalize(await (first ? abortable(first, signal) : getJson<ApiTrace>(headPath(project, traceId), signal)));
  if (head.spans.length < HEAD_SPANS) return head;
  onHead(head);
  return normalize(await getJson<ApiTrace>(path, signal));
}
