/**
 * Lenient readers for JSON sent by Sentry SDKs. Relay drops a field of the wrong type and keeps the rest of
 * the event, so these return a neutral value instead of throwing; callers decide what is fatal.
 */
import type { AttributeValue, Attributes } from '../model.ts';

export type Obj = Record<string, unknown>;

/** Deeper nesting is cut off: SDK data is a few levels deep, and the walk must not exhaust the stack. */
const MAX_DEPTH = 16;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function objectOr(v: unknown): Obj {
  return isObject(v) ? v : {};
}

/** Strings as they are, finite numbers and booleans as text (SDKs send ids and versions either way). */
export function str(v: unknown): string {
  if (typeof v === 'string') return v.isWellFormed() ? v : v.toWellFormed();
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
  return '';
}

/** A non-negative integer count, or `fallback` when absent or not a count. */
export function count(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback;
}

/** Assigns without letting a `__proto__` key from the wire replace the object's prototype. */
export function put<T>(target: Record<string, T>, key: string, value: NoInfer<T>): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Any JSON value as an attribute value (nested arrays and objects are kept). */
export function toAttributeValue(v: unknown, depth = 0): AttributeValue {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v === null || v === undefined || depth >= MAX_DEPTH) return null;
  if (Array.isArray(v)) return v.map((x) => toAttributeValue(x, depth + 1));
  if (isObject(v)) return toAttributes(v, depth + 1);
  return null;
}

export function toAttributes(o: Obj, depth = 0): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined) put(out, k, toAttributeValue(v, depth));
  }
  return out;
}

/**
 * Sentry tags: an object, or (older SDKs, Relay output) an array of [key, value] pairs. Values become
 * strings; null and nested values are dropped because a tag is always a flat string.
 */
export function readTags(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const pairs: unknown[][] = Array.isArray(v)
    ? v.filter((p): p is unknown[] => Array.isArray(p) && p.length === 2)
    : Object.entries(objectOr(v));
  for (const [key, value] of pairs) {
    const text = str(value);
    if (typeof key === 'string' && key !== '' && (text !== '' || value === '')) put(out, key, text);
  }
  return out;
}

/** Lower-case hex id of exactly `length` characters, or '' (all zeros counts as no id). */
export function hexId(v: unknown, length: number): string {
  if (typeof v !== 'string') return '';
  const id = v.toLowerCase();
  if (id.length !== length || !/^[0-9a-f]+$/.test(id) || /^0+$/.test(id)) return '';
  return id;
}

/** A Sentry event id (32 hex, or a UUID with dashes as older SDKs send) in lower-case 32-hex form, or null. */
export function eventIdOf(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const compact = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? v.replace(/-/g, '') : v;
  return /^[0-9a-f]{32}$/i.test(compact) ? compact.toLowerCase() : null;
}
