/**
 * Sentry timestamps: float seconds since the epoch (JS, most SDKs) or RFC 3339 strings (Python, sessions).
 * Converted to nanoseconds by splitting whole seconds from the fraction, so the microseconds the SDKs
 * measure survive (a float nanosecond count would not: doubles hold ~16 digits, epoch ns need 19).
 */

const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_MS = 1_000_000n;

const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

function fromSeconds(seconds: number): bigint | null {
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  let whole = Math.floor(seconds);
  let micros = Math.round((seconds - whole) * 1e6);
  if (micros === 1_000_000) {
    whole += 1;
    micros = 0;
  }
  return BigInt(whole) * NS_PER_SECOND + BigInt(micros) * 1000n;
}

/** Offset east of UTC in minutes; a missing zone means UTC (old Python SDKs send naive UTC times). */
function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

function fromIso(text: string): bigint | null {
  const m = ISO.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return null;
  const ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s)) - offsetMinutes(zone) * 60_000;
  if (!Number.isFinite(ms) || ms < 0) return null;
  const fractionNs = BigInt((fraction ?? '').slice(0, 9).padEnd(9, '0'));
  return BigInt(ms) * NS_PER_MS + fractionNs;
}

/** A Sentry timestamp in Unix nanoseconds, or null when absent or unreadable. */
export function timestampNs(v: unknown): bigint | null {
  if (typeof v === 'number') return fromSeconds(v);
  if (typeof v !== 'string') return null;
  const text = v.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return fromSeconds(Number(text));
  return fromIso(text);
}

/** A Sentry timestamp in whole Unix milliseconds, or null. */
export function timestampMs(v: unknown): number | null {
  const ns = timestampNs(v);
  return ns === null ? null : Number(ns / NS_PER_MS);
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.floor(ms)) * NS_PER_MS;
}

export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}
