// Search within one trace: which rows match a query. Pure; runs over every span, so the query is
// compiled once (lower-cased, `key=value` split) and attribute values are stringified only when scanned.
import type { Attributes } from '../api/types.ts';
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

function isMap(attributes: unknown): attributes is Attributes {
  return !!attributes && typeof attributes === 'object' && !Array.isArray(attributes);
}

function attributesContain(attributes: unknown, needle: string): boolean {
  if (!isMap(attributes)) return false;
  for (const [key, value] of Object.entries(attributes)) {
    if (key.toLowerCase().includes(needle)) return true;
    if (valueText(value).toLowerCase().includes(needle)) return true;
  }
  return false;
}

/** An attribute whose key is `key` and whose text is `value` (both already lower-cased). */
function attributesEqual(attributes: unknown, key: string, value: string): boolean {
  if (!isMap(attributes)) return false;
  for (const [k, v] of Object.entries(attributes)) {
    if (k.toLowerCase() === key && valueText(v).toLowerCase() === value) return true;
  }
  return false;
}

function eventsOf(span: WSpan): { name?: unknown; attributes?: unknown }[] {
  return Array.isArray(span.raw.events) ? span.raw.events : [];
}

/** Plain text: name, service, exact span id, status message, attribute keys/values, event names and attributes. */
function containsText(span: WSpan, needle: string): boolean {
  return (
    span.name.toLowerCase().includes(needle) ||
    span.serviceName.toLowerCase().includes(needle) ||
    span.spanId.toLowerCase() === needle ||
    String(span.raw.statusMessage ?? '').toLowerCase().includes(needle) ||
    attributesContain(span.raw.attributes, needle) ||
    // an exception recorded on a span lives in an event (exception.message), not in the span's attributes
    eventsOf(span).some((e) => String(e.name ?? '').toLowerCase().includes(needle) || attributesContain(e.attributes, needle))
  );
}

function hasAttribute(span: WSpan, key: string, value: string): boolean {
  return (
    attributesEqual(span.raw.attributes, key, value) ||
    attributesEqual(span.raw.resource, key, value) ||
    eventsOf(span).some((e) => attributesEqual(e.attributes, key, value))
  );
}

// An attribute key before the first `=`: no spaces, so "id = $1" stays a plain text query.
const KEY_VALUE = /^([^\s=]+)=(.*)$/;

/**
 * The matcher for a query, or null for a blank one. Case-insensitive. `key=value` matches only spans with
 * an attribute (span, resource or event) of that key whose value is exactly `value` (surrounding quotes
 * dropped): an equality test that also matched as text would turn `k=Char` into a prefix search wherever
 * the text "k=char" appears. Anything else (including text with a space before the `=`) is a substring.
 */
export function compileQuery(query: string): ((span: WSpan) => boolean) | null {
  const needle = query.trim().toLowerCase();
  if (needle === '') return null;
  const kv = KEY_VALUE.exec(needle);
  if (!kv) return (span) => containsText(span, needle);
  const key = kv[1]!;
  const value = kv[2]!.trim().replace(/^"(.*)"$/, '$1');
  return (span) => hasAttribute(span, key, value);
}

/** Row indices (ascending) whose span matches `query`; none for a blank query. */
export function searchRows(rows: readonly Row<WSpan>[], query: string): number[] {
  const match = compileQuery(query);
  if (!match) return [];
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) if (match(rows[i]!.span)) out.push(i);
  return out;
}

/** Row indices (ascending) of error spans: the header's Errors button steps through them like matches. */
export function errorRows(rows: readonly Row<WSpan>[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rows[i]!.span.isError) out.push(i);
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
