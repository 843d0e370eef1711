/**
 * PII scrubbing before storage, on by default: once a password reaches ClickHouse it is in every backup and
 * every replica, so the collector removes what it can recognise before the row is written.
 *
 * Two rules. A value whose key looks sensitive (Sentry Relay's default list, matched as a case-insensitive
 * substring, with '-' and '_' interchangeable so `x-api-key` counts like `api_key`) becomes '[Filtered]',
 * whatever its type. Every other string is searched for secrets inside free text: card numbers, URL userinfo,
 * sensitive `key=value` pairs and `Bearer <token>`. Identity fields (ids, times, kinds, status codes) and
 * names (span, event, transaction) are never touched: they are what traces and grouping are built on.
 *
 * Hot path: key verdicts are memoised, and each text pattern runs only after a cheap check says it could
 * match. Shared resource/scope attribute objects (the decoder hands the same object to every span of a
 * resource) are scrubbed once per options object rather than once per span.
 */
import type { AttributeValue, Attributes, LogRecord, Span } from '@faultline/proto';

export interface ScrubOptions {
  enabled: boolean;
  /** Sensitive key fragments beyond the defaults: case-insensitive substrings, '-' and '_' interchangeable. */
  extraKeys: string[];
  /** Luhn-valid 13–19 digit numbers with a card network's first digit (2–6). */
  scrubCardNumbers: boolean;
  /** URL userinfo and sensitive `key=value` pairs (query strings, connection strings, logfmt). */
  scrubUrlCredentials: boolean;
  /** Exact (case-sensitive) keys, at any nesting level, whose values are stored as received. */
  safeKeys: string[];
}

export const FILTERED = '[Filtered]';

// Sentry Relay's defaults, so data scrubbed upstream by a Sentry SDK or Relay looks the same here.
const DEFAULT_KEYS = 'password passwd secret api_key apikey auth credentials mysql_pwd privatekey private_key token bearer'.split(' ');

// Cookie headers as OTel captures them (`http.request.header.cookie`, `http.response.header.set-cookie`) or as a
// plain key: a session cookie is a credential whatever its name (Sentry events drop them: proto/src/sentry/request.ts).
const COOKIE_KEY = '(?:^|[._])(?:set[-_])?cookie2?$';

// 'token' would filter LLM token *counts*, which cost dashboards need and which reveal nothing.
const TOKEN_COUNT_KEYS = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.completion_tokens',
  'gen_ai.usage.total_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.request.max_tokens',
  'llm.usage.total_tokens',
  'llm.token_count.prompt',
  'llm.token_count.completion',
  'llm.token_count.total',
];

export const DEFAULT_SCRUB_OPTIONS: ScrubOptions = Object.freeze({
  enabled: true,
  extraKeys: [],
  scrubCardNumbers: true,
  scrubUrlCredentials: true,
  safeKeys: TOKEN_COUNT_KEYS,
});

// Decoded JSON can nest arbitrarily; past this depth the whole subtree is filtered (fail closed).
const MAX_DEPTH = 64;
const KEY_MEMO_LIMIT = 4096;

