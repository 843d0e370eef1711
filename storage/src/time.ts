/** Nanosecond bigint → the `seconds.nanos` text ClickHouse parses into DateTime64(9) exactly. */
export function nanosToDateTime64(ns: bigint): string {
  const sec = ns / 1_000_000_000n;
  const frac = ns % 1_000_000_000n;
  return `${sec}.${frac.toString().padStart(9, '0')}`;
}

/** Milliseconds since the epoch → DateTime64(3) text. */
export function millisToDateTime64(ms: number): string {
  return nanosToDateTime64(BigInt(Math.trunc(ms)) * 1_000_000n);
}
