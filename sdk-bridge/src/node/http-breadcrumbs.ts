import type { ClientRequest, IncomingMessage, RequestOptions, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { BreadcrumbLevel } from '../breadcrumbs.ts';
import type { AddBreadcrumb } from './breadcrumb-scopes.ts';

/** The hooks of @opentelemetry/instrumentation-http's config the bridge uses (the same in 0.223 and 0.30x). */
export interface HttpHooks {
  requestHook?: (span: Span, request: ClientRequest | IncomingMessage) => void;
  responseHook?: (span: Span, response: IncomingMessage | ServerResponse) => void;
  ignoreOutgoingRequestHook?: (options: RequestOptions) => boolean;
}

interface Pending {
  method: string;
  url: string;
  started: number;
  done: boolean;
  add: AddBreadcrumb;
}

// A ClientRequest can set headers; an IncomingMessage (the server side of requestHook) cannot.
function isClientRequest(request: ClientRequest | IncomingMessage): request is ClientRequest {
  return typeof (request as ClientRequest).setHeader === 'function';
}

function isClientResponse(response: IncomingMessage | ServerResponse): response is IncomingMessage {
  return typeof (response as ServerResponse).setHeader !== 'function';
}

/** The URL without its query string: queries often carry tokens, and the path is what identifies a call. */
function urlOf(request: ClientRequest): string {
  const host = request.getHeader('host') ?? request.host;
  const path = (request.path || '/').split('?')[0] ?? '/';
  return `${request.protocol || 'http:'}//${String(host)}${path}`;
}

function levelOf(status: number): BreadcrumbLevel {
  if (status >= 500) return 'error';
  return status >= 400 ? 'warning' : 'info';
}

/**
 * `requestHook`/`responseHook` for @opentelemetry/instrumentation-http that leave one `http` breadcrumb per
 * outgoing request (method, URL, status, duration). The instrumentation already calls these hooks at the
 * right moments, so no listener is added that could change how the request behaves: a `'response'` listener
 * would stop Node from discarding unread bodies, and an `'error'` listener would swallow errors. Failed
 * requests are noticed on `'close'` without a response. `sinkFor` gives the recorder for the request's
 * breadcrumb scope, taken while the client span is still open.
 */
export function httpBreadcrumbHooks(sinkFor: (span: Span) => AddBreadcrumb): Pick<HttpHooks, 'requestHook' | 'responseHook'> {
  const pending = new WeakMap<Span, Pending>();
  return {
    requestHook(span, request) {
      if (!isClientRequest(request)) return;
      const entry: Pending = { method: request.method, url: urlOf(request), started: Date.now(), done: false, add: sinkFor(span) };
      pending.set(span, entry);
      request.once('close', () => {
        if (entry.done) return;
        entry.done = true;
        entry.add({
          type: 'http',
          category: 'http',
          level: 'error',
          data: { method: entry.method, url: entry.url, reason: 'no response', duration_ms: Date.now() - entry.started },
        });
      });
    },
    responseHook(span, response) {
      if (!isClientResponse(response)) return;
      const entry = pending.get(span);
      if (!entry || entry.done) return;
      entry.done = true;
      const status = response.statusCode ?? 0;
      entry.add({
        type: 'http',
        category: 'http',
        level: levelOf(status),
        data: { method: entry.method, url: entry.url, status_code: status, duration_ms: Date.now() - entry.started },
      });
    },
  };
}

/**
 * True for the bridge's own exports. The SDK suppresses tracing around exports, but the instrumentation
 * still wraps the request with a non-recording span and calls the hooks, so without this every export
 * would leave an `http` breadcrumb.
 */
export function exportRequestMatcher(endpoint: string): (options: RequestOptions) => boolean {
  const base = new URL(endpoint);
  const port = base.port || (base.protocol === 'https:' ? '443' : '80');
  const prefix = `${base.pathname.replace(/\/+$/, '')}/v1/`;
  return (options) => {
    const host = String(options.hostname ?? options.host ?? '').replace(/:\d+$/, '');
    const optionPort = String(options.port ?? (options.protocol === 'https:' ? 443 : 80));
    return host === base.hostname && optionPort === port && (options.path ?? '/').startsWith(prefix);
  };
}

/** Runs `first` then `second`; used to add our hooks to a user's own HttpInstrumentation without losing theirs. */
export function chain<A extends unknown[]>(
  first: ((...args: A) => void) | undefined,
  second: ((...args: A) => void) | undefined,
): ((...args: A) => void) | undefined {
  if (!first) return second;
  if (!second) return first;
  return (...args: A) => {
    first(...args);
    second(...args);
  };
}
