import type { IncomingHttpHeaders } from 'node:http';
import {
  SentryFormatError,
  parseEnvelope,
  parseEnvelopeHeader,
  parseFeedbackItem,
  parseItemJson,
  parseSentryAuth,
  parseSessionItem,
  parseSessionsItem,
  parseStoreBody,
  parseUserReportItem,
  sentryEventToErrorEvent,
  sentrySpansV2ToSpans,
  sentryTransactionToSpans,
  type ErrorEvent,
  type EnvelopeItem,
  type SessionUpdate,
  type Span,
  type UserFeedback,
} from '@faultline/proto';
import { feedbackRow, sessionRow, type ProjectSpan } from '@faultline/storage';
import { prepareErrors } from './errors/pipeline.ts';
import { writeEdges, type IngestDeps } from './ingest.ts';
import { scrubSpan, scrubString } from './scrub.ts';
import { scrubErrorEvent } from './scrub-event.ts';

/** Relay's limit for one event or transaction item. */
export const MAX_SENTRY_ITEM_BYTES = 1024 * 1024;

/** Items in one envelope; more is refused whole (400) before any item is read (docs/ingest.md "Limits"). */
export const MAX_SENTRY_ENVELOPE_ITEMS = 1000;

export type SentryResult =
  | { status: 'accepted'; eventId: string; skipped: string[] }
  | { status: 'invalid'; message: string }
  | { status: 'unauthenticated'; message: string }
  | { status: 'forbidden'; message: string }
  | { status: 'throttled'; message: string; retryAfterSeconds: number }
  | { status: 'retryable'; message: string; retryAfterSeconds: number };

export interface SentryRequest {
  projectId: number;
  endpoint: 'envelope' | 'store';
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
  body: Uint8Array;
}

interface Collected {
  events: ErrorEvent[];
  spans: Span[];
  sessions: SessionUpdate[];
  feedback: UserFeedback[];
  problems: string[];
  eventId: string;
}

/** Without a service name from the SDK, the package part of the release (`checkout@1.2.0`) or a generic name. */
function defaultService(release: string): string {
  const at = release.lastIndexOf('@');
  return at > 0 ? release.slice(0, at) : 'sentry';
}

function collectItem(item: EnvelopeItem, out: Collected, receivedAtMs: number): void {
  switch (item.type) {
    case 'event': {
      const event = sentryEventToErrorEvent(parseItemJson(item), receivedAtMs);
      if (!event.serviceName) event.serviceName = defaultService(event.release);
      out.events.push(event);
      out.eventId ||= event.eventId;
      break;
    }
    case 'transaction': {
      const json = parseItemJson(item) as { release?: unknown };
      const release = typeof json.release === 'string' ? json.release : '';
      out.spans.push(...sentryTransactionToSpans(json, { serviceName: defaultService(release), receivedAtMs }));
      break;
    }
    case 'span':
      out.spans.push(...sentrySpansV2ToSpans(parseItemJson(item), { defaultServiceName: 'sentry' }));
      break;
    case 'session':
      out.sessions.push(parseSessionItem(parseItemJson(item), receivedAtMs));
      break;
    case 'sessions':
      out.sessions.push(...parseSessionsItem(parseItemJson(item), receivedAtMs));
      break;
    case 'feedback':
      out.feedback.push(parseFeedbackItem(parseItemJson(item), receivedAtMs));
      break;
    case 'user_report':
      out.feedback.push(parseUserReportItem(parseItemJson(item), receivedAtMs));
      break;
    default:
      // attachments, client reports, profiles, replays…: not stored, not an error either
      break;
  }
}

async function resolveProject(deps: IngestDeps, req: SentryRequest, dsn: string): Promise<SentryResult | null> {
  const auth = parseSentryAuth({ 'x-sentry-auth': req.headers['x-sentry-auth'] as string | undefined, authorization: req.headers.authorization }, req.query, dsn);
  if (!auth.key) return { status: 'unauthenticated', message: 'missing DSN key: send X-Sentry-Auth: Sentry sentry_key=<key> or ?sentry_key=<key>' };
  const projectId = await deps.keys.resolve(auth.key);
  if (projectId === null) return { status: 'unauthenticated', message: 'invalid or revoked DSN key' };
  if (projectId !== req.projectId) return { status: 'forbidden', message: `this DSN key does not belong to project ${req.projectId}` };
  return null;
}

/**
 * `/api/<project>/envelope/` and `/api/<project>/store/`: Sentry SDK events, transactions and sessions. Every request
 * is counted in /metrics by outcome under signal "sentry", as OTLP exports are (project 0 until its key is known).
 */
