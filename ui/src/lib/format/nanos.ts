// Nanosecond timestamps arrive as decimal strings that exceed 2^53. They are parsed with
// BigInt and turned into small offsets (from trace start) before becoming numbers.

/** Parse a decimal nanosecond string; null when malformed. */
export function tryParseNanos(value: string | number | null | undefined): bigint | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? BigInt(Math.trunc(value)) : null;
  }
  if (typeof value !== 'string') return null;
  const s = value.trim();
  return /^-?\d+$/.test(s) ? BigInt(s) : null;
}

/** Parse a decimal nanosecond string; anything malformed becomes 0n. */
export function parseNanos(value: string | number | null | undefined): bigint {
  return tryParseNanos(value) ?? 0n;
}

/** Offset of `t` from `origin`, as a (safe) number of nanoseconds. */
export function offsetNanos(t: bigint, origin: bigint): number {
  return Number(t - origin);
}

/** Unix-nano BigInt to a JS Date (millisecond precision). */
export function nanosToDate(ns: bigint): Date {
  return new Date(Number(ns / 1_000_000n));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Local wall-clock time with milliseconds, e.g. "2024-05-01 13:04:05.123". */
export function formatTimestamp(ns: bigint): string {
  const d = nanosToDate(ns);
  if (Number.isNaN(d.getTime())) return '—';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** `n` with `digits` decimals, trailing zeros of the fraction dropped: 1.50 → "1.5", 2.00 → "2", 10 → "10". */
function trim(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** `a / scale` with 2 decimals (1 from 10 up unless `fine`); null when it rounds up to `limit` (the next unit reads better). */
function scaled(a: number, scale: number, limit: number, fine = false): string | null {
  const v = a / scale;
  const text = trim(v, fine || v < 10 ? 2 : 1);
  return Number(text) < limit ? text : null;
}

/** Human duration from nanoseconds: 0ns, 850ns, 12.5µs, 3.25ms, 1.2s, 2m 5s, 1h 3m. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const a = Math.abs(ns);
  const text = unsigned(a);
  // a value that rounds to zero has no sign ("-0ns" reads as a bug)
  return ns < 0 && text !== '0ns' ? `-${text}` : text;
}

function unsigned(a: number): string {
  const whole = Math.round(a);
  if (whole < 1_000) return `${whole}ns`;
  const us = scaled(a, 1_000, 1_000);
  if (us !== null) return `${us}µs`;
  const ms = scaled(a, 1_000_000, 1_000);
  if (ms !== null) return `${ms}ms`;
  const s = scaled(a, 1_000_000_000, 60, true);
  if (s !== null) return `${s}s`;
  const totalS = Math.round(a / 1_000_000_000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const sec = totalS % 60;
  return h > 0 ? `${h}h ${m}m` : `${m}m ${sec}s`;
}

/** Offset from a trace's start: "+3.25ms", or "-850µs" for a time before it. */
export function formatOffset(ns: number): string {
  return ns < 0 ? formatDuration(ns) : `+${formatDuration(ns)}`;
}

/** Parse a decimal nanosecond duration string to a number (durations fit comfortably). */
export function durationNanos(value: string | number | null | undefined): number {
  const n = parseNanos(value);
  return n < 0n ? 0 : Number(n);
}
