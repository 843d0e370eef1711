export * from './model.ts';
export { DecodeError, TooManyItemsError } from './errors.ts';
export type { DecodeLimits, DecodeStats } from './context.ts';
export type { WireFormat } from './codec.ts';
export { decodeTraces } from './traces.ts';
export { decodeLogs } from './logs.ts';
export { decodeMetrics } from './metrics.ts';
export { encodeExportResponse, type PartialSuccess, type Signal } from './response.ts';
export { otlpSchema, PROTO_DIR, type OtlpSchema, type EnumValues } from './schema.ts';
