// Wall-clock helpers for ISO timestamps (issues, events, activity) and breadcrumb times.

/** Milliseconds since the epoch for an ISO-8601 string (any number of fraction digits); NaN if bad. */
export function parseIsoMs(iso: string | null | undefined): number {
  if (typeof iso !== 'string' || iso.trim() === '') return NaN;
  // ClickHouse sends microseconds ("…21.126000Z"); keep milliseconds so every engine parses it.
  const s = iso.trim().replace(/(\.\d{3})\d+/, '$1');
  return Date.parse(s);
}

const UNITS: [limitS: number, unitS: number, suffix: string][] = [
  [60, 1, 's'],
  [3600, 60, 'm'],
  [86_400, 3600, 'h'],
  [30 * 86_400, 86_400, 'd'],
  [365 * 86_400, 30 * 86_400, 'mo'],
  [Infinity, 365 * 86_400, 'y'],
];

/** "just now", "42s ago", "5m ago", "3h ago", "2d ago", "4mo ago", "1y ago" ("in 5m" if in the future). */
export function relativeTime(ms: number, nowMs: number): string {
  if (!Number.isFinite(ms) || !Number.isFinite(nowMs)) return '—';
  const diffS = Math.round((nowMs - ms) / 1000);
  const abs = Math.abs(diffS);
  if (abs < 5) return 'just now';
  for (const [limit, unit, suffix] of UNITS) {
    if (abs < limit) {
      const n = Math.floor(abs / unit);
      return diffS >= 0 ? `${n}${suffix} ago` : `in ${n}${suffix}`;
    }
  }
  return '—';
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Local "YYYY-MM-DD HH:MM:SS" for an epoch-ms value; "—" when invalid. */
export function formatLocalMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

export function formatLocalIso(iso: string): string {
  return formatLocalMs(parseIsoMs(iso));
}

/**
 * Breadcrumb time as epoch ms. SDKs disagree on units: values below 1e11 are taken as seconds
 * (1e11 ms is 1973; 1e11 s is the year 5138).
 */
export function breadcrumbMs(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return NaN;
  return value < 1e11 ? value * 1000 : value;
}

/** Local "HH:MM:SS.mmm"; "—" when invalid. */
export function formatClockMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Counts: exact below 10 000, then compact ("12.3k", "4.5M"). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '0';
  const a = Math.abs(n);
  if (a < 10_000) return String(Math.round(n));
  if (a < 1_000_000) return `${(n / 1000).toFixed(a < 100_000 ? 1 : 0).replace(/\.0$/, '')}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

/**
 * The viewer's time zone as shown beside the range picker: "UTC", or "UTC+01:00 Europe/Berlin" (the offset at
 * `atMs`). Every time on the pages is in this zone.
 */
export function localZoneLabel(atMs: number, zone = Intl.DateTimeFormat().resolvedOptions().timeZone, offsetMinutes = -new Date(atMs).getTimezoneOffset()): string {
  if (offsetMinutes === 0 && (zone === 'UTC' || zone === 'Etc/UTC' || zone === '')) return 'UTC';
  const sign = offsetMinutes < 0 ? '−' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return zone ? `${offset} ${zone}` : offset;
}
