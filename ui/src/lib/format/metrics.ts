// Text for RED metrics (rates, ratios, Apdex) and signed deltas. Pure.

function trim(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.?0+$/, '');
}

/** A number with up to `digits` decimals, small values with more so they do not read as 0. */
function compact(n: number): string {
  const a = Math.abs(n);
  if (a === 0) return '0';
  if (a >= 100) return String(Math.round(n));
  if (a >= 10) return trim(n, 1);
  if (a >= 1) return trim(n, 2);
  return trim(n, 3) === '0' ? n.toPrecision(1) : trim(n, 3);
}

/** Requests per second, shown per minute when below one per second: "12.5/s", "3/min". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '0/s';
  if (perSecond >= 1) return `${compact(perSecond)}/s`;
  return `${compact(perSecond * 60)}/min`;
}

/** A 0–1 ratio as a percentage: "0%", "0.25%", "12.5%", "100%"; "—" for null. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const p = ratio * 100;
  if (p === 0) return '0%';
  const a = Math.abs(p);
  if (a < 0.01) return p < 0 ? '>-0.01%' : '<0.01%';
  return `${trim(p, a < 10 ? 2 : 1)}%`;
}

/** Apdex 0–1 with two decimals; "—" when there were no requests. */
export function formatApdex(apdex: number | null | undefined): string {
  if (apdex === null || apdex === undefined || !Number.isFinite(apdex)) return '—';
  return apdex.toFixed(2);
}

/**
 * Apdex threshold T (ms) the UI asks the API for (`apdexMs`, whose default is also 500) and shows next to
 * every Apdex score: satisfied ≤ T, tolerating ≤ 4T.
 */
export const APDEX_THRESHOLD_MS = 500;

/** Apdex threshold T as text: "500 ms", "1.5 s". */
export function formatApdexThreshold(ms: number): string {
  return ms < 1000 ? `${trim(ms, 1)} ms` : `${trim(ms / 1000, 2)} s`;
}

/** Column header / stat label naming the threshold the score was computed with: "Apdex (T = 500 ms)". */
export function apdexLabel(ms: number): string {
  return `Apdex (T = ${formatApdexThreshold(ms)})`;
}

/** Tooltip explaining the score and its threshold. */
export function apdexTitle(ms: number): string {
  return (
    `Apdex score with threshold T = ${formatApdexThreshold(ms)}: requests within T are satisfied, ` +
    `within 4T (${formatApdexThreshold(ms * 4)}) tolerating, slower and failed ones frustrated. 1 is best.`
  );
}

/** CSS class of an Apdex score (Apdex's own bands). */
export function apdexClass(apdex: number | null | undefined): 'good' | 'fair' | 'poor' | 'none' {
  if (apdex === null || apdex === undefined || !Number.isFinite(apdex)) return 'none';
  if (apdex >= 0.94) return 'good';
  if (apdex >= 0.7) return 'fair';
  return 'poor';
}

/** A finite number from untrusted JSON, else `fallback`. */
export function num(value: unknown, fallback = 0): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

/** A finite number from untrusted JSON, else null. */
export function numOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = num(value, NaN);
  return Number.isFinite(n) ? n : null;
}

/** A string from untrusted JSON, else ''. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** The objects of an untrusted JSON array (anything else dropped); [] when it is no array. */
export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
}
