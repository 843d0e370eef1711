/**
 * Batches ended spans and POSTs them as OTLP/JSON. When the page is hidden or unloaded everything queued
 * goes out at once. `navigator.sendBeacon` cannot set headers, and Faultline's OTLP endpoint takes the key
 * only from `Authorization`, so the unload path uses `fetch(..., { keepalive: true })`, which survives the
 * page like a beacon and can carry headers (the collector answers the CORS preflight for `authorization`).
 */
import type { AttributeValue } from '../exception.ts';
import { encodeTraces, type Scope } from './otlp.ts';
import type { SpanRecord } from './tracer.ts';

export interface ExporterOptions {
  url: string;
  key: string;
  resource: Record<string, AttributeValue>;
  scope: Scope;
  /** Taken before fetch is instrumented, so exports are never traced or given a traceparent. */
  fetch: typeof fetch;
  /** Longest wait before a partial batch is sent. */
  delayMs: number;
  maxBatch: number;
  /** Beyond this, new spans are dropped (a dead collector must not grow memory without bound). */
  maxQueue: number;
}

// Browsers allow 64 KiB of keepalive bodies in flight per page; larger bodies go without keepalive.
const KEEPALIVE_LIMIT = 60_000;

export interface Exporter {
  enqueue(span: SpanRecord): void;
  /** Sends all queued spans; `unloading` forces keepalive so the requests outlive the page. */
  flush(unloading?: boolean): Promise<void>;
  /** Spans dropped because the queue was full. */
  dropped(): number;
}

export function createExporter(options: ExporterOptions): Exporter {
  const queue: SpanRecord[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let dropped = 0;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${options.key}` };

  function send(spans: SpanRecord[], unloading: boolean): Promise<void> {
    const body = encodeTraces(options.resource, options.scope, spans);
    // Too big for one keepalive request while unloading: split it rather than lose the tail.
    if (unloading && body.length > KEEPALIVE_LIMIT && spans.length > 1) {
      const half = Math.ceil(spans.length / 2);
      return Promise.all([send(spans.slice(0, half), true), send(spans.slice(half), true)]).then(() => undefined);
    }
    const post = (keepalive: boolean): Promise<unknown> =>
      options.fetch(options.url, { method: 'POST', headers, body, keepalive, credentials: 'omit', mode: 'cors' });
    const keepalive = body.length <= KEEPALIVE_LIMIT;
    try {
      // The keepalive quota is shared by the whole page; when it is used up the request fails at once, so a
      // batch sent while the page stays open gets one more try without keepalive.
      return post(keepalive)
        .catch(() => (keepalive && !unloading ? post(false) : undefined))
        .then(
          () => undefined,
          () => undefined,
        );
    } catch {
      // A synchronous throw loses this batch only.
      return Promise.resolve();
    }
  }

  function flush(unloading = false): Promise<void> {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    const sends: Array<Promise<void>> = [];
    while (queue.length > 0) sends.push(send(queue.splice(0, options.maxBatch), unloading));
    return Promise.all(sends).then(() => undefined);
  }

  return {
    enqueue(span) {
      if (queue.length >= options.maxQueue) {
        dropped++;
        return;
      }
      queue.push(span);
      if (queue.length >= options.maxBatch) void flush();
      else if (timer === null) timer = setTimeout(() => void flush(), options.delayMs);
    },
    flush,
    dropped: () => dropped,
  };
}
