/**
 * @faultline/sdk-bridge/browser: page load, route change, click and fetch/XHR spans, error capture and
 * breadcrumbs, exported as OTLP/JSON to Faultline. No OTel web SDK: a few kB of our own tracer instead.
 */
import { BreadcrumbBuffer, type BreadcrumbInput } from '../breadcrumbs.ts';
import { wrapConsole } from '../console.ts';
import { describeError, exceptionAttributes, type CaptureOptions, type User } from '../exception.ts';
import { createExporter, type Exporter } from './exporter.ts';
import { instrumentFetch, instrumentXhr } from './instrument-http.ts';
import { instrumentClicks, instrumentHistory, metaParent, traceDocumentLoad } from './instrument-page.ts';
import type { PropagationTarget } from './propagation.ts';
import { activeSpan, addEvent, endSpan, setError, setSpanSink, startSpan } from './tracer.ts';

export type { Breadcrumb, BreadcrumbInput, BreadcrumbLevel } from '../breadcrumbs.ts';
export type { CaptureOptions, User } from '../exception.ts';
export type { PropagationTarget } from './propagation.ts';

export const SDK_NAME = '@faultline/sdk-bridge';
export const SDK_VERSION = '0.1.0';

export interface BrowserOptions {
  /** Faultline's OTLP/HTTP base URL; spans go to `${endpoint}/v1/traces`. */
  endpoint: string;
  /** Project ingest key (public: it can only write), sent as `Authorization: Bearer <key>`. */
  key: string;
  serviceName: string;
  release?: string;
  environment?: string;
  /** Other origins (exact `https://api.example.com`) or URL RegExps that get `traceparent`; same-origin always does. */
  propagateTraceTo?: PropagationTarget[];
  /** Ring buffer size. Default 100. */
  maxBreadcrumbs?: number;
  /** Breadcrumbs from console.* calls. Default true. */
  consoleBreadcrumbs?: boolean;
  /** window.onerror and unhandledrejection. Default true. */
  captureUnhandled?: boolean;
  /** Longest wait before a partial batch is sent. Default 1000 ms. */
  exportIntervalMs?: number;
  /** Spans per request. Default 100. */
  maxBatchSize?: number;
}

let crumbs = new BreadcrumbBuffer();
let user: User | null = null;
let exporter: Exporter | null = null;

function formatArgs(args: unknown[]): string {
  return args
    .map((arg) => {
      if (typeof arg === 'string') return arg;
      if (arg instanceof Error) return `${arg.name}: ${arg.message}`;
      try {
        return JSON.stringify(arg) ?? String(arg);
      } catch {
        return String(arg);
      }
    })
    .join(' ');
}

function add(crumb: BreadcrumbInput): void {
  crumbs.add(crumb);
}

function captureUnhandled(): void {
  window.addEventListener('error', (event: ErrorEvent) => {
    // Cross-origin scripts without CORS report only "Script error." and no error object.
    const err: unknown = event.error ?? {
      name: 'Error',
      message: event.message || 'Script error',
      stack: event.filename ? `Error: ${event.message}\n    at ${event.filename}:${event.lineno}:${event.colno}` : '',
    };
    captureException(err, { tags: { 'faultline.mechanism': 'onerror' } });
  });
  window.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
    captureException(event.reason, { tags: { 'faultline.mechanism': 'onunhandledrejection' } });
  });
}

/** Starts tracing and error capture. A second call is ignored (hot reloads call init again). */
export function init(options: BrowserOptions): void {
  if (exporter) return;
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const rawFetch = window.fetch.bind(window);
  const resource: Record<string, string> = {
    'service.name': options.serviceName,
    'telemetry.sdk.name': SDK_NAME,
    'telemetry.sdk.version': SDK_VERSION,
    'telemetry.sdk.language': 'webjs',
    'user_agent.original': navigator.userAgent,
    'browser.language': navigator.language,
  };
  if (options.release) resource['service.version'] = options.release;
  if (options.environment) resource['deployment.environment.name'] = options.environment;
  crumbs = crumbs.resized(options.maxBreadcrumbs ?? crumbs.capacity);
  const active = createExporter({
    url: `${endpoint}/v1/traces`,
    key: options.key,
    resource,
    scope: { name: SDK_NAME, version: SDK_VERSION },
    fetch: rawFetch,
    delayMs: options.exportIntervalMs ?? 1000,
    maxBatch: options.maxBatchSize ?? 100,
    maxQueue: 2048,
  });
  exporter = active;
  setSpanSink((span) => active.enqueue(span));

  const ignore = (url: string): boolean => {
    try {
      return new URL(url, location.href).href.startsWith(`${endpoint}/`);
    } catch {
      return false;
    }
  };
  const hooks = { addBreadcrumb: add, propagateTo: options.propagateTraceTo ?? [], ignore, breadcrumbs: () => crumbs.serialize(8192) };
  instrumentFetch(hooks);
  instrumentXhr(hooks);
  instrumentHistory(add);
  instrumentClicks(add);
  if (options.consoleBreadcrumbs !== false) wrapConsole(console, formatArgs, add);
  if (options.captureUnhandled !== false) captureUnhandled();

  // Last chance to send: pagehide covers unloads and bfcache, visibilitychange covers mobile tab switches
  // (after which the page may be killed without any further event).
  const unload = (): void => void active.flush(true);
  window.addEventListener('pagehide', unload);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') unload();
  });
  add({ type: 'navigation', category: 'navigation', message: 'page load', data: { to: location.pathname } });
  traceDocumentLoad(metaParent());
}

/**
 * Records `err` as an `exception` event on the active span (a click, a route change, or the code handling
 * a fetch result), or on a new `exception` span, and marks that span as failed.
 */
export function captureException(err: unknown, options: CaptureOptions = {}): { traceId: string; spanId: string } {
  const active = activeSpan();
  const span = active ?? startSpan('exception', { parent: null });
  addEvent(span, 'exception', exceptionAttributes(err, crumbs.serialize(), user, options));
  setError(span, describeError(err).message);
  if (!active) endSpan(span);
  return { traceId: span.traceId, spanId: span.spanId };
}

export function addBreadcrumb(crumb: BreadcrumbInput): void {
  add(crumb);
}

/** The user on every later exception (`user.id`, `user.email`, `user.name`); null clears it. */
export function setUser(next: User | null): void {
  user = next ? { ...next } : null;
}

/** Sends every ended span now. */
export function flush(): Promise<void> {
  return exporter ? exporter.flush() : Promise.resolve();
}
