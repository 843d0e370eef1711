import type { DeliveryOutcome } from '@faultline/storage';

export interface DeliveryOptions {
  /** Per attempt. */
  timeoutMs: number;
  /** Attempts in all (the first one included). */
  attempts: number;
  /** Wait before the second attempt; doubles after each further one. */
  backoffMs: number;
  /** Aborts waiting and sending (shutdown). */
  signal?: AbortSignal;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { timeoutMs: 5_000, attempts: 3, backoffMs: 500 };

/**
 * What a log line or an API answer for a read token may show of a webhook: its origin. Slack, Teams and most
 * receivers put the secret in the path or the query.
 */
export function maskWebhookUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * The cause of a failed fetch: `ECONNREFUSED`, `timeout`, `bad port`, …. Never the error's own text, which may
 * quote the URL (and so a secret in its path).
 */
function describeFailure(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return err.name === 'TimeoutError' ? 'timeout' : 'aborted';
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  // undici's own refusals (a blocked port, a bad header) carry a short message and no URL.
  if (cause && typeof cause.message === 'string' && !cause.message.includes('/')) return cause.message.slice(0, 100);
  return 'network error';
}

async function attempt(url: string, body: string, options: DeliveryOptions): Promise<{ httpStatus: number; error: string; retry: boolean }> {
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Faultline-Alerts/1' },
      body,
      // A redirect could lead anywhere; a receiver that moved is a configuration error to fix, not to follow.
      redirect: 'manual',
      signal: AbortSignal.any(signals),
    });
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return { httpStatus: res.status, error: '', retry: false };
    // 5xx and 429 are the receiver's passing trouble; other answers will not change by asking again.
    return { httpStatus: res.status, error: `HTTP ${res.status}`, retry: res.status >= 500 || res.status === 429 };
  } catch (err) {
    return { httpStatus: 0, error: describeFailure(err), retry: !options.signal?.aborted };
  }
}

/** POSTs JSON to a webhook with a timeout per attempt and bounded retries with exponential backoff. */
export async function deliverWebhook(url: string, payload: unknown, options: DeliveryOptions = DEFAULT_DELIVERY): Promise<DeliveryOutcome> {
  const body = JSON.stringify(payload);
  let last = { httpStatus: 0, error: 'not sent', retry: false };
  for (let n = 1; n <= options.attempts; n++) {
    last = await attempt(url, body, options);
    if (last.error === '') return { status: 'delivered', httpStatus: last.httpStatus, attempts: n, error: '' };
    if (!last.retry || n === options.attempts) return { status: 'failed', httpStatus: last.httpStatus, attempts: n, error: last.error };
    await sleep(options.backoffMs * 2 ** (n - 1), options.signal);
    if (options.signal?.aborted) return { status: 'failed', httpStatus: last.httpStatus, attempts: n, error: 'aborted' };
  }
  return { status: 'failed', httpStatus: last.httpStatus, attempts: options.attempts, error: last.error };
}
