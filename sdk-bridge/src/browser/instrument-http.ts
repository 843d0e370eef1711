/** Client spans and breadcrumbs for fetch and XMLHttpRequest, with trace context for allowed origins. */
import type { BreadcrumbInput } from '../breadcrumbs.ts';
import { displayUrl, shouldPropagate, traceHeaders, type PropagationTarget } from './propagation.ts';
import { activateForTask, activeSpan, endSpan, hold, release, setError, SpanKind, startSpan, type SpanRecord } from './tracer.ts';

export interface HttpHooks {
  addBreadcrumb(crumb: BreadcrumbInput): void;
  propagateTo: readonly PropagationTarget[];
  /** Requests that are not traced at all (the exporter's own endpoint). */
  ignore(url: string): boolean;
  /** The page's breadcrumbs so far (JSON), put on requests to our own backends so their errors can show them. */
  breadcrumbs(): string;
}

interface Started {
  span: SpanRecord;
  parent: SpanRecord | null;
  method: string;
  url: string;
  headers: Record<string, string>;
}

function begin(method: string, rawUrl: string, hooks: HttpHooks): Started {
  const href = location.href;
  const url = displayUrl(rawUrl, href);
  const parent = activeSpan();
  const attributes: Record<string, string | number> = { 'http.request.method': method, 'url.full': url };
  try {
    const u = new URL(rawUrl, href);
    attributes['server.address'] = u.hostname;
    attributes['server.port'] = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  } catch {
    // A relative URL that cannot be resolved still gets its span, just without server fields.
  }
  const span = startSpan(method, { kind: SpanKind.CLIENT, parent, attributes });
  // The parent (a click) stays open until this request is done, so the trace shows the whole interaction.
  if (parent) hold(parent);
  const propagate = shouldPropagate(rawUrl, href, hooks.propagateTo);
  const headers = propagate ? traceHeaders(span) : {};
  // Only requests to our own backends carry them: Faultline shows them on the backend's errors of this trace.
  if (propagate) span.attributes['faultline.breadcrumbs'] = hooks.breadcrumbs();
  return { span, parent, method, url, headers };
}

/** Ends the span, leaves the breadcrumb and makes the parent active for the code that handles the result. */
function complete(req: Started, status: number, category: 'fetch' | 'xhr', hooks: HttpHooks, failure?: string): void {
  const { span, parent } = req;
  if (status > 0) span.attributes['http.response.status_code'] = status;
  // Client spans fail on 4xx as well as 5xx (semantic conventions); a network failure has no status.
  if (failure !== undefined || status >= 400) {
    span.attributes['error.type'] = failure ?? String(status);
    setError(span, failure ?? `HTTP ${status}`);
  }
  endSpan(span);
  const data: Record<string, unknown> = { method: req.method, url: req.url };
  if (status > 0) data.status_code = status;
  if (failure !== undefined) data.reason = failure;
  hooks.addBreadcrumb({
    type: 'http',
    category,
    level: failure !== undefined || status >= 500 ? 'error' : status >= 400 ? 'warning' : 'info',
    data,
  });
  if (parent) {
    activateForTask(parent);
    release(parent);
  }
}

function requestParts(input: RequestInfo | URL, init: RequestInit | undefined): { method: string; url: string; request: Request | null } {
  const request = typeof Request !== 'undefined' && input instanceof Request ? input : null;
  const url = request ? request.url : input instanceof URL ? input.href : String(input);
  return { method: (init?.method ?? request?.method ?? 'GET').toUpperCase(), url, request };
}

export function instrumentFetch(hooks: HttpHooks): () => void {
  const original = window.fetch;
  if (typeof original !== 'function') return () => {};
  window.fetch = function tracedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const { method, url, request } = requestParts(input, init);
    if (hooks.ignore(url)) return original.call(window, input, init);
    const req = begin(method, url, hooks);
    let nextInit = init;
    if (req.headers.traceparent) {
      // init.headers replaces a Request's own headers, so start from those and add ours.
      const headers = new Headers(init?.headers ?? request?.headers);
      for (const [name, value] of Object.entries(req.headers)) headers.set(name, value);
      nextInit = { ...init, headers };
    }
    let pending: Promise<Response>;
    try {
      pending = original.call(window, input, nextInit);
    } catch (err) {
      complete(req, 0, 'fetch', hooks, err instanceof Error ? err.name : 'Error');
      throw err;
    }
    return pending.then(
      (response) => {
        complete(req, response.status, 'fetch', hooks);
        return response;
      },
      (err: unknown) => {
        complete(req, 0, 'fetch', hooks, err instanceof Error ? err.name : 'Error');
        throw err;
      },
    );
  };
  return () => {
    window.fetch = original;
  };
}

export function instrumentXhr(hooks: HttpHooks): () => void {
  if (typeof XMLHttpRequest === 'undefined') return () => {};
  const proto = XMLHttpRequest.prototype;
  const { open, send } = proto;
  const opened = new WeakMap<XMLHttpRequest, { method: string; url: string }>();
  proto.open = function tracedOpen(this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]): void {
    opened.set(this, { method: String(method).toUpperCase(), url: url instanceof URL ? url.href : String(url) });
    (open as (...args: unknown[]) => void).apply(this, [method, url, ...rest]);
  } as typeof proto.open;
  proto.send = function tracedSend(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null): void {
    const meta = opened.get(this);
    if (!meta || hooks.ignore(meta.url)) return send.call(this, body);
    const req = begin(meta.method, meta.url, hooks);
    for (const [name, value] of Object.entries(req.headers)) this.setRequestHeader(name, value);
    let done = false;
    const finish = (failure?: string): void => {
      if (done) return;
      done = true;
      complete(req, this.status, 'xhr', hooks, failure);
    };
    // readystatechange(4) fires before load/error in the same task, so onload handlers see the parent active.
    this.addEventListener('readystatechange', () => {
      if (this.readyState === 4 && this.status > 0) finish();
    });
    this.addEventListener('loadend', () => finish(this.status > 0 ? undefined : 'network_error'));
    send.call(this, body);
  };
  return () => {
    proto.open = open;
    proto.send = send;
  };
}
