import { DecodeError, TooManyItemsError, decodeLogs, decodeTraces, type DecodeLimits } from '@faultline/proto';
import { logRow, spanRow } from '@faultline/storage';
import type { Batcher } from './batcher.ts';
import type { KeyCache } from './key-cache.ts';
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
  /** Seconds a client is told to wait after a retryable refusal. Default 5. */
  retryAfterSeconds: number;
}

export interface IngestDeps {
  keys: KeyCache;
  spans: Batcher;
  logs: Batcher;
  metrics: CollectorMetrics;
  options: IngestOptions;
}

export type AuthResult = { ok: true; projectId: number } | { ok: false; result: IngestResult };

/** Extracts the key from `Bearer <key>` (or a bare key) and resolves its project. */
export async function authenticate(deps: IngestDeps, presented: string | undefined): Promise<AuthResult> {
  const key = presented?.replace(/^Bearer\s+/i, '').trim() ?? '';
  if (key === '') {
    return { ok: false, result: { status: 'unauthenticated', message: 'missing ingest key: send "Authorization: Bearer <key>"' } };
  }
  const projectId = await deps.keys.resolve(key);
  if (projectId === null) return { ok: false, result: { status: 'unauthenticated', message: 'invalid or revoked ingest key' } };
  return { ok: true, projectId };
}

interface Prepared {
  rows: Record<string, unknown>[];
  received: number;
  rejected: number;
  message: string;
  truncated: number;
}

function prepare(signal: 'traces' | 'logs', projectId: number, body: Uint8Array, format: WireFormat, limits: DecodeLimits): Prepared {
  if (signal === 'traces') {
    const decoded = decodeTraces(body, format, limits);
    return {
      rows: decoded.items.map((span) => spanRow(projectId, span)),
      received: decoded.stats.received,
      rejected: decoded.rejected.length,
      message: summarizeRejections(decoded.rejected),
      truncated: decoded.stats.truncatedValues,
    };
  }
  const decoded = decodeLogs(body, format, limits);
  return {
    rows: decoded.items.map((log) => logRow(projectId, log)),
    received: decoded.stats.received,
    rejected: decoded.rejected.length,
    message: summarizeRejections(decoded.rejected),
    truncated: decoded.stats.truncatedValues,
  };
}

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
  if (signal === 'metrics') {
    deps.metrics.requests.inc({ ...labels, outcome: 'unimplemented' });
    return { status: 'unimplemented', message: 'OTLP metrics are not stored by Faultline yet; export traces and logs' };
  }
  let prepared: Prepared;
  try {
    prepared = prepare(signal, projectId, body, format, deps.options.limits);
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
  const batcher = signal === 'traces' ? deps.spans : deps.logs;
  const submitted = await batcher.submit(prepared.rows);
  if (submitted.status === 'retryable') {
    deps.metrics.refused.inc(labels, prepared.rows.length);
    deps.metrics.requests.inc({ ...labels, outcome: 'retryable' });
    return { status: 'retryable', message: submitted.message, retryAfterSeconds: deps.options.retryAfterSeconds };
  }
  deps.metrics.accepted.inc(labels, prepared.rows.length);
  deps.metrics.requests.inc({ ...labels, outcome: 'accepted' });
  return { status: 'accepted', rejected: prepared.rejected, message: prepared.message };
}
