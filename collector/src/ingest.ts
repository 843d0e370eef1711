import { DecodeError, TooManyItemsError, decodeLogs, decodeMetrics, decodeTraces, type DecodeLimits } from '@faultline/proto';
import { logRow, metricRow, type ProjectSpan } from '@faultline/storage';
import type { ErrorEvent } from '@faultline/proto';
import type { Batcher } from './batcher.ts';
import { errorFromLog, errorsFromSpan } from './errors/extract-otlp.ts';
import { prepareErrors } from './errors/pipeline.ts';
import type { IssueTracker } from './errors/tracker.ts';
import type { Symbolicator } from './errors/symbolicate.ts';
import type { KeyCache } from './key-cache.ts';
import type { ProjectSettingsCache } from './project-settings.ts';
import type { EdgeCall, ServiceGraph } from './service-graph.ts';
import type { ProjectRateLimiter } from './rate-limit.ts';
import { scrubLogRecord, scrubSpan, type ScrubOptions } from './scrub.ts';
import { withErrorEvents } from './error-rows.ts';
import type { CollectorMetrics } from './self-metrics.ts';

export type Signal = 'traces' | 'logs' | 'metrics';
export type WireFormat = 'protobuf' | 'json';
export type Transport = 'http' | 'grpc';

/** What happened to one export request; mapped to HTTP or gRPC status only at the transport edge. */
export type IngestResult =
  | { status: 'accepted'; rejected: number; message: string }
  | { status: 'invalid'; message: string }
  | { status: 'unauthenticated'; message: string }
  | { status: 'too_large'; message: string }
  | { status: 'throttled'; message: string; retryAfterSeconds: number }
  | { status: 'retryable'; message: string; retryAfterSeconds: number }
  | { status: 'unimplemented'; message: string };

export interface IngestOptions {
  limits: DecodeLimits;
  /** PII scrubbing applied before storage. */
  scrub: ScrubOptions;
  /** Seconds a client is told to wait after a retryable refusal. Default 5. */
  retryAfterSeconds: number;
}

export interface IngestDeps {
  keys: KeyCache;
  spans: Batcher;
  logs: Batcher;
  metricPoints: Batcher;
  sessions: Batcher;
  /** Sentry user feedback (`feedback`, `user_report` items). */
  feedback: Batcher;
  /** Service map edges: derived data, written without holding the ack. */
  edges: Batcher;
  serviceGraph: ServiceGraph;
  errors: Batcher;
  /** Source maps: minified JavaScript frames are rewritten before grouping. */
  symbolicator: Symbolicator;
  tracker: IssueTracker;
  rateLimiter: ProjectRateLimiter;
  settings: ProjectSettingsCache;
  /** Failures of after-insert work (issue workflow) are logged, never answered. */
  onBackgroundError(err: unknown): void;
  metrics: CollectorMetrics;
  options: IngestOptions;
}

export type AuthResult = { ok: true; projectId: number } | { ok: false; result: IngestResult };

/** Extracts the key from `Bearer <key>` (or a bare key) and resolves its project. */
export async function authenticate(deps: IngestDeps, presented: string | undefined, signal: Signal, transport: Transport): Promise<AuthResult> {
  const key = presented?.replace(/^Bearer\s+/i, '').trim() ?? '';
  const projectId = key === '' ? null : await deps.keys.resolve(key);
  if (projectId !== null) return { ok: true, projectId };
  // Counted without a project (none is known): a spike is a misconfigured or revoked exporter.
  deps.metrics.requests.inc({ signal, transport, project: 0, outcome: 'unauthenticated' });
  const message = key === '' ? 'missing ingest key: send "Authorization: Bearer <key>"' : 'invalid or revoked ingest key';
  return { ok: false, result: { status: 'unauthenticated', message } };
}

interface Prepared {
  /** Spans as `ProjectSpan`s (encoded by storage), logs and metric points as row objects. */
  rows: object[];
  errors: ErrorEvent[];
  edges: EdgeCall[];
  received: number;
  rejected: number;
  message: string;
  truncated: number;
  /** Attributes past maxAttributesPerItem (items and resources). */
  dropped: number;
}

