const MIN_SECONDS = 100_000_000n; // 1973-03-03: ClickHouse reads fewer digits as a date, not as seconds
// 2262-04-11: the end of DateTime64(9) (signed 64-bit nanoseconds); later values overflow ClickHouse's math
export const MAX_SECONDS = 9_223_372_035n;
export const MAX_NANOS = MAX_SECONDS * 1_000_000_000n;

/**
 * Nanosecond bigint → the `seconds.nanos` text ClickHouse parses into DateTime64(9) exactly. Times outside
 * 1973…2262 are clamped: one absurd timestamp must not make a whole batched insert fail.
 */
export function nanosToDateTime64(ns: bigint): string {
  let sec = ns / 1_000_000_000n;
  let frac = ns % 1_000_000_000n;
  if (sec < MIN_SECONDS || ns < 0n) [sec, frac] = [MIN_SECONDS, 0n];
  else if (sec > MAX_SECONDS) [sec, frac] = [MAX_SECONDS, 0n];
  return `${sec}.${frac.toString().padStart(9, '0')}`;
}

/** The nanoseconds `nanosToDateTime64` writes: the same clamping, as DateTime64(9) ticks for binary inserts. */
export function clampNanos(ns: bigint): bigint {
  if (ns < MIN_SECONDS * 1_000_000_000n) return MIN_SECONDS * 1_000_000_000n;
  if (ns >= (MAX_SECONDS + 1n) * 1_000_000_000n) return MAX_NANOS;
  return ns;
}

/** Milliseconds since the epoch → DateTime64 text. */
export function millisToDateTime64(ms: number): string {
  return nanosToDateTime64(BigInt(Math.trunc(ms)) * 1_000_000n);
}

/** A ReplacingMergeTree `Version` for a row written now: later writes get larger versions. */
export function nextVersion(): string {
  return String(BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n));
}
