// Turns an API trace into the waterfall's view model, once per loaded trace.
import type { ApiSpan, ApiTrace, ApiTraceError, ApiTraceLog } from '../api/types.ts';
import { durationNanos, offsetNanos, tryParseNanos } from '../format/nanos.ts';
import { buildLogs, logMarksBySpan, type LogMark, type WLog } from './logs.ts';
import { buildRows, type Row } from './tree.ts';

export interface WSpan {
  /** Position in the API response. */
  index: number;
  spanId: string;
  parentSpanId: string;
  name: string;
  serviceName: string;
  /** Offset from trace start, ns. */
  startNs: number;
  durationNs: number;
  isError: boolean;
  raw: ApiSpan;
}

export interface TraceModel {
  traceId: string;
  /** Absolute trace start (earliest span start), unix ns. */
  startUnixNs: bigint;
  /** Earliest start to latest end, ns (at least 1 so scales have a non-empty domain). */
  durationNs: number;
  spans: WSpan[];
  rows: Row<WSpan>[];
  services: string[];
  errorSpanCount: number;
  root: WSpan | null;
  errors: ApiTraceError[];
  /**
   * Error events of the trace whose span is not one of its spans: Sentry SDKs report errors captured outside an
   * active span with the trace's propagation span id, which no span carries.
   */
  detachedErrors: ApiTraceError[];
  /** Log records carrying the trace id, oldest first. */
  logs: WLog[];
  /** The API held back newer log records (it returns the oldest ones up to its limit). */
  logsTruncated: boolean;
  /** Each span's records as marks on its bar, by span id. */
  logMarks: Map<string, LogMark[]>;
  /** Only the earliest spans of a bigger trace (the whole trace is still loading). */
  partial: boolean;
}

export function buildTraceModel(trace: ApiTrace, partial = false): TraceModel {
  const apiSpans = Array.isArray(trace.spans) ? trace.spans : [];
  // A malformed start must not drag the origin to 1970 (offsets would then exceed 2^53):
  // the origin comes from the valid starts only, and malformed ones are placed at the origin.
  const parsed = apiSpans.map((s) => tryParseNanos(s.startTimeUnixNano));
  // A trace without spans (known from its error events or logs) starts at its first log record.
  const origin = earliestOf(parsed) ?? earliestOf(logTimes(trace.logs)) ?? 0n;
  const starts = parsed.map((start) => start ?? origin);
  let end = origin;
  starts.forEach((start, i) => {
    const stop = start + BigInt(durationNanos(apiSpans[i]!.durationNano));
    if (stop > end) end = stop;
  });

  const errors = Array.isArray(trace.errors) ? trace.errors : [];
  // A span with an error event failed even when its status does not say so (Sentry SDKs leave it unset).
  const errorSpanIds = new Set(errors.map((e) => e.spanId));
  const spans: WSpan[] = apiSpans.map((raw, index) => ({
    index,
    spanId: String(raw.spanId ?? ''),
    parentSpanId: String(raw.parentSpanId ?? ''),
    name: String(raw.name ?? ''),
    serviceName: String(raw.serviceName ?? ''),
    startNs: offsetNanos(starts[index]!, origin),
    durationNs: durationNanos(raw.durationNano),
    isError: raw.statusCode === 'ERROR' || errorSpanIds.has(String(raw.spanId ?? '')),
    raw,
  }));

  const rows = buildRows(spans);
  const logs = buildLogs(trace.logs, origin);
  // Without spans, the services that logged under the trace id are the ones it passed through.
  const services = [...new Set(spans.length > 0 ? spans.map((s) => s.serviceName) : logs.map((l) => l.serviceName).filter((n) => n !== ''))].sort();
  const rootRow = rows.find((r) => r.kind === 'root') ?? rows[0];

  return {
    traceId: String(trace.traceId ?? ''),
    startUnixNs: origin,
    durationNs: Math.max(1, Number(end - origin)),
    spans,
    rows,
    services,
    errorSpanCount: spans.filter((s) => s.isError).length,
    root: rootRow?.span ?? null,
    errors,
    // A partial model holds only the earliest spans: an error on a later one is not detached, just not loaded yet.
    detachedErrors: partial ? [] : detached(errors, spans),
    logs,
    logMarks: logMarksBySpan(logs),
    logsTruncated: trace.logsTruncated === true,
    partial,
  };
}

function logTimes(logs: unknown): Array<bigint | null> {
  return Array.isArray(logs) ? (logs as ApiTraceLog[]).map((l) => tryParseNanos(l.timeUnixNano)) : [];
}

/** The earliest of the times that parsed; null when none did. */
function earliestOf(times: ReadonlyArray<bigint | null>): bigint | null {
  let first: bigint | null = null;
  for (const t of times) {
    if (t !== null && (first === null || t < first)) first = t;
  }
  return first;
}

function detached(errors: readonly ApiTraceError[], spans: readonly WSpan[]): ApiTraceError[] {
  const ids = new Set(spans.map((s) => s.spanId));
  return errors.filter((e) => !ids.has(e.spanId));
}

/** Row index of the first span with this id, or -1. */
export function rowIndexOfSpan(model: TraceModel, spanId: string): number {
  return model.rows.findIndex((r) => r.span.spanId === spanId);
}
