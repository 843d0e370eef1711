/**
 * Sentry error events (envelope `event` items and legacy /store/ bodies) into the error model. Like Relay,
 * a field of the wrong type is dropped and the rest of the event kept; only a payload that is not an
 * event object at all is refused.
 */
import { randomUUID } from 'node:crypto';
import type { Breadcrumb, ErrorEvent, ErrorLevel, ErrorUser } from '../model.ts';
import { SentryFormatError } from './errors.ts';
import { readExceptions } from './exception.ts';
import { readExtra, readModules, readRequest } from './request.ts';
import { applyUserAgent } from './user-agent.ts';
import { msToNs, nsToMs, timestampMs, timestampNs } from './time.ts';
import { type Obj, eventIdOf, hexId, isObject, objectOr, put, readTags, str } from './values.ts';

/** Sentry keeps the newest 100 breadcrumbs of an event; older ones are noise for the reader. */
export const MAX_BREADCRUMBS = 100;

const LEVELS: Record<string, ErrorLevel> = {
  fatal: 'fatal',
  critical: 'fatal',
  error: 'error',
  err: 'error',
  warning: 'warning',
  warn: 'warning',
  info: 'info',
  log: 'info',
  debug: 'debug',
  trace: 'debug',
};

export function readLevel(v: unknown): ErrorLevel {
  if (typeof v !== 'string') return 'error';
  const key = v.toLowerCase();
  return (Object.hasOwn(LEVELS, key) && LEVELS[key]) || 'error';
}

function paramText(v: unknown): string {
  if (typeof v === 'string') return v;
  return str(v) || (JSON.stringify(v) ?? '');
}

/** printf-style `%s` with positional params, `%(name)s` with named ones, as the Python and JS SDKs use. */
function formatParams(template: string, params: unknown): string {
  if (!Array.isArray(params) && !isObject(params)) return template;
  let next = 0;
  return template.replace(/%(?:\((\w+)\))?([sdifr%])/g, (whole, name: string | undefined, spec: string) => {
    if (name === undefined && spec === '%') return '%';
    if (name !== undefined) return isObject(params) && Object.hasOwn(params, name) ? paramText(params[name]) : whole;
    return Array.isArray(params) && next < params.length ? paramText(params[next++]) : whole;
  });
}

/** `logentry` / `message`: a plain string, or `{formatted}` / `{message, params}`. */
function readMessage(event: Obj): string {
  for (const entry of [event.logentry, event.message]) {
    if (typeof entry === 'string' && entry !== '') return entry;
    if (!isObject(entry)) continue;
    if (typeof entry.formatted === 'string' && entry.formatted !== '') return entry.formatted;
    if (typeof entry.message === 'string' && entry.message !== '') return formatParams(entry.message, entry.params);
  }
  return '';
}

function readUser(v: unknown): ErrorUser {
  const u = objectOr(v);
  const ip = str(u.ip_address);
  // `{{auto}}` asks the server to fill in the client's address; the caller does that if it wants to.
  return { id: str(u.id), email: str(u.email), username: str(u.username), ipAddress: ip === '{{auto}}' ? '' : ip };
}

function readBreadcrumb(b: Obj, fallbackMs: number): Breadcrumb {
  return {
    timestampMs: timestampMs(b.timestamp) ?? fallbackMs,
    type: str(b.type) || 'default',
    category: str(b.category),
    message: str(b.message),
    level: str(b.level) || 'info',
    data: { ...objectOr(b.data) },
  };
}

/** `breadcrumbs` as `{values: [...]}` or a bare array; the newest MAX_BREADCRUMBS are kept. */
export function readBreadcrumbs(v: unknown, fallbackMs: number): Breadcrumb[] {
  const values = Array.isArray(v) ? v : objectOr(v).values;
  if (!Array.isArray(values)) return [];
  return values
    .filter(isObject)
    .slice(-MAX_BREADCRUMBS)
    .map((b) => readBreadcrumb(b, fallbackMs));
}

function readFingerprint(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((part) => str(part)).filter((part) => part !== '');
}

function readContexts(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(objectOr(v))) put(out, key, value);
  return out;
}

/** Converts one Sentry event payload. Throws SentryFormatError when it is not an event object. */
export function sentryEventToErrorEvent(payload: unknown, receivedAtMs: number): ErrorEvent {
  if (!isObject(payload)) {
    throw new SentryFormatError(`event must be a JSON object, got ${Array.isArray(payload) ? 'an array' : typeof payload}`);
  }
  const e = payload;
  const timeUnixNano = timestampNs(e.timestamp) ?? msToNs(receivedAtMs);
  const platform = str(e.platform) || 'other';
  const sdk = objectOr(e.sdk);
  const tags = readTags(e.tags);
  const contexts = readContexts(e.contexts);
  const trace = objectOr(contexts.trace);
  const request = readRequest(e.request);
  applyUserAgent(tags, contexts, request?.headers ?? {});
  return {
    eventId: eventIdOf(e.event_id) ?? randomUUID().replace(/-/g, ''),
    timeUnixNano,
    level: readLevel(e.level),
    platform,
    sdk: { name: str(sdk.name), version: str(sdk.version) },
    message: readMessage(e),
    exceptions: readExceptions(e.exception, platform),
    release: str(e.release),
    environment: str(e.environment),
    serverName: str(e.server_name),
    serviceName: str(objectOr(contexts.app).app_name) || tags.service || '',
    transaction: str(e.transaction),
    user: readUser(e.user),
    tags,
    contexts,
    breadcrumbs: readBreadcrumbs(e.breadcrumbs, nsToMs(timeUnixNano)),
    traceId: hexId(trace.trace_id, 32),
    spanId: hexId(trace.span_id, 16),
    fingerprint: readFingerprint(e.fingerprint),
    source: 'sentry',
    request,
    extra: readExtra(e.extra),
    modules: readModules(e.modules),
  };
}