export async function ingestSentry(deps: IngestDeps, req: SentryRequest): Promise<SentryResult> {
  const counted = { project: 0, items: 0 };
  // A project id is a label only once a key vouched for it: any caller can put any number in the path.
  const labels = () => ({ signal: 'sentry', transport: 'http', project: counted.project });
  let result: SentryResult;
  try {
    result = await ingestEnvelope(deps, req, counted);
  } catch (err) {
    deps.metrics.requests.inc({ ...labels(), outcome: 'error' });
    throw err;
  }
  deps.metrics.requests.inc({ ...labels(), outcome: result.status });
  deps.metrics.received.inc(labels(), counted.items);
  if (result.status === 'accepted' && result.skipped.length > 0) deps.metrics.rejected.inc(labels(), result.skipped.length);
  if (result.status === 'throttled' || result.status === 'retryable') deps.metrics.refused.inc(labels(), counted.items);
  return result;
}

/** A body we cannot read is the sender's error (400); anything else is ours and propagates. */
function formatFailure(err: unknown): SentryResult {
  if (err instanceof SentryFormatError) return { status: 'invalid', message: err.message };
  throw err;
}

/** The items of an envelope (its event id and problems noted in `out`), or the one event of a /store/ body. */
function readItems(req: SentryRequest, out: Collected): EnvelopeItem[] {
  if (req.endpoint === 'store') {
    const payload = parseStoreBody(req.body, { maxDecodedBytes: MAX_SENTRY_ITEM_BYTES });
    return [{ type: 'event', headers: {}, payload: new TextEncoder().encode(JSON.stringify(payload)) }];
  }
  const parsed = parseEnvelope(req.body, { maxItemBytes: MAX_SENTRY_ITEM_BYTES, maxItems: MAX_SENTRY_ENVELOPE_ITEMS });
  out.eventId = parsed.header.eventId;
  out.problems.push(...parsed.problems);
  return parsed.items;
}

async function ingestEnvelope(deps: IngestDeps, req: SentryRequest, counted: { project: number; items: number }): Promise<SentryResult> {
  const receivedAtMs = Date.now();
  const out: Collected = { events: [], spans: [], sessions: [], feedback: [], problems: [], eventId: '' };
  let items: EnvelopeItem[];
  let dsn = '';
  try {
    if (req.endpoint === 'envelope') dsn = parseEnvelopeHeader(req.body).dsn;
  } catch (err) {
    return formatFailure(err);
  }
  // The key is checked before the items are parsed: a caller without one costs a header line, not a 20 MiB parse.
  const denied = await resolveProject(deps, req, dsn);
  if (denied) return denied;
  counted.project = req.projectId;
  try {
    items = readItems(req, out);
  } catch (err) {
    return formatFailure(err);
  }
  for (const item of items) {
    try {
      collectItem(item, out, receivedAtMs);
    } catch (err) {
      if (!(err instanceof SentryFormatError)) throw err;
      out.problems.push(`${item.type} item: ${err.message}`);
    }
  }
  const stored = out.events.length + out.spans.length + out.sessions.length + out.feedback.length;
  if (stored === 0 && out.problems.length > 0) return { status: 'invalid', message: out.problems.join('; ') };
  counted.items = stored;
  return store(deps, req.projectId, out);
}

async function store(deps: IngestDeps, projectId: number, out: Collected): Promise<SentryResult> {
  const scrub = deps.settings.scrubFor(projectId);
  for (const event of out.events) scrubErrorEvent(event, scrub);
  for (const span of out.spans) scrubSpan(span, scrub);
  // Name and email are what the user chose to leave for a reply; the text and the page may hold anything.
  for (const f of out.feedback) Object.assign(f, { message: scrubString(f.message, scrub), url: scrubString(f.url, scrub) });
  const allowed = deps.rateLimiter.take(projectId, out.events.length + out.spans.length + out.feedback.length);
  if (!allowed.ok) return { status: 'throttled', message: `project ${projectId} is over its ingest rate limit`, retryAfterSeconds: allowed.retryAfterSeconds };
  if (out.events.length > 0) await deps.symbolicator.symbolicate(projectId, out.events);
  const errors = prepareErrors(projectId, out.events);
  const results = await Promise.all([
    deps.errors.submit(errors.rows),
    deps.spans.submit(out.spans.map((span): ProjectSpan => ({ projectId, span }))),
    deps.sessions.submit(out.sessions.map((s) => sessionRow(projectId, s))),
    deps.feedback.submit(out.feedback.map((f) => feedbackRow(projectId, f))),
  ]);
  const failed = results.find((r) => r.status !== 'accepted');
  if (failed && failed.status === 'retryable') return { status: 'retryable', message: failed.message, retryAfterSeconds: deps.options.retryAfterSeconds };
  if (failed && failed.status === 'invalid') return { status: 'invalid', message: failed.message };
  writeEdges(deps, deps.serviceGraph.observe(projectId, out.spans));
  deps.tracker.track(projectId, errors.refs);
  const labels = { signal: 'sentry', transport: 'http', project: projectId };
  deps.metrics.accepted.inc(labels, out.events.length + out.spans.length + out.sessions.length + out.feedback.length);
  return { status: 'accepted', eventId: out.eventId, skipped: out.problems };
}
