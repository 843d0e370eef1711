import { z } from 'zod';
import { badRequest } from './http.ts';
import { parseIsoTime } from './iso-time.ts';

/**
 * The latest time a request may name: the end of ClickHouse's `DateTime` (unsigned 32-bit seconds), which series
 * buckets and rollup minutes are computed in. Later times overflowed there (a 500, a query that ran to the timeout)
 * or past `DateTime64(9)` (an empty answer over a range holding data).
 */
const MAX_TIME_MS = 4_294_967_295_000;

/** `start` / `end` as ISO-8601 or Unix milliseconds → Unix milliseconds. */
export const timeParam = z
  .string()
  .transform((value, ctx) => {
    const ms = /^\d{1,16}$/.test(value) ? Number(value) : parseIsoTime(value);
    if (ms === null) {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      ctx.addIssue({ code: 'custom', message: `"${shown}" is neither an ISO-8601 date or time nor Unix milliseconds` });
      return z.NEVER;
    }
    if (ms < 0 || ms > MAX_TIME_MS) {
      ctx.addIssue({ code: 'custom', message: `must be between 1970-01-01T00:00:00Z and ${new Date(MAX_TIME_MS).toISOString().replace('.000', '')}` });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: 'ISO-8601 time or Unix milliseconds', type: 'string' });

/** The start of a range that was given only its end: `spanMs` before it, but never before 1970 (a negative time). */
export const defaultStart = (endMs: number, spanMs: number): number => Math.max(0, endMs - spanMs);

/**
 * A non-empty range in Unix ms, `start` defaulting to `defaultSpanMs` before `end` (default now): an empty one is a
 * 400 naming `start`, or `end` when only `end` was given (`end=0` leaves no time before it).
 */
export function msRange(start: number | undefined, end: number | undefined, defaultSpanMs: number): { startMs: number; endMs: number } {
  const endMs = end ?? Date.now();
  const startMs = start ?? defaultStart(endMs, defaultSpanMs);
  if (startMs >= endMs) throw badRequest(start === undefined ? 'query parameter "end": must be after 1970-01-01T00:00:00Z' : 'query parameter "start": must be before "end"');
  return { startMs, endMs };
}

export const traceIdParam = z
  .string()
  .regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hexadecimal characters')
  .transform((s) => s.toLowerCase());

export const spanIdParam = z
  .string()
  .regex(/^[0-9a-fA-F]{16}$/, 'must be 16 hexadecimal characters')
  .transform((s) => s.toLowerCase());

/** An attribute value in answers: it keeps its OTLP type (string, number, boolean, null, array, map). */
export const attributeValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()),
]);
export const attributes = z.record(z.string(), attributeValue);

/** A log record in answers (the trace answer's `logs`; the log search adds its trace id and resource). */
export const traceLog = z.object({
  timeUnixNano: z.string(),
  observedTimeUnixNano: z.string(),
  spanId: z.string(),
  severityText: z.string(),
  severityNumber: z.number(),
  serviceName: z.string(),
  eventName: z.string(),
  body: attributeValue,
  bodyTruncated: z.boolean(),
  attributes,
});

/**
 * A query number in plain decimal notation, checked by `schema` (give its default inside, so OpenAPI shows it).
 * `z.coerce.number()` alone took whatever `Number()` takes: `0x10`, `1e3`, ` 5 `, and an empty value as 0.
 */
export function decimalParam<T extends z.ZodType>(schema: T) {
  return z.preprocess((value, ctx) => {
    if (typeof value === 'string' && !/^-?\d{1,16}(?:\.\d{1,16})?$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be a number in decimal digits', input: value });
      return z.NEVER;
    }
    return value;
  }, schema);
}

const STEP_UNIT_SECONDS = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 } as const;

/**
 * A series' `step` in seconds: plain decimal digits, or a duration with a unit as Prometheus and Grafana write
 * it (`30s`, `5m`, `1h`, `1d`), so a dashboard's `$__interval`-style value needs no conversion.
 */
export function stepParam<T extends z.ZodType>(schema: T) {
  return z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    const m = /^(\d{1,9})(s|m|h|d)?$/.exec(value);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: 'must be seconds, or a duration such as 30s, 5m, 1h or 1d', input: value });
      return z.NEVER;
    }
    return Number(m[1]) * STEP_UNIT_SECONDS[(m[2] ?? '') as keyof typeof STEP_UNIT_SECONDS];
  }, schema).meta({ description: 'bucket width in seconds, or a duration: 30s, 5m, 1h, 1d' });
}

export const limitParam = (max: number, fallback: number) => decimalParam(z.coerce.number().int('must be an integer').min(1).max(max).default(fallback));

export const durationMsParam = decimalParam(z.coerce.number().min(0, 'must be ≥ 0').max(1e12));

export const msToNs = (ms: number): bigint => BigInt(Math.round(ms * 1000)) * 1000n;

/** An inverted range is a 400 naming `start`. */
export function checkRangeOrder(startMs: number | undefined, endMs: number | undefined): void {
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) throw badRequest('query parameter "start": "start" must not be after "end"');
}

/** Resolves a time range with defaults; an inverted one is a 400 naming `start`. */
export function timeRange(start: number | undefined, end: number | undefined, defaultSpanMs: number): { startNs: bigint; endNs: bigint } {
  const endMs = end ?? Date.now();
  const startMs = start ?? defaultStart(endMs, defaultSpanMs);
  checkRangeOrder(startMs, endMs);
  return { startNs: msToNs(startMs), endNs: msToNs(endMs) };
}

/** Most `tag.<key>` / `attr.<key>` filters one request may carry (each is a condition on a map column). */
export const MAX_KEY_FILTERS = 20;

/** `attr.<key>=<value>` pairs; the key is whatever follows the prefix. */
export function attributeFilters(params: URLSearchParams): Array<{ key: string; value: string }> {
  return prefixedFilters(params, 'attr.', 'attribute');
}

/** `tag.<key>=<value>` pairs (issue search by the tags of their events). */
export function tagFilters(params: URLSearchParams): Array<{ key: string; value: string }> {
  return prefixedFilters(params, 'tag.', 'tag');
}

function prefixedFilters(params: URLSearchParams, prefix: string, noun: string): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  for (const [name, value] of params) {
    if (!name.startsWith(prefix)) continue;
    const key = name.slice(prefix.length);
    if (key === '' || key.length > 256) throw badRequest(`query parameter "${name}": ${noun} key must be 1-256 characters`);
    if (value.length > 4096) throw badRequest(`query parameter "${name}": value longer than 4096 characters`);
    out.push({ key, value });
  }
  if (out.length > MAX_KEY_FILTERS) throw badRequest(`at most ${MAX_KEY_FILTERS} ${noun} filters`);
  return out;
}