function prepare(signal: Signal, projectId: number, body: Uint8Array, format: WireFormat, deps: IngestDeps): Prepared {
  const limits = deps.options.limits;
  const scrub = deps.settings.scrubFor(projectId);
  const serviceGraph = deps.serviceGraph;
  if (signal === 'traces') {
    const decoded = decodeTraces(body, format, limits);
    const errors: ErrorEvent[] = [];
    for (const span of decoded.items) {
      scrubSpan(span, scrub);
      if (span.events.length > 0) errors.push(...errorsFromSpan(span));
    }
    return {
      rows: decoded.items.map((span): ProjectSpan => ({ projectId, span })),
      errors,
      edges: serviceGraph.observe(projectId, decoded.items),
      received: decoded.stats.received,
      rejected: decoded.rejected.length,
      message: summarizeRejections(decoded.rejected),
      truncated: decoded.stats.truncatedValues,
      dropped: decoded.stats.droppedAttributes,
    };
  }
  if (signal === 'metrics') {
    const decoded = decodeMetrics(body, format, limits);
    return {
      rows: decoded.items.map((point) => metricRow(projectId, point)),
      errors: [],
      edges: [],
      received: decoded.stats.received,
      rejected: decoded.rejected.length,
      message: summarizeRejections(decoded.rejected),
      truncated: decoded.stats.truncatedValues,
      dropped: decoded.stats.droppedAttributes,
    };
  }
  const decoded = decodeLogs(body, format, limits);
  const errors: ErrorEvent[] = [];
  const seen = new Map<string, number>();
  for (const log of decoded.items) {
    scrubLogRecord(log, scrub);
    const error = errorFromLog(log, seen);
    // Stored with the record, so the log search links it to its issue (through the event) without a lookup; a
    // value the sender set is not ours to link.
    if (error) {
      errors.push(error);
      log.attributes[LOG_EVENT_ID_ATTRIBUTE] = error.eventId;
    } else if (LOG_EVENT_ID_ATTRIBUTE in log.attributes) Reflect.deleteProperty(log.attributes, LOG_EVENT_ID_ATTRIBUTE);
  }
  return {
    rows: decoded.items.map((log) => logRow(projectId, log)),
    errors,
    edges: [],
    received: decoded.stats.received,
    rejected: decoded.rejected.length,
    message: summarizeRejections(decoded.rejected),
    truncated: decoded.stats.truncatedValues,
    dropped: decoded.stats.droppedAttributes,
  };
}

/** The attribute naming the error event made of an exception log record (read by the UI's log search). */
export const LOG_EVENT_ID_ATTRIBUTE = 'faultline.event_id';

function summarizeRejections(rejected: ReadonlyArray<{ reason: string }>): string {
  if (rejected.length === 0) return '';
  const shown = rejected.slice(0, 5).map((r) => r.reason);
  return rejected.length > 5 ? `${shown.join('; ')}; and ${rejected.length - 5} more` : shown.join('; ');
}

/** Decodes, validates and durably stores one authenticated export request. */
export async function ingest(
  deps: IngestDeps,
  signal: Signal,
  projectId: number,
  body: Uint8Array,
  format: WireFormat,
  transport: Transport,
): Promise<IngestResult> {
  const labels = { signal, transport, project: projectId };
  const batcher = signal === 'traces' ? deps.spans : signal === 'logs' ? deps.logs : deps.metricPoints;
  if (batcher.saturated()) {
    // Refused before decoding (its spans are not counted as refused: they were never read).
    deps.metrics.requests.inc({ ...labels, outcome: 'retryable' });
    return { status: 'retryable', message: 'ingest queue is full; retry later', retryAfterSeconds: deps.options.retryAfterSeconds };
  }
  let prepared: Prepared;
  try {
    prepared = prepare(signal, projectId, body, format, deps);
  } catch (err) {
    if (err instanceof TooManyItemsError) {
      deps.metrics.requests.inc({ ...labels, outcome: 'too_large' });
      return { status: 'too_large', message: err.message };
    }
    if (err instanceof DecodeError) {
      deps.metrics.requests.inc({ ...labels, outcome: 'invalid' });
      return { status: 'invalid', message: err.message };
    }
    throw err;
  }
  deps.metrics.received.inc(labels, prepared.received);
  deps.metrics.rejected.inc(labels, prepared.rejected);
  deps.metrics.truncated.inc(labels, prepared.truncated);
  deps.metrics.droppedAttributes.inc(labels, prepared.dropped);
  const allowed = deps.rateLimiter.take(projectId, prepared.rows.length);
  if (!allowed.ok) {
    deps.metrics.refused.inc(labels, prepared.rows.length);
    deps.metrics.requests.inc({ ...labels, outcome: 'throttled' });
    return { status: 'throttled', message: `project ${projectId} is over its ingest rate limit`, retryAfterSeconds: allowed.retryAfterSeconds };
  }
  if (prepared.errors.length > 0) await deps.symbolicator.symbolicate(projectId, prepared.errors);
  const errors = prepareErrors(projectId, prepared.errors);
  // One submit for the rows and their error events: acknowledged only when both are stored (a retry after a
  // half failure duplicates, never loses).
  const submitted = await batcher.submit(withErrorEvents(prepared.rows, errors.rows));
  if (submitted.status !== 'accepted') {
    // Rows that can never be stored are the sender's problem (400, do not retry); anything else is ours (503).
    deps.metrics.refused.inc(labels, prepared.rows.length);
    deps.metrics.requests.inc({ ...labels, outcome: submitted.status });
    if (submitted.status === 'invalid') return { status: 'invalid', message: submitted.message };
    return { status: 'retryable', message: submitted.message, retryAfterSeconds: deps.options.retryAfterSeconds };
  }
  deps.tracker.track(projectId, errors.refs);
  writeEdges(deps, prepared.edges);
  deps.metrics.accepted.inc(labels, prepared.rows.length);
  deps.metrics.requests.inc({ ...labels, outcome: 'accepted' });
  return { status: 'accepted', rejected: prepared.rejected, message: prepared.message };
}

export function writeEdges(deps: IngestDeps, edges: EdgeCall[]): void {
  if (edges.length === 0) return;
  deps.edges.submit(edges).then(
    (r) => {
      if (r.status !== 'accepted') deps.onBackgroundError(new Error(`service map edges not written: ${r.message}`));
    },
    (err: unknown) => deps.onBackgroundError(err),
  );
}
