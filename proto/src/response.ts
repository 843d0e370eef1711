import type { WireFormat } from './codec.ts';
import { otlpSchema } from './schema.ts';

export type Signal = 'traces' | 'logs' | 'metrics';

/** What the receiver tells the sender about items it did not accept (OTLP partial success). */
export interface PartialSuccess {
  rejected: number;
  message: string;
}

const REJECTED_FIELD = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
} as const satisfies Record<Signal, string>;

const utf8 = new TextEncoder();

/**
 * Encodes an Export<Signal>ServiceResponse. Without rejections (and without a message) it is the
 * empty message, which OTLP defines as full success. JSON follows proto3 JSON: lowerCamelCase names,
 * int64 as a decimal string, default values omitted.
 */
export function encodeExportResponse(signal: Signal, format: WireFormat, partial?: PartialSuccess): Uint8Array {
  const field = REJECTED_FIELD[signal];
  if (partial !== undefined && !(Number.isSafeInteger(partial.rejected) && partial.rejected >= 0)) {
    throw new RangeError(`partial.rejected must be a non-negative integer, got ${partial.rejected}`);
  }
  const reported = partial !== undefined && (partial.rejected > 0 || partial.message !== '') ? partial : undefined;
  if (reported === undefined) return format === 'json' ? utf8.encode('{}') : new Uint8Array(0);
  // Only non-default fields: protobufjs would otherwise write an explicit 0 or '' to the wire.
  const partialSuccess: Record<string, string> = {};
  if (reported.rejected > 0) partialSuccess[field] = String(reported.rejected);
  if (reported.message !== '') partialSuccess['errorMessage'] = reported.message;
  if (format === 'json') return utf8.encode(JSON.stringify({ partialSuccess }));
  const schema = otlpSchema();
  const type = signal === 'traces' ? schema.traceResponse : signal === 'logs' ? schema.logsResponse : schema.metricsResponse;
  return type.encode(type.fromObject({ partialSuccess })).finish();
}
