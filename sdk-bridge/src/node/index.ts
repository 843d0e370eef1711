/**
 * @faultline/sdk-bridge/node: OpenTelemetry for a Node service, pointed at Faultline, with error capture
 * and breadcrumbs. Everything exported goes through the standard OTel SDK (a peer dependency), so spans
 * from any other OTel instrumentation land in the same traces.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { format } from 'node:util';
import type { Span } from '@opentelemetry/api';
import type { BreadcrumbInput } from '../breadcrumbs.ts';
import { wrapConsole } from '../console.ts';
import { exceptionAttributes, type CaptureOptions, type User } from '../exception.ts';
import { BreadcrumbScopes } from './breadcrumb-scopes.ts';
import { exportRequestMatcher, httpBreadcrumbHooks, type HttpHooks } from './http-breadcrumbs.ts';
import { chooseInstrumentations, type InstrumentationChoice } from './instrumentations.ts';
import { loadOtel, type Flushable, type Instrumentation, type Otel } from './otel.ts';
import { installProcessHandlers, type Mechanism } from './process-handlers.ts';
import { TraceContextPropagator } from './propagator.ts';

export type { Breadcrumb, BreadcrumbInput, BreadcrumbLevel } from '../breadcrumbs.ts';
export type { CaptureOptions, User } from '../exception.ts';
export type { Instrumentation } from './otel.ts';

export const SDK_NAME = '@faultline/sdk-bridge';
export const SDK_VERSION = '0.1.0';
const INVALID_IDS = { traceId: '0'.repeat(32), spanId: '0'.repeat(16) };

export interface NodeOptions {
  /** Faultline's OTLP/HTTP base URL, e.g. `http://127.0.0.1:4318`; `/v1/traces` and `/v1/logs` are appended. */
  endpoint: string;
  /** Project ingest key, sent as `Authorization: Bearer <key>`. */
  key: string;
  serviceName: string;
  /** Becomes `service.version`: issues are tracked per release. */
  release?: string;
  /** Becomes `deployment.environment.name`. */
  environment?: string;
  /**
   * Default: incoming and outgoing HTTP (@opentelemetry/instrumentation-http) and the global `fetch`
   * (@opentelemetry/instrumentation-undici). `'auto'`: everything in @opentelemetry/auto-instrumentations-node
   * (install it yourself). `'none'`: nothing. An array: these, plus the HTTP and undici instrumentations unless
   * the array has its own (which then get the bridge's hooks).
   */
  instrumentations?: InstrumentationChoice;
  /**
   * Where `@opentelemetry/sdk-node` and the optional instrumentation packages are resolved from: a file path or
   * URL (`import.meta.url` of the application), or a directory path ending in `/`. Default: the bridge's own
   * location, which in a normal install sees the peer dependencies the application installed.
   */
  resolveFrom?: string | URL;
  /** Ring buffer size. Default 100. */
  maxBreadcrumbs?: number;
  /** Breadcrumbs from console.* calls. Default true. */
  consoleBreadcrumbs?: boolean;
  /** Record uncaught exceptions and unhandled rejections, flush, then exit as Node would. Default true. */
  captureUncaught?: boolean;
  /** Longest wait for the final export when the process is about to die. Default 2000 ms. */
  flushTimeoutMs?: number;
  /** How often batched spans and logs are sent. Default 1000 ms. */
  exportIntervalMs?: number;
}

interface State {
  otel: Otel;
  sdk: { shutdown(): Promise<void> };
  spans: Flushable;
  logs: Flushable;
  instrumentations: Instrumentation[];
  cleanups: Array<() => void>;
}

const breadcrumbs = new BreadcrumbScopes();
let state: State | null = null;
let currentUser: User | null = null;

function trimEndpoint(endpoint: string): string {
  if (!/^https?:\/\//.test(endpoint)) throw new Error(`endpoint must be an http(s) URL, got "${endpoint}"`);
  return endpoint.replace(/\/+$/, '');
}

function resourceAttributes(options: NodeOptions): Record<string, string> {
  const attributes: Record<string, string> = { 'service.name': options.serviceName };
  if (options.release) attributes['service.version'] = options.release;
  if (options.environment) attributes['deployment.environment.name'] = options.environment;
  return attributes;
}

/** The NodeSDK with OTLP/HTTP protobuf export to Faultline, started. */
function startSdk(otel: Otel, options: NodeOptions, endpoint: string, instrumentations: Instrumentation[]): Omit<State, 'cleanups'> {
  const headers = { Authorization: `Bearer ${options.key}` };
  const interval = options.exportIntervalMs ?? 1000;
  const spans = new otel.BatchSpanProcessor({
    exporter: new otel.OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers }),
    scheduledDelayMillis: interval,
  });
  const logs = new otel.BatchLogRecordProcessor({
    exporter: new otel.OTLPLogExporter({ url: `${endpoint}/v1/logs`, headers }),
    scheduledDelayMillis: interval,
  });
  const sdk = new otel.NodeSDK({
    resource: otel.defaultResource().merge(otel.resourceFromAttributes(resourceAttributes(options))),
    serviceName: options.serviceName,
    // The scopes' processor first: it must see a span start before the exporter does anything with it.
    spanProcessors: [breadcrumbs.processor, spans],
    logRecordProcessors: [logs],
    // Metrics are not part of the bridge; an empty list also stops the SDK from reading OTEL_METRICS_EXPORTER.
    metricReaders: [],
    instrumentations,
    textMapPropagator: new otel.CompositePropagator({
      propagators: [new TraceContextPropagator(otel.api, otel.isTracingSuppressed), new otel.W3CBaggagePropagator()],
    }),
  });
  sdk.start();
  return { otel, sdk, spans, logs, instrumentations };
}

