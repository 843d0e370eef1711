/**
 * Sentry's `request`, `extra` and `modules` event fields. Like the rest of the event, a field of the wrong type is
 * dropped and the others kept. Cookies (`request.cookies`, `env`) are not kept at all: they are credentials far
 * more often than they are evidence, and Relay filters them by default too.
 */
import type { EventRequest } from '../model.ts';
import { isObject, objectOr, put, str, toAttributeValue } from './values.ts';

/** A request body larger than this (as JSON) is kept as its first this-many characters of text. */
export const MAX_REQUEST_DATA = 8192;

/** `[[name, value], …]` (Relay's normalized form) or `{name: value}`, values as text. */
function pairs(v: unknown): Array<[string, string]> {
  const list: unknown[][] = Array.isArray(v)
    ? v.filter((p): p is unknown[] => Array.isArray(p) && p.length === 2)
    : Object.entries(objectOr(v));
  const out: Array<[string, string]> = [];
  for (const [name, value] of list) {
    if (typeof name !== 'string' || name === '') continue;
    const text = Array.isArray(value) ? value.map(str).join(', ') : str(value);
    out.push([name, text]);
  }
  return out;
}

/** Cookie headers are credentials whatever their names: never kept, scrubbing on or off (as `cookies` is not). */
const COOKIE_HEADER = /^(set-)?cookie2?$/i;

function readHeaders(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs(v)) if (!COOKIE_HEADER.test(name)) put(out, name, value);
  return out;
}

/** A string as sent (without '?'), or pairs joined as `name=value&…` the way a browser encodes them. */
function readQuery(v: unknown): string {
  if (typeof v === 'string') return str(v).replace(/^\?/, '');
  return new URLSearchParams(pairs(v)).toString();
}

/** A JSON text body is parsed, so key-based scrubbing reaches its fields (`{"password": …}`). */
function readData(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  let data: unknown = v;
  if (typeof v === 'string') {
    const text = str(v);
    data = text;
    if (/^\s*[[{]/.test(text)) {
      try {
        data = JSON.parse(text) as unknown;
      } catch {
        // Not JSON after all: kept as text.
      }
    }
  }
  const value = typeof data === 'string' ? data : toAttributeValue(data);
  const json = JSON.stringify(value) ?? '';
  if (json.length <= MAX_REQUEST_DATA) return value;
  // Cut text would hide `"password":"…"` from the key rules that scrub a structured body: a large structured
  // body is left out; large text is cut (the text rules still apply to it).
  return typeof value === 'string' ? value.slice(0, MAX_REQUEST_DATA) : `[a body of ${json.length} characters, left out]`;
}

/** Sentry's `request` interface; null when the event has none (or only cookies). */
export function readRequest(v: unknown): EventRequest | null {
  if (!isObject(v)) return null;
  let url = str(v.url);
  let queryString = readQuery(v.query_string);
  // SDKs send the whole location in `url` (Node ones the query string again on its own): the query is shown
  // and scrubbed once, on its own, as Relay does.
  const q = url.indexOf('?');
  if (q >= 0) {
    if (queryString === '') queryString = url.slice(q + 1).replace(/#.*$/, '');
    url = url.slice(0, q);
  }
  const request: EventRequest = {
    method: str(v.method).toUpperCase(),
    url,
    queryString,
    headers: readHeaders(v.headers),
    data: readData(v.data),
  };
  const empty =
    request.method === '' && url === '' && queryString === '' && Object.keys(request.headers).length === 0 && request.data === null;
  return empty ? null : request;
}

/** `extra`: any JSON object (values nested at most as deep as attributes are). */
export function readExtra(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(objectOr(v))) {
    if (value !== undefined) put(out, key, toAttributeValue(value));
  }
  return out;
}

/** `modules`: package name → version, both text. */
export function readModules(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, version] of Object.entries(objectOr(v))) {
    const text = str(version);
    if (name !== '' && text !== '') put(out, name, text);
  }
  return out;
}
