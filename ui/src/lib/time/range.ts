// The shared time range of the performance pages: a relative preset (`?range=1h`) or an explicit
// window (`?start=…&end=…`, ISO-8601 or unix ms). Pure; the URL is the source of truth so a
// copied link reproduces the view. Same parameters as the trace search, so links carry over.
import { DEFAULT_RANGE, RANGES, type RangeKey } from '../search/filters.ts';

export { DEFAULT_RANGE, RANGES, type RangeKey };

export type TimeRange = { kind: 'relative'; key: RangeKey } | { kind: 'absolute'; start: string; end: string };

export interface Window {
  startMs: number;
  endMs: number;
}

const isRangeKey = (v: string | null): v is RangeKey => RANGES.some((r) => r.key === v);

/** Unix ms from "1714557600000" or an ISO-8601 string; NaN when neither. */
export function parseTimeParam(value: string): number {
  const v = value.trim();
  if (v === '') return NaN;
  if (/^\d+$/.test(v)) return Number(v);
  // microsecond fractions ("…:00.123456Z") are cut to milliseconds so every engine parses them
  return Date.parse(v.replace(/(\.\d{3})\d+/, '$1'));
}

/** The range in a page URL; anything invalid falls back to the default preset. */
export function rangeFromQuery(params: Pick<URLSearchParams, 'get'>, fallback: RangeKey = DEFAULT_RANGE): TimeRange {
  const start = params.get('start') ?? '';
  const end = params.get('end') ?? '';
  if (start !== '' && Number.isFinite(parseTimeParam(start))) {
    // an open end means "until now"
    if (end === '' || Number.isFinite(parseTimeParam(end))) return { kind: 'absolute', start, end };
  }
  const key = params.get('range');
  return { kind: 'relative', key: isRangeKey(key) ? key : fallback };
}

/**
 * `params` with the range written in (and any previous range parameters removed). The default
 * preset is left out so plain URLs stay plain.
 */
export function withRange(params: Pick<URLSearchParams, 'toString'>, range: TimeRange): URLSearchParams {
  const q = new URLSearchParams(params.toString());
  q.delete('range');
  q.delete('start');
  q.delete('end');
  if (range.kind === 'absolute') {
    q.set('start', range.start);
    if (range.end) q.set('end', range.end);
  } else if (range.key !== DEFAULT_RANGE) {
    q.set('range', range.key);
  }
  return q;
}

/** `?…` carrying only the range (for links between the performance pages and to traces). */
export function rangeSearch(range: TimeRange, extra: Record<string, string> = {}): string {
  const q = withRange(new URLSearchParams(extra), range);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Concrete [start, end) in unix ms; a relative range ends at `nowMs`. */
export function resolveRange(range: TimeRange, nowMs: number): Window {
  if (range.kind === 'absolute') {
    const startMs = parseTimeParam(range.start);
    const endMs = range.end ? parseTimeParam(range.end) : nowMs;
    if (Number.isFinite(startMs) && Number.isFinite(endMs) && startMs < endMs) return { startMs, endMs };
    // unusable window: show the last hour instead of an API error
    return { startMs: nowMs - 3_600_000, endMs: nowMs };
  }
  const preset = RANGES.find((r) => r.key === range.key) ?? RANGES[1];
  return { startMs: Math.floor(nowMs - preset.ms), endMs: Math.floor(nowMs) };
}

/** `start`/`end` query parameters for the API (unix ms). */
export function windowQuery(w: Window, extra: Record<string, string> = {}): URLSearchParams {
  const q = new URLSearchParams(extra);
  q.set('start', String(Math.floor(w.startMs)));
  q.set('end', String(Math.floor(w.endMs)));
  return q;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local "YYYY-MM-DDTHH:MM" for an <input type="datetime-local">; '' when invalid. */
export function toLocalInput(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Unix ms of a datetime-local value (local time); NaN when empty or invalid. */
export function fromLocalInput(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, Number.isFinite(s) ? s : 0).getTime();
}

/** Validates a custom window from two datetime-local values; the range or a message. */
export function customRange(startInput: string, endInput: string): TimeRange | string {
  const startMs = fromLocalInput(startInput);
  const endMs = endInput.trim() === '' ? NaN : fromLocalInput(endInput);
  if (!Number.isFinite(startMs)) return 'Enter a start time';
  if (endInput.trim() !== '' && !Number.isFinite(endMs)) return 'The end time is not valid';
  if (Number.isFinite(endMs) && endMs <= startMs) return 'The end must be after the start';
  return {
    kind: 'absolute',
    start: new Date(startMs).toISOString(),
    end: Number.isFinite(endMs) ? new Date(endMs).toISOString() : '',
  };
}

/** Short label: "Last hour" or "2024-05-01 10:00 → 12:00". */
export function rangeLabel(range: TimeRange, nowMs: number): string {
  if (range.kind === 'relative') return RANGES.find((r) => r.key === range.key)?.label ?? range.key;
  const w = resolveRange(range, nowMs);
  const a = toLocalInput(w.startMs).replace('T', ' ');
  const b = range.end ? toLocalInput(w.endMs).replace('T', ' ') : 'now';
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} → ${b.slice(11)}` : `${a} → ${b}`;
}
