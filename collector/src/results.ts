import { encodeExportResponse } from '@faultline/proto';
import type { IngestResult, Signal, WireFormat } from './ingest.ts';
import type { SentryResult } from './sentry-ingest.ts';
import { GrpcCode, encodeRpcStatus, encodeRpcStatusJson } from './rpc-status.ts';

/** The one place where an ingest outcome becomes a transport status. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

const HTTP_STATUS: Record<IngestResult['status'], number> = {
  accepted: 200,
  invalid: 400,
  unauthenticated: 401,
  too_large: 413,
  throttled: 429,
  retryable: 503,
  unimplemented: 501,
};

const GRPC_STATUS: Record<IngestResult['status'], number> = {
  accepted: GrpcCode.OK,
  invalid: GrpcCode.INVALID_ARGUMENT,
  unauthenticated: GrpcCode.UNAUTHENTICATED,
  too_large: GrpcCode.RESOURCE_EXHAUSTED,
  throttled: GrpcCode.RESOURCE_EXHAUSTED,
  retryable: GrpcCode.UNAVAILABLE,
  unimplemented: GrpcCode.UNIMPLEMENTED,
};

export const CONTENT_TYPES: Record<WireFormat, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

export function toHttp(result: IngestResult, signal: Signal, format: WireFormat): HttpAnswer {
  const headers: Record<string, string> = { 'content-type': CONTENT_TYPES[format] };
  if (result.status === 'accepted') {
    const partial = result.rejected > 0 ? { rejected: result.rejected, message: result.message } : undefined;
    return { status: 200, headers, body: encodeExportResponse(signal, format, partial) };
  }
  const code = GRPC_STATUS[result.status];
  if (result.status === 'throttled' || result.status === 'retryable') headers['retry-after'] = String(result.retryAfterSeconds);
  const retry = 'retryAfterSeconds' in result ? result.retryAfterSeconds : undefined;
  const body = format === 'json' ? encodeRpcStatusJson(code, result.message) : encodeRpcStatus(code, result.message, retry);
  return { status: HTTP_STATUS[result.status], headers, body };
}

export interface GrpcAnswer {
  code: number;
  message: string;
  /** Serialized response message for OK answers. */
  response?: Uint8Array;
  /** google.rpc.Status with RetryInfo for `grpc-status-details-bin`. */
  details?: Uint8Array;
}

export function toGrpc(result: IngestResult, signal: Signal): GrpcAnswer {
  if (result.status === 'accepted') {
    const partial = result.rejected > 0 ? { rejected: result.rejected, message: result.message } : undefined;
    return { code: GrpcCode.OK, message: '', response: encodeExportResponse(signal, 'protobuf', partial) };
  }
  const code = GRPC_STATUS[result.status];
  const retry = 'retryAfterSeconds' in result ? result.retryAfterSeconds : undefined;
  return { code, message: result.message, details: retry === undefined ? undefined : encodeRpcStatus(code, result.message, retry) };
}

const SENTRY_STATUS: Record<SentryResult['status'], number> = {
  accepted: 200,
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  throttled: 429,
  retryable: 503,
};

/** Sentry SDKs read `{id}` on success, `{detail}` on errors, and back off on `X-Sentry-Rate-Limits`. */
export function sentryToHttp(result: SentryResult): HttpAnswer {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (result.status === 'accepted') {
    return { status: 200, headers, body: Buffer.from(JSON.stringify({ id: result.eventId || null, ...(result.skipped.length ? { skipped: result.skipped } : {}) })) };
  }
  if (result.status === 'throttled' || result.status === 'retryable') {
    headers['retry-after'] = String(result.retryAfterSeconds);
    if (result.status === 'throttled') headers['x-sentry-rate-limits'] = `${result.retryAfterSeconds}::project`;
  }
  headers['x-sentry-error'] = result.message.slice(0, 200);
  return { status: SENTRY_STATUS[result.status], headers, body: Buffer.from(JSON.stringify({ detail: result.message })) };
}
