import type { AttributeValue, Attributes } from '../api/types.ts';

/** Text for an attribute value. Always plain text: it is rendered with `{}` interpolation only. */
export function attributeText(value: AttributeValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export type AttributeKind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

export function attributeKind(value: AttributeValue | undefined): AttributeKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return t;
  return 'object';
}

/** Entries sorted by key; tolerates a missing or non-object map. */
export function sortedEntries(attrs: Attributes | null | undefined): [string, AttributeValue][] {
  if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs)) return [];
  return Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
