/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): `traceparent` and `tracestate`, shared by the
 * Node propagator and the browser tracer. Anything malformed is ignored rather than repaired, because a
 * half-understood parent would glue unrelated requests into one trace.
 */

export interface TraceParent {
  /** Two lower-case hex digits; only `00` is defined, later versions are read by their first four fields. */
  version: string;
  traceId: string;
  spanId: string;
  /** Trace flags byte; bit 0 is "sampled". */
  flags: number;
}

/** One `key=value` list member; the list is ordered, most recently updated vendor first. */
export type TraceStateEntry = readonly [key: string, value: string];

export const INVALID_TRACE_ID = '0'.repeat(32);
export const INVALID_SPAN_ID = '0'.repeat(16);
export const MAX_TRACESTATE_ENTRIES = 32;
/** The spec asks to propagate at least 512 characters; beyond that, long entries go first. */
const TRACESTATE_SOFT_LIMIT = 512;
const LONG_ENTRY = 128;

const HEX2 = /^[0-9a-f]{2}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
// HTTP allows optional whitespace (space, tab) around a field value.
const OWS = /^[ \t]+|[ \t]+$/g;

export function isValidTraceId(id: string): boolean {
  return TRACE_ID.test(id) && id !== INVALID_TRACE_ID;
}

export function isValidSpanId(id: string): boolean {
  return SPAN_ID.test(id) && id !== INVALID_SPAN_ID;
}

/** One header value; several values (a repeated header) make the header invalid. */
function single(header: string | readonly string[] | null | undefined): string | null {
  if (header === null || header === undefined) return null;
  if (typeof header === 'string') return header;
  return header.length === 1 ? (header[0] ?? null) : null;
}

/** Parses a `traceparent` value; null when it must be ignored. */
export function parseTraceparent(header: string | readonly string[] | null | undefined): TraceParent | null {
  const raw = single(header);
  if (raw === null) return null;
  const value = raw.replace(OWS, '');
  const version = value.slice(0, 2);
  if (!HEX2.test(version) || version === 'ff') return null;
  // Version 00 is exactly 55 characters. A later version may append fields, but only after a dash, and
  // its first four fields keep the version 00 layout.
  if (version === '00' ? value.length !== 55 : value.length < 55 || (value.length > 55 && value[55] !== '-')) return null;
  if (value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return null;
  const traceId = value.slice(3, 35);
  const spanId = value.slice(36, 52);
  const flags = value.slice(53, 55);
  if (!isValidTraceId(traceId) || !isValidSpanId(spanId) || !HEX2.test(flags)) return null;
  return { version, traceId, spanId, flags: parseInt(flags, 16) };
}

/** Formats a `traceparent` value. We only ever write version 00, whatever version we received. */
export function formatTraceparent(parent: { traceId: string; spanId: string; flags: number }): string {
  // A version 00 writer only knows the sampled bit; unknown bits are not passed on.
  const flags = (parent.flags & 0x01).toString(16).padStart(2, '0');
  return `00-${parent.traceId}-${parent.spanId}-${flags}`;
}

const KEY_CHARS = '[a-z0-9_\\-*/]';
const SIMPLE_KEY = new RegExp(`^[a-z]${KEY_CHARS}{0,255}$`);
const TENANT_KEY = new RegExp(`^[a-z0-9]${KEY_CHARS}{0,240}@[a-z]${KEY_CHARS}{0,13}$`);
// Printable ASCII except ',' and '=', up to 256 characters, not ending in a space.
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

export function isValidTracestateKey(key: string): boolean {
  return SIMPLE_KEY.test(key) || TENANT_KEY.test(key);
}

export function isValidTracestateValue(value: string): boolean {
  return VALUE.test(value);
}

/**
 * Parses `tracestate` (repeated headers are joined, as HTTP allows for list headers). Empty members are
 * skipped. Any invalid member, a duplicated key or more than 32 members invalidates the whole header,
 * which is then discarded: the W3C test suite expects exactly that.
 */
export function parseTracestate(header: string | readonly string[] | null | undefined): TraceStateEntry[] {
  if (header === null || header === undefined) return [];
  const joined = typeof header === 'string' ? header : header.join(',');
  const entries: TraceStateEntry[] = [];
  const seen = new Set<string>();
  for (const member of joined.split(',')) {
    const text = member.replace(OWS, '');
    if (text === '') continue;
    const eq = text.indexOf('=');
    if (eq <= 0) return [];
    const key = text.slice(0, eq);
    const value = text.slice(eq + 1);
    if (!isValidTracestateKey(key) || !isValidTracestateValue(value) || seen.has(key)) return [];
    seen.add(key);
    entries.push([key, value]);
    if (entries.length > MAX_TRACESTATE_ENTRIES) return [];
  }
  return entries;
}

/**
 * A vendor's new or updated entry goes to the left (the spec's "most recent first" order); the oldest
 * entries fall off the right past 32. Invalid keys or values leave the list as it was.
 */
export function setTracestate(entries: readonly TraceStateEntry[], key: string, value: string): TraceStateEntry[] {
  if (!isValidTracestateKey(key) || !isValidTracestateValue(value)) return [...entries];
  const rest = entries.filter(([k]) => k !== key);
  return [[key, value] as const, ...rest].slice(0, MAX_TRACESTATE_ENTRIES);
}

export function deleteTracestate(entries: readonly TraceStateEntry[], key: string): TraceStateEntry[] {
  return entries.filter(([k]) => k !== key);
}

/**
 * Serializes for propagation. Past 512 characters the spec allows truncation: entries longer than 128
 * characters go first (right to left), then whole entries from the right.
 */
export function formatTracestate(entries: readonly TraceStateEntry[]): string {
  const members = entries.slice(0, MAX_TRACESTATE_ENTRIES).map(([k, v]) => `${k}=${v}`);
  const size = (): number => members.reduce((n, m) => n + m.length, 0) + Math.max(0, members.length - 1);
  for (let i = members.length - 1; i >= 0 && size() > TRACESTATE_SOFT_LIMIT; i--) {
    if ((members[i] ?? '').length > LONG_ENTRY) members.splice(i, 1);
  }
  while (members.length > 0 && size() > TRACESTATE_SOFT_LIMIT) members.pop();
  return members.join(',');
}
