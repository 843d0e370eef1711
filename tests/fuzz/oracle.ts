/**
 * What the server must answer for a body, decided by running the same decoder in-process: the transports
 * add nothing but status mapping, so any other answer (5xx, reset, hang) is a collector bug.
 */
import { DecodeError, TooManyItemsError, decodeLogs, decodeTraces, type DecodeLimits } from '@faultline/proto';
import type { Format, Signal } from './otlp-requests.ts';

export type Outcome = 'ok' | 'invalid' | 'too_large';

export interface Expectation {
  outcome: Outcome;
}

/** Same limits as the fuzzed server (FAULTLINE_MAX_ITEMS_PER_REQUEST). */
export const FUZZ_LIMITS: DecodeLimits = { maxItemsPerRequest: 1000 };

export const HTTP_STATUS: Record<Outcome, number> = { ok: 200, invalid: 400, too_large: 413 };
/** gRPC codes: OK, INVALID_ARGUMENT, RESOURCE_EXHAUSTED. */
export const GRPC_CODE: Record<Outcome, number> = { ok: 0, invalid: 3, too_large: 8 };

/** Decodes like the collector; returns the outcome, and throws anything that is not a DecodeError. */
export function expectationFor(signal: Signal, format: Format, body: Uint8Array): Expectation {
  try {
    const decoded = signal === 'traces' ? decodeTraces(body, format, FUZZ_LIMITS) : decodeLogs(body, format, FUZZ_LIMITS);
    void decoded;
    return { outcome: 'ok' };
  } catch (err) {
    if (err instanceof TooManyItemsError) return { outcome: 'too_large' };
    if (err instanceof DecodeError) return { outcome: 'invalid' };
    throw err;
  }
}

/** The DecodeError message for a body, or null when it decodes. */
export function decodeErrorMessage(signal: Signal, format: Format, body: Uint8Array): string | null {
  try {
    if (signal === 'traces') decodeTraces(body, format, FUZZ_LIMITS);
    else decodeLogs(body, format, FUZZ_LIMITS);
    return null;
  } catch (err) {
    if (err instanceof DecodeError) return err.message;
    throw err;
  }
}
