/**
 * @faultline/sdk-bridge/node: OpenTelemetry for a Node service, pointed at Faultline, with error capture
 * and breadcrumbs. Everything exported goes through the standard OTel SDK (a peer dependency), so spans
 * from any other OTel instrumentation land in the same traces.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { format } from 'node:util';
import { context, propagation, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { logs as logsApi } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { core, logs, NodeSDK, resources } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { BreadcrumbBuffer, type BreadcrumbInput } from '../breadcrumbs.ts';
import { wrapConsole } from '../console.ts';
import { exceptionAttributes, type CaptureOptions, type User } from '../exception.ts';
import { chain, exportRequestMatcher, httpBreadcrumbHooks } from './http-breadcrumbs.ts';
import { installProcessHandlers, type Mechanism } from './process-handlers.ts';
import { TraceContextPropagator } from './propagator.ts';

export type { Breadcrumb, BreadcrumbInput, BreadcrumbLevel } from '../breadcrumbs.ts';
export type { CaptureOptions, User } from '../exception.ts';

export const SDK_NAME = '@faultline/sdk-bridge';
export const SDK_VERSION = '0.1.0';
const HTTP_INSTRUMENTATION = '@opentelemetry/instrumentation-http';

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
   * Default: incoming and outgoing HTTP (@opentelemetry/instrumentation-http). `'auto'`: everything in
   * @opentelemetry/auto-instrumentations-node (install it yourself). `'none'`: nothing. An array: these,
   * plus the HTTP instrumentation unless the array has its own (which then gets the breadcrumb hooks).
   */
  instrumentations?: 'auto' | 'none' | Instrumentation[];
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
  sdk: NodeSDK;
  spans: BatchSpanProcessor;
  logs: logs.BatchLogRecordProcessor;
  instrumentations: Instrumentation[];
  cleanups: Array<() => void>;
}

const breadcrumbs = { buffer: new BreadcrumbBuffer() };
let state: State | null = null;
let currentUser: User | null = null;

function httpConfig(endpoint: string): HttpInstrumentationConfig {
  return { ...httpBreadcrumbHooks((crumb) => breadcrumbs.buffer.add(crumb)), ignoreOutgoingRequestHook: exportRequestMatcher(endpoint) };
}

function withHttpHooks(instrumentation: Instrumentation, endpoint: string): Instrumentation {
  const config = instrumentation.getConfig() as HttpInstrumentationConfig;
  const ours = httpConfig(endpoint);
  const theirIgnore = config.ignoreOutgoingRequestHook;
  const merged: HttpInstrumentationConfig = {
    ...config,
    requestHook: chain(config.requestHook, ours.requestHook),
    responseHook: chain(config.responseHook, ours.responseHook),
    ignoreOutgoingRequestHook: (options) => ours.ignoreOutgoingRequestHook?.(options) === true || theirIgnore?.(options) === true,
  };
  instrumentation.setConfig(merged);
  return instrumentation;
}

function autoInstrumentations(endpoint: string): Instrumentation[] {
  // Loaded synchronously and only on request: the package is large and an optional peer dependency.
  const require = createRequire(import.meta.url);
  let auto: { getNodeAutoInstrumentations(config?: Record<string, unknown>): Instrumentation[] };
  try {
    auto = require('@opentelemetry/auto-instrumentations-node') as typeof auto;
  } catch {
    throw new Error(
      "instrumentations: 'auto' needs @opentelemetry/auto-instrumentations-node: npm install @opentelemetry/auto-instrumentations-node",
    );
  }
  return auto.getNodeAutoInstrumentations({ [HTTP_INSTRUMENTATION]: httpConfig(endpoint) });
}

function chooseInstrumentations(choice: NodeOptions['instrumentations'], endpoint: string): Instrumentation[] {
  if (choice === 'none') return [];
  if (choice === 'auto') return autoInstrumentations(endpoint);
  const list = choice ?? [];
  const http = list.find((i) => i.instrumentationName === HTTP_INSTRUMENTATION);
  if (http) return list.map((i) => (i === http ? withHttpHooks(i, endpoint) : i));
  return [new HttpInstrumentation(httpConfig(endpoint)), ...list];
}

function trimEndpoint(endpoint: string): string {
  if (!/^https?:\/\//.test(endpoint)) throw new Error(`endpoint must be an http(s) URL, got "${endpoint}"`);
  return endpoint.replace(/\/+$/, '');
}

/** Sets up OpenTelemetry and error capture. Call it before the application loads its HTTP modules. */
export function init(options: NodeOptions): void {
  if (state) throw new Error('@faultline/sdk-bridge is already initialised; call shutdown() first');
  if (!options.key) throw new Error('key is required (a Faultline project ingest key)');
  if (!options.serviceName) throw new Error('serviceName is required');
  const endpoint = trimEndpoint(options.endpoint);
  const headers = { Authorization: `Bearer ${options.key}` };
  const interval = options.exportIntervalMs ?? 1000;
  const spans = new BatchSpanProcessor({
    exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers }),
    scheduledDelayMillis: interval,
  });
  const logProcessor = new logs.BatchLogRecordProcessor({
    exporter: new OTLPLogExporter({ url: `${endpoint}/v1/logs`, headers }),
    scheduledDelayMillis: interval,
  });
  const attributes: Record<string, string> = { 'service.name': options.serviceName };
  if (options.release) attributes['service.version'] = options.release;
  if (options.environment) attributes['deployment.environment.name'] = options.environment;
  breadcrumbs.buffer = breadcrumbs.buffer.resized(options.maxBreadcrumbs ?? breadcrumbs.buffer.capacity);

  const instrumentations = chooseInstrumentations(options.instrumentations, endpoint);
  const sdk = new NodeSDK({
    resource: resources.defaultResource().merge(resources.resourceFromAttributes(attributes)),
    serviceName: options.serviceName,
    spanProcessors: [spans],
    logRecordProcessors: [logProcessor],
    // Metrics are not part of the bridge; an empty list also stops the SDK from reading OTEL_METRICS_EXPORTER.
    metricReaders: [],
    instrumentations,
    textMapPropagator: new core.CompositePropagator({ propagators: [new TraceContextPropagator(), new core.W3CBaggagePropagator()] }),
  });
  sdk.start();
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
        (crumb) => breadcrumbs.buffer.add(crumb),
      ),
    );
  }
  state = { sdk, spans, logs: logProcessor, instrumentations, cleanups };
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
 * Returns the ids of the span that holds the event.
 */
export function captureException(err: unknown, options: CaptureOptions = {}): { traceId: string; spanId: string } {
  const tracer = trace.getTracer(SDK_NAME, SDK_VERSION);
  const active = trace.getActiveSpan();
  const own = !active || !active.isRecording();
  const span: Span = own ? tracer.startSpan('exception', {}, context.active()) : active;
  const attrs = exceptionAttributes(err, breadcrumbs.buffer.serialize(), currentUser, options);
  span.addEvent('exception', attrs);
  span.setStatus({ code: SpanStatusCode.ERROR, message: String(attrs['exception.message'] ?? '') });
  if (own) span.end();
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

export function addBreadcrumb(crumb: BreadcrumbInput): void {
  breadcrumbs.buffer.add(crumb);
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
  // The OTel API refuses a second global registration, so a later init() needs the slots emptied.
  trace.disable();
  context.disable();
  propagation.disable();
  logsApi.disable();
}
