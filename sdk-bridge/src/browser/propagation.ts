import { formatTraceparent, formatTracestate, parseTracestate } from '../traceparent.ts';

/** An origin (`https://api.example.com`, matched exactly) or a RegExp tested against the full URL. */
export type PropagationTarget = string | RegExp;

function originOf(text: string, base?: string): string | null {
  try {
    return new URL(text, base).origin;
  } catch {
    return null;
  }
}

/**
 * Whether a request may carry `traceparent`: same-origin requests always, other origins only when listed.
 * Sending it anywhere else would leak trace ids to third parties and, since it is not a CORS-safelisted
 * header, turn their simple requests into preflighted ones that may then fail.
 */
export function shouldPropagate(url: string, pageHref: string, targets: readonly PropagationTarget[]): boolean {
  let target: URL;
  try {
    target = new URL(url, pageHref);
  } catch {
    return false;
  }
  if (target.origin === originOf(pageHref)) return true;
  return targets.some((t) => {
    if (typeof t === 'string') return originOf(t) === target.origin;
    t.lastIndex = 0;
    return t.test(target.href);
  });
}

/** The headers that continue the trace at `span`. */
export function traceHeaders(span: { traceId: string; spanId: string; traceState: string }): Record<string, string> {
  const headers: Record<string, string> = { traceparent: formatTraceparent({ traceId: span.traceId, spanId: span.spanId, flags: 1 }) };
  const state = formatTracestate(parseTracestate(span.traceState));
  if (state) headers.tracestate = state;
  return headers;
}

/** The URL for attributes and breadcrumbs: no query string or fragment, which often carry tokens. */
export function displayUrl(url: string, pageHref: string): string {
  try {
    const u = new URL(url, pageHref);
    return `${u.origin}${u.pathname}`;
  } catch {
    return String(url).split(/[?#]/)[0] ?? '';
  }
}