/** Sets up OpenTelemetry and error capture. Call it before the application loads its HTTP modules. */
export function init(options: NodeOptions): void {
  if (state) throw new Error('@faultline/sdk-bridge is already initialised; call shutdown() first');
  if (!options.key) throw new Error('key is required (a Faultline project ingest key)');
  if (!options.serviceName) throw new Error('serviceName is required');
  const endpoint = trimEndpoint(options.endpoint);
  const otel = loadOtel(options.resolveFrom ?? import.meta.url);
  breadcrumbs.attach(otel.api, options.maxBreadcrumbs ?? breadcrumbs.capacity);
  const hooks: HttpHooks = {
    ...httpBreadcrumbHooks((span) => breadcrumbs.sinkFor(span)),
    ignoreOutgoingRequestHook: exportRequestMatcher(endpoint),
  };
  const running = startSdk(otel, options, endpoint, chooseInstrumentations(options.instrumentations, otel, hooks));
  // ESM apps import node:http without going through require(), so the instrumentation's require hook may
  // never fire: requiring the modules here applies the patches, and syncBuiltinESMExports pushes them to
  // named ESM imports (`import { request } from 'node:http'`).
  const require = createRequire(import.meta.url);
  require('http');
  require('https');
  syncBuiltinESMExports();

  const cleanups: Array<() => void> = [];
  if (options.consoleBreadcrumbs !== false) {
    cleanups.push(
      wrapConsole(
        console as never,
        (args) => format(...args),
        (crumb) => breadcrumbs.add(crumb),
      ),
    );
  }
  state = { ...running, cleanups };
  if (options.captureUncaught !== false) {
    cleanups.push(
      installProcessHandlers({
        capture: (err, mechanism: Mechanism) =>
          captureException(err, { tags: { 'faultline.mechanism': mechanism, 'exception.escaped': true } }),
        flush,
        flushTimeoutMs: options.flushTimeoutMs ?? 2000,
      }),
    );
  }
}

/**
 * Records `err` as an OTel `exception` event on the active span, or on a new short span named `exception`
 * when none is active, with breadcrumbs, user and fingerprint, and marks that span as failed.
 * Returns the ids of the span that holds the event (all zeros before `init`: nothing is recorded then).
 */
export function captureException(err: unknown, options: CaptureOptions = {}): { traceId: string; spanId: string } {
  if (!state) return { ...INVALID_IDS };
  const { trace, context, SpanStatusCode } = state.otel.api;
  const active = trace.getActiveSpan();
  const own = !active || !active.isRecording();
  const span: Span = own ? trace.getTracer(SDK_NAME, SDK_VERSION).startSpan('exception', {}, context.active()) : active;
  const attrs = exceptionAttributes(err, breadcrumbs.serialize(), currentUser, options);
  span.addEvent('exception', attrs);
  span.setStatus({ code: SpanStatusCode.ERROR, message: String(attrs['exception.message'] ?? '') });
  if (own) span.end();
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/** Records a breadcrumb in the current request's scope, or process-wide outside a request. */
export function addBreadcrumb(crumb: BreadcrumbInput): void {
  breadcrumbs.add(crumb);
}

/** The user attached to every later exception (`user.id`, `user.email`, `user.name`); null clears it. */
export function setUser(user: User | null): void {
  currentUser = user ? { ...user } : null;
}

/** Sends everything recorded so far. */
export async function flush(): Promise<void> {
  if (!state) return;
  await Promise.all([state.spans.forceFlush(), state.logs.forceFlush()]);
}

/** Flushes, stops exporting and removes the console wrapper and process handlers. */
export async function shutdown(): Promise<void> {
  const current = state;
  if (!current) return;
  state = null;
  for (const cleanup of current.cleanups.reverse()) cleanup();
  for (const instrumentation of current.instrumentations) instrumentation.disable();
  await current.sdk.shutdown();
  breadcrumbs.attach(null);
  // The OTel API refuses a second global registration, so a later init() needs the slots emptied.
  const { trace, context, propagation } = current.otel.api;
  trace.disable();
  context.disable();
  propagation.disable();
  current.otel.logsApi.disable();
}
