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

function trim(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.?0+$/, '');
}

/** Human duration from nanoseconds: 850ns, 12.5µs, 3.25ms, 1.2s, 2m 5s. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const sign = ns < 0 ? '-' : '';
  const a = Math.abs(ns);
  if (a < 1_000) return `${sign}${trim(a, 0)}ns`;
  if (a < 1_000_000) return `${sign}${trim(a / 1_000, a < 10_000 ? 2 : 1)}µs`;
  if (a < 1_000_000_000) return `${sign}${trim(a / 1_000_000, a < 10_000_000 ? 2 : 1)}ms`;
  if (a < 60_000_000_000) return `${sign}${trim(a / 1_000_000_000, 2)}s`;
  const totalS = Math.round(a / 1_000_000_000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return h > 0 ? `${sign}${h}h ${m}m` : `${sign}${m}m ${s}s`;
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
