// Search within one trace: which rows match a free-text query. Pure; runs over every span, so it
// does plain lower-case substring tests and stringifies attribute values only when scanned.
import type { WSpan } from './model.ts';
import type { Row } from './tree.ts';

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return '';
    }
  }
  return String(value);
}

function attributesMatch(attributes: unknown, needle: string): boolean {
  if (!attributes || typeof attributes !== 'object') return false;
  for (const [key, value] of Object.entries(attributes as Record<string, unknown>)) {
    if (key.toLowerCase().includes(needle)) return true;
    if (valueText(value).toLowerCase().includes(needle)) return true;
  }
  return false;
}

/** True when the span's name, service, id, status message or one of its attributes contains the query. */
export function spanMatches(span: WSpan, needle: string): boolean {
  return (
    span.name.toLowerCase().includes(needle) ||
    span.serviceName.toLowerCase().includes(needle) ||
    span.spanId.toLowerCase() === needle ||
    String(span.raw.statusMessage ?? '').toLowerCase().includes(needle) ||
    attributesMatch(span.raw.attributes, needle)
  );
}

/** Row indices (ascending) whose span matches `query`; none for a blank query. */
export function searchRows(rows: readonly Row<WSpan>[], query: string): number[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) if (spanMatches(rows[i]!.span, needle)) out.push(i);
  return out;
}

/** The match to move to from row `current` (wrapping), stepping forward or backward. */
export function nextMatch(matches: readonly number[], current: number | null, step: 1 | -1): number | null {
  if (matches.length === 0) return null;
  if (current === null) return step === 1 ? matches[0]! : matches[matches.length - 1]!;
  if (step === 1) return matches.find((m) => m > current) ?? matches[0]!;
  for (let i = matches.length - 1; i >= 0; i--) if (matches[i]! < current) return matches[i]!;
  return matches[matches.length - 1]!;
}
