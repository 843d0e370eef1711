/**
 * Loads the application's OpenTelemetry SDK. The bridge has no OTel SDK packages of its own: it resolves
 * `@opentelemetry/sdk-node` (a peer dependency) and takes every other SDK package (trace, logs, resources,
 * exporters, and `@opentelemetry/api` itself) from that package's own dependencies, so the spans, resources and
 * processors the bridge creates always come from the same SDK release as the `NodeSDK` that uses them.
 *
 * SDK 2.x (`sdk-node` 0.2xx, api 1.9) and 3.x (`sdk-node` 0.3xx, api 1.10) differ for the bridge in two places:
 * 3.x no longer re-exports `core`/`logs`/`resources` from `sdk-node` (hence loading the packages directly, which
 * works for both), and its logs API moved from `@opentelemetry/api-logs` into `@opentelemetry/api`.
 * Everything is loaded with `require` so that `init()` stays synchronous: it must run before the application
 * imports its HTTP modules.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as OtelApi from '@opentelemetry/api';
import type { Context, SpanContext, TextMapPropagator } from '@opentelemetry/api';

/** What the bridge needs of an instrumentation; instrumentations of both SDK majors have it. */
export interface Instrumentation {
  readonly instrumentationName: string;
  getConfig(): object;
  setConfig(config: object): void;
  enable(): void;
  disable(): void;
}

/** The part of an SDK span a span processor's `onStart`/`onEnd` reads. */
export interface ProcessedSpan {
  readonly kind: number;
  spanContext(): SpanContext;
}

export interface SpanProcessor {
  onStart(span: ProcessedSpan, parentContext: Context): void;
  onEnd(span: ProcessedSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface Flushable {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

interface Resource {
  merge(other: Resource | null): Resource;
}

type Ctor<T> = new (options: Record<string, unknown>) => T;

export interface Otel {
  /** `@opentelemetry/sdk-node`'s version, e.g. `0.223.0` or `0.301.0`. */
  sdkNodeVersion: string;
  /** The SDK major: 2 or 3. */
  major: number;
  api: typeof OtelApi;
  /** The global logs API of this SDK (api-logs in 2.x, `@opentelemetry/api` in 3.x); only `disable` is used. */
  logsApi: { disable(): void };
  NodeSDK: Ctor<{ start(): void; shutdown(): Promise<void> }>;
  BatchSpanProcessor: Ctor<SpanProcessor>;
  BatchLogRecordProcessor: Ctor<Flushable>;
  OTLPTraceExporter: Ctor<object>;
  OTLPLogExporter: Ctor<object>;
  defaultResource(): Resource;
  resourceFromAttributes(attributes: Record<string, string>): Resource;
  CompositePropagator: Ctor<TextMapPropagator>;
  W3CBaggagePropagator: new () => TextMapPropagator;
  isTracingSuppressed(context: Context): boolean;
  /** `require` from the application's side (the `resolveFrom` location), for optional instrumentation packages. */
  appRequire: NodeJS.Require;
}

/** The version of package `name`, read from the package.json above `file` (its `exports` may hide package.json). */
function packageVersion(file: string, name: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? '0.0.0';
    } catch {
      // No package.json at this level; keep walking up.
    }
  }
  return '0.0.0';
}

/** sdk-node 0.2xx belongs to SDK 2.x, 0.3xx to SDK 3.x. */
export function sdkMajor(sdkNodeVersion: string): number {
  const minor = Number(sdkNodeVersion.split('.')[1] ?? 0);
  return Math.floor(minor / 100);
}

function resolveSdkNode(appRequire: NodeJS.Require): string {
  try {
    return appRequire.resolve('@opentelemetry/sdk-node');
  } catch {
    throw new Error(
      '@faultline/sdk-bridge/node needs @opentelemetry/sdk-node (SDK 2.x: ^0.223.0, SDK 3.x: ^0.300.0) and @opentelemetry/api: npm install @opentelemetry/sdk-node @opentelemetry/api',
    );
  }
}

/** Loads the SDK that `resolveFrom` (a file path or URL; a directory needs a trailing slash) sees. */
export function loadOtel(resolveFrom: string | URL): Otel {
  const appRequire = createRequire(resolveFrom);
  const sdkNodePath = resolveSdkNode(appRequire);
  const sdkNodeVersion = packageVersion(sdkNodePath, '@opentelemetry/sdk-node');
  const major = sdkMajor(sdkNodeVersion);
  if (major !== 2 && major !== 3) {
    throw new Error(
      `@faultline/sdk-bridge/node supports OpenTelemetry JS SDK 2.x and 3.x, found @opentelemetry/sdk-node ${sdkNodeVersion}`,
    );
  }
  const sdkRequire = createRequire(sdkNodePath);
  const load = <T>(name: string): T => sdkRequire(name) as T;
  const api = load<typeof OtelApi>('@opentelemetry/api');
  const resources = load<Pick<Otel, 'defaultResource' | 'resourceFromAttributes'>>('@opentelemetry/resources');
  const core = load<Pick<Otel, 'CompositePropagator' | 'W3CBaggagePropagator' | 'isTracingSuppressed'>>('@opentelemetry/core');
  const apiLogs = (api as { logs?: Otel['logsApi'] }).logs ?? load<{ logs: Otel['logsApi'] }>('@opentelemetry/api-logs').logs;
  return {
    sdkNodeVersion,
    major,
    api,
    logsApi: apiLogs,
    NodeSDK: load<Pick<Otel, 'NodeSDK'>>('@opentelemetry/sdk-node').NodeSDK,
    BatchSpanProcessor: load<Pick<Otel, 'BatchSpanProcessor'>>('@opentelemetry/sdk-trace').BatchSpanProcessor,
    BatchLogRecordProcessor: load<Pick<Otel, 'BatchLogRecordProcessor'>>('@opentelemetry/sdk-logs').BatchLogRecordProcessor,
    OTLPTraceExporter: load<Pick<Otel, 'OTLPTraceExporter'>>('@opentelemetry/exporter-trace-otlp-proto').OTLPTraceExporter,
    OTLPLogExporter: load<Pick<Otel, 'OTLPLogExporter'>>('@opentelemetry/exporter-logs-otlp-proto').OTLPLogExporter,
    defaultResource: resources.defaultResource,
    resourceFromAttributes: resources.resourceFromAttributes,
    CompositePropagator: core.CompositePropagator,
    W3CBaggagePropagator: core.W3CBaggagePropagator,
    isTracingSuppressed: core.isTracingSuppressed,
    appRequire,
  };
}