// Userinfo runs to the last '@' before the host ends; '@' stays allowed because unencoded '@' in
// passwords is common. The class excludes '/', so each match stays within one URL: no quadratic backtracking.
const URL_USERINFO = /:\/\/[^\s/?#"'<>\\]+@/g;
// `name=value` after a query/connection-string/logfmt separator; quoted values (double quotes, or single ones as in
// libpq and ADO.NET connection strings) are bounded for the same reason.
const KEY_VALUE = /(^|[?&;\s"'])([^\s=&;?#"'<>]+)=("[^"\n]{0,256}"|'[^'\n]{0,256}'|[^\s&;#"'<>]+)/g;
// At least 8 token characters, so prose ("the bearer of this note") survives.
const BEARER = /\b(bearer)\s+[A-Za-z0-9._~+/-]{8,}=*/gi;
const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
const DIGIT_GROUP = /\d+/g;

interface Compiled {
  keyPattern: RegExp;
  keyMemo: Map<string, boolean>;
  safe: Set<string>;
  cards: boolean;
  urls: boolean;
  /** Shared attribute objects already scrubbed in place with these options. */
  done: WeakSet<object>;
}

// Options are read once per options object: callers must not mutate one after first use.
const compiledByOptions = new WeakMap<ScrubOptions, Compiled>();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(opts: ScrubOptions): Compiled {
  let c = compiledByOptions.get(opts);
  if (c) return c;
  const needles = [...DEFAULT_KEYS, ...opts.extraKeys].map((k) => k.trim().toLowerCase()).filter((k) => k !== '');
  const source = needles.map((n) => escapeRegExp(n).replace(/[-_]/g, '[-_]')).join('|');
  c = {
    keyPattern: new RegExp(`${source}|${COOKIE_KEY}`, 'i'),
    keyMemo: new Map(),
    safe: new Set(opts.safeKeys),
    cards: opts.scrubCardNumbers,
    urls: opts.scrubUrlCredentials,
    done: new WeakSet(),
  };
  compiledByOptions.set(opts, c);
  return c;
}

function isSensitiveKey(c: Compiled, key: string): boolean {
  let hit = c.keyMemo.get(key);
  if (hit === undefined) {
    // Keys come from senders; clearing keeps memory bounded, and the working set refills in a moment.
    if (c.keyMemo.size >= KEY_MEMO_LIMIT) c.keyMemo.clear();
    hit = c.keyPattern.test(key);
    c.keyMemo.set(key, hit);
  }
  return hit;
}

function hasDigits(s: string, wanted: number): boolean {
  if (s.length < wanted) return false;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 48 && ch <= 57 && ++n >= wanted) return true;
  }
  return false;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// Networks issue cards starting with 2–6; excluding 0, 1, 7–9 spares ms/ns timestamps and most snowflake ids.
function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  const first = digits.charCodeAt(0);
  return first >= 50 /* '2' */ && first <= 54 /* '6' */ && luhnValid(digits);
}

/** One digit run may hold a card next to other numbers ("qty 2 4111 1111 1111 1111"): try each group span. */
function filterDigitRun(run: string): string {
  const groups = [...run.matchAll(DIGIT_GROUP)].map((m) => ({ digits: m[0], start: m.index, end: m.index + m[0].length }));
  for (const [i, first] of groups.entries()) {
    let digits = '';
    for (const group of groups.slice(i)) {
      digits += group.digits;
      if (digits.length > 19) break;
      if (isCardNumber(digits)) return run.slice(0, first.start) + FILTERED + run.slice(group.end);
    }
  }
  return run;
}

function scrubText(c: Compiled, s: string): string {
  let out = s;
  if (c.urls) {
    if (out.includes('://')) out = out.replace(URL_USERINFO, `://${FILTERED}@`);
    if (out.includes('=')) {
      out = out.replace(KEY_VALUE, (m, sep: string, name: string) => (isSensitiveKey(c, name) ? `${sep}${name}=${FILTERED}` : m));
    }
  }
  // A bearer token is a credential on its own, so this does not depend on the URL option.
  if (out.includes('earer') || out.includes('EARER')) out = out.replace(BEARER, `$1 ${FILTERED}`);
  if (c.cards && hasDigits(out, 13)) out = out.replace(DIGIT_RUN, filterDigitRun);
  return out;
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** One scrubbing pass: copy-on-write over values, counting what it replaced. */
export class Pass {
  count = 0;
  private readonly c: Compiled;

  constructor(c: Compiled) {
    this.c = c;
  }

  text(s: string): string {
    const out = scrubText(this.c, s);
    if (out !== s) this.count++;
    return out;
  }

  entry(key: string, v: unknown, depth: number): unknown {
    if (this.c.safe.has(key)) return v;
    if (isSensitiveKey(this.c, key)) {
      if (v === FILTERED) return v;
      this.count++;
      return FILTERED;
    }
    return this.value(v, depth);
  }

  value(v: unknown, depth: number): unknown {
    if (typeof v === 'string') return this.text(v);
    if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return v;
    if (depth >= MAX_DEPTH) {
      this.count++;
      return FILTERED;
    }
    if (Array.isArray(v)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const next = this.value(v[i], depth + 1);
        if (next !== v[i]) (out ??= v.slice())[i] = next;
      }
      return out ?? v;
    }
    return isPlainObject(v) ? this.record(v, depth + 1) : v;
  }

  /** Returns `rec` itself when nothing changed, so unscrubbed data costs no allocation. */
  record<T extends Record<string, unknown>>(rec: T, depth: number): T {
    let out: Record<string, unknown> | null = null;
    for (const key of Object.keys(rec)) {
      const v = rec[key];
      const next = this.entry(key, v, depth);
      if (next !== v) (out ??= { ...rec })[key] = next;
    }
    return (out ?? rec) as T;
  }

  inPlace(rec: Attributes): void {
    for (const key of Object.keys(rec)) {
      const v = rec[key];
      const next = this.entry(key, v, 0);
      if (next !== v) rec[key] = next as AttributeValue;
    }
  }

  /** Whether `key` is one of the options' safe keys (stored as received). */
  isSafe(key: string): boolean {
    return this.c.safe.has(key);
  }

  sharedInPlace(rec: Attributes): void {
    if (this.c.done.has(rec)) return;
    this.inPlace(rec);
    this.c.done.add(rec);
  }
}

export function startPass(opts: ScrubOptions): Pass | null {
  return opts.enabled ? new Pass(compile(opts)) : null;
}

/** Scrubs a copy when anything matched; `attrs` is never modified. */
export function scrubAttributes(attrs: Attributes, opts: ScrubOptions): { attributes: Attributes; scrubbed: number } {
  const pass = startPass(opts);
  if (!pass) return { attributes: attrs, scrubbed: 0 };
  const attributes = pass.record(attrs, 0);
  return { attributes, scrubbed: pass.count };
}

export function scrubString(value: string, opts: ScrubOptions): string {
  return opts.enabled ? scrubText(compile(opts), value) : value;
}

/** Scrubs in place; returns how many values were replaced. The span name is kept (it is the operation). */
export function scrubSpan(span: Span, opts: ScrubOptions): number {
  const pass = startPass(opts);
  if (!pass) return 0;
  pass.inPlace(span.attributes);
  for (const event of span.events) pass.inPlace(event.attributes);
  for (const link of span.links) pass.inPlace(link.attributes);
  pass.sharedInPlace(span.resource);
  pass.sharedInPlace(span.scope.attributes);
  span.statusMessage = pass.text(span.statusMessage);
  return pass.count;
}

/** Scrubs in place, the body too (a string or structured); returns how many values were replaced. */
export function scrubLogRecord(log: LogRecord, opts: ScrubOptions): number {
  const pass = startPass(opts);
  if (!pass) return 0;
  log.body = pass.value(log.body, 0) as AttributeValue;
  pass.inPlace(log.attributes);
  pass.sharedInPlace(log.resource);
  pass.sharedInPlace(log.scope.attributes);
  return pass.count;
}
