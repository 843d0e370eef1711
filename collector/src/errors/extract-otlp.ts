import { createHash } from 'node:crypto';
import { SpanKind, type AttributeValue, type Attributes, type Breadcrumb, type ErrorEvent, type ErrorLevel, type ExceptionValue, type LogRecord, type Span } from '@faultline/proto';
import { parseStackTrace } from './stacktrace.ts';

/**
 * Turns OTLP exceptions into error events: span events named `exception` and log records that carry
 * `exception.*` attributes (or the event name `exception`, the newer semantic conventions).
 */

const PLATFORMS: Record<string, string> = {
  nodejs: 'node',
  webjs: 'javascript',
  python: 'python',
  java: 'java',
  go: 'go',
  dotnet: 'csharp',
  ruby: 'ruby',
  php: 'php',
  rust: 'rust',
  swift: 'cocoa',
  erlang: 'elixir',
  cpp: 'native',
};

function text(value: AttributeValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function first(attrs: Attributes, ...keys: string[]): string {
  for (const key of keys) {
    const value = text(attrs[key]);
    if (value !== '') return value;
  }
  return '';
}

export function deterministicId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/**
 * The id of an exception that happened in a span, from the span, the exception and which occurrence of that same
 * exception it is (the k-th with this type, message and stack in the span's events, or in one export's log
 * records), not from its time or source: apps often both record an exception on the span and log it with
 * `exception.*` attributes, and that is one error, not two, while a batch span recording the same failure for 55
 * items still has 55. Null without a span or an exception text.
 */
function spanExceptionId(traceId: string, spanId: string, attrs: Attributes, seen: Map<string, number>): string | null {
  const type = first(attrs, 'exception.type');
  const message = first(attrs, 'exception.message');
  if (traceId === '' || spanId === '' || (type === '' && message === '')) return null;
  const signature = deterministicId(traceId, spanId, type, message, first(attrs, 'exception.stacktrace'));
  const occurrence = seen.get(signature) ?? 0;
  seen.set(signature, occurrence + 1);
  return deterministicId('span-exception', signature, String(occurrence));
}

/** Exceptions from the OTel attributes; the stack trace string supplies frames and chained causes. */
function exceptionsFrom(attrs: Attributes, language: string): ExceptionValue[] {
  const type = first(attrs, 'exception.type');
  const message = first(attrs, 'exception.message');
  const stack = first(attrs, 'exception.stacktrace');
  const parsed = stack ? parseStackTrace(stack, { language }) : [];
  const values: ExceptionValue[] = parsed.map((p) => ({ type: p.type, value: p.value, module: '', frames: p.frames }));
  const outer = values[values.length - 1];
  if (outer) {
    // The attributes are authoritative for the outermost exception; the header line may be missing or localized.
    if (type) outer.type = type;
    if (message) outer.value = message;
  } else {
    values.push({ type: type || 'Error', value: message, module: '', frames: [] });
  }
  return values;
}

function breadcrumbsFrom(attrs: Attributes): Breadcrumb[] {
  const raw = attrs['faultline.breadcrumbs'];
  if (typeof raw !== 'string' || raw === '') return [];
  try {
    const list = JSON.parse(raw) as unknown;
    if (!Array.isArray(list)) return [];
    return list.slice(-100).map((b: Record<string, unknown>) => ({
      timestampMs: typeof b.timestamp === 'number' ? b.timestamp : Date.parse(String(b.timestamp ?? '')) || 0,
      type: String(b.type ?? 'default'),
      category: String(b.category ?? ''),
      message: String(b.message ?? ''),
      level: String(b.level ?? 'info'),
      data: typeof b.data === 'object' && b.data !== null ? (b.data as Record<string, unknown>) : {},
    }));
  } catch {
    return [];
  }
}

function fingerprintFrom(attrs: Attributes): string[] {
  const raw = attrs['faultline.fingerprint'];
  if (Array.isArray(raw)) return raw.map((v) => text(v));
  return typeof raw === 'string' && raw !== '' ? [raw] : [];
}

const TAG_KEYS = ['http.route', 'http.request.method', 'http.response.status_code', 'url.path', 'browser.name', 'os.type', 'os.name', 'host.name', 'k8s.pod.name', 'cloud.region'];

interface Common {
  resource: Attributes;
  serviceName: string;
  attrs: Attributes;
  scopeName: string;
}

function commonFields(c: Common): Omit<ErrorEvent, 'eventId' | 'timeUnixNano' | 'level' | 'message' | 'exceptions' | 'traceId' | 'spanId' | 'source' | 'transaction'> {
  const language = first(c.resource, 'telemetry.sdk.language');
  const tags: Record<string, string> = {};
  for (const key of TAG_KEYS) {
    const value = first(c.attrs, key) || first(c.resource, key);
    if (value) tags[key] = value;
  }
  const user = {
    id: first(c.attrs, 'user.id', 'enduser.id') || first(c.resource, 'user.id', 'enduser.id'),
    email: first(c.attrs, 'user.email') || first(c.resource, 'user.email'),
    username: first(c.attrs, 'user.name') || first(c.resource, 'user.name'),
    ipAddress: first(c.attrs, 'client.address'),
  };
  return {
    platform: PLATFORMS[language] ?? (language || 'other'),
    sdk: { name: first(c.resource, 'telemetry.sdk.name') || c.scopeName, version: first(c.resource, 'telemetry.sdk.version') },
    release: first(c.resource, 'service.version'),
    environment: first(c.resource, 'deployment.environment.name', 'deployment.environment'),
    serverName: first(c.resource, 'host.name'),
    serviceName: c.serviceName,
    user,
    tags,
    contexts: {
      runtime: { name: first(c.resource, 'process.runtime.name'), version: first(c.resource, 'process.runtime.version') },
      os: { type: first(c.resource, 'os.type'), version: first(c.resource, 'os.version') },
      service: { name: c.serviceName, namespace: first(c.resource, 'service.namespace'), instance: first(c.resource, 'service.instance.id') },
    },
    breadcrumbs: breadcrumbsFrom(c.attrs),
    fingerprint: fingerprintFrom(c.attrs),
  };
}

/** Span names that are only an HTTP method: `POST`, or `HTTP POST` as older Node http instrumentations name server spans. */
const METHOD_ONLY = /^(?:HTTP )?(GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH|QUERY)$/i;

/**
 * The transaction of an error on this span. HTTP server instrumentations without a router name their spans by
 * the method alone (`POST`), so: with `http.route`, the method and route (`POST /api/checkout`); else, for a
 * server span named only by its method, the method and the request path without its query string (a raw path
 * may carry ids, so only when no route is known); else the span name. Only the span's own attributes count.
 */
export function transactionName(span: Pick<Span, 'name' | 'kind' | 'attributes'>): string {
  const attrs = span.attributes;
  const semconvMethod = first(attrs, 'http.request.method');
  const method = (semconvMethod === '_OTHER' ? first(attrs, 'http.request.method_original') : semconvMethod) || first(attrs, 'http.method');
  const route = first(attrs, 'http.route');
  if (route !== '') return method === '' ? route : `${method} ${route}`;
  const methodOnly = METHOD_ONLY.exec(span.name.trim());
  if (span.kind === SpanKind.SERVER && methodOnly) {
    const path = first(attrs, 'url.path', 'http.target').split(/[?#]/, 1)[0] ?? '';
    if (path !== '') return `${method || (methodOnly[1] ?? '').toUpperCase()} ${path}`;
  }
  return span.name;
}

/** One error event per `exception` span event. Ids are derived so a retried export does not double count. */
export function errorsFromSpan(span: Span): ErrorEvent[] {
  const out: ErrorEvent[] = [];
  const seen = new Map<string, number>();
  span.events.forEach((event, index) => {
    if (event.name !== 'exception') return;
    const attrs = { ...span.attributes, ...event.attributes };
    const language = first(span.resource, 'telemetry.sdk.language');
    const common = commonFields({ resource: span.resource, serviceName: span.serviceName, attrs, scopeName: span.scope.name });
    out.push({
      ...common,
      eventId: spanExceptionId(span.traceId, span.spanId, event.attributes, seen) ?? deterministicId(span.traceId, span.spanId, String(event.timeUnixNano), String(index)),
      timeUnixNano: event.timeUnixNano,
      level: 'error',
      message: '',
      exceptions: exceptionsFrom(event.attributes, language),
      transaction: transactionName(span),
      contexts: { ...common.contexts, trace: { trace_id: span.traceId, span_id: span.spanId, op: span.name, status: span.statusCode === 2 ? 'error' : 'ok' } },
      traceId: span.traceId,
      spanId: span.spanId,
      source: 'otlp_span',
    });
  });
  return out;
}

function levelOf(severity: number): ErrorLevel {
  if (severity >= 21) return 'fatal';
  if (severity >= 17) return 'error';
  if (severity >= 13) return 'warning';
  if (severity >= 9) return 'info';
  return severity === 0 ? 'error' : 'debug';
}

/**
 * An error event when the log record describes an exception; null otherwise. `seen` counts the exceptions of each
 * span among the records of one export (pass the same map for all of them).
 */
export function errorFromLog(log: LogRecord, seen: Map<string, number> = new Map()): ErrorEvent | null {
  const attrs = log.attributes;
  const isException = log.eventName === 'exception' || 'exception.type' in attrs || 'exception.message' in attrs || 'exception.stacktrace' in attrs;
  if (!isException) return null;
  const language = first(log.resource, 'telemetry.sdk.language');
  const common = commonFields({ resource: log.resource, serviceName: log.serviceName, attrs, scopeName: log.scope.name });
  const time = log.timeUnixNano === 0n ? log.observedTimeUnixNano : log.timeUnixNano;
  const message = text(log.body);
  return {
    ...common,
    eventId:
      spanExceptionId(log.traceId, log.spanId, attrs, seen) ??
      deterministicId(log.traceId, log.spanId, String(time), message, first(attrs, 'exception.type'), first(attrs, 'exception.message'), first(attrs, 'exception.stacktrace')),
    timeUnixNano: time,
    level: levelOf(log.severityNumber),
    message,
    exceptions: exceptionsFrom(attrs, language),
    transaction: '',
    contexts: log.traceId ? { ...common.contexts, trace: { trace_id: log.traceId, span_id: log.spanId } } : common.contexts,
    traceId: log.traceId,
    spanId: log.spanId,
    source: 'otlp_log',
  };
}
