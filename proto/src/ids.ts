/** Checks on decoded trace/span ids (lower-case hex from the codec, null when JSON text was not hex). */

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

function zeroOf(bytes: number): string {
  return bytes === 16 ? ZERO_TRACE_ID : ZERO_SPAN_ID;
}

/** Why a required id is unusable, or '' when it is fine. */
export function requiredIdProblem(hex: string | null, bytes: number, name: string): string {
  if (hex === null) return `${name} is not a hex string`;
  if (hex.length !== bytes * 2) return `${name} must be ${bytes} bytes, got ${hex.length / 2}`;
  if (hex === zeroOf(bytes)) return `${name} must not be all zeros`;
  return '';
}

/** Why an optional id is unusable, or '' when it is fine (absent and all-zero both mean "none"). */
export function optionalIdProblem(hex: string | null, bytes: number, name: string): string {
  if (hex === null) return `${name} is not a hex string`;
  if (hex.length !== 0 && hex.length !== bytes * 2) return `${name} must be ${bytes} bytes, got ${hex.length / 2}`;
  return '';
}

/** An optional id in model form: '' for absent or all-zero. Call after optionalIdProblem passed. */
export function optionalId(hex: string | null, bytes: number): string {
  return hex === null || hex === zeroOf(bytes) ? '' : hex;
}
