/**
 * The issue search box's syntax, as Sentry users type it: `is:unresolved level:error browser:Chrome cart total`.
 * `is:` sets the status, `release:` / `environment:` (`env:`) / `level:` / `assigned:` their filters; issue fields
 * `first-release:`, `times_seen:>10`, `age:-24h`, `firstSeen:` / `lastSeen:` (relative `-1h` / `+7d` or `>` / `<` an
 * ISO date); `has:<key>`; `message:` is text; any other `key:value` is a field or tag of the issue's events
 * (`user.id:`, `transaction:`, `error.type:`, SDK tags, `browser.name:` / `os.name:` for the `browser` / `os` tags; `*` in a value is a wildcard); quotes keep spaces
 * (`release:"web 2.0"`); the rest is free text on title and culprit. Sentry keys Faultline cannot answer are a 400,
 * never an empty list that looks like "no matches".
 */
import type { Comparison } from '@faultline/storage';
import { badRequest } from './http.ts';
import { parseIsoTime } from './iso-time.ts';
import { MAX_KEY_FILTERS } from './params.ts';

export interface IssueSearch {
  status?: 'unresolved' | 'resolved' | 'ignored' | 'all';
  release?: string;
  environment?: string;
  level?: string;
  /** `assigned:<name>`: issues assigned to that name. */
  assignee?: string;
  tags: Array<{ key: string; value: string }>;
  /** What is left: free text ('' for none). */
  text: string;
  /** `has:<key>`: issues with an event carrying this tag or field. */
  has?: string[];
  firstRelease?: string;
  /** `times_seen:` — the issue's event count compared with a number. */
  timesSeen?: { op: Comparison; value: number };
  /** `age:` / `firstSeen:` and `lastSeen:` as Unix ms bounds. */
  firstSeen?: { op: Comparison; ms: number };
  lastSeen?: { op: Comparison; ms: number };
}


/** Sentry search keys Faultline does not answer: refused by name rather than matching nothing. */
const UNSUPPORTED = /^(error\.(handled|unhandled|mechanism|main_thread)|stack\..*|bookmarks|assigned_or_suggested|issue\..*|release\.(stage|build|package|version)|event\.timestamp|timestamp|detector|regressed_in_release|has_?seen)$/i;
const RELATIVE = /^([+-])(\d{1,6})([mhdw])$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function comparison(raw: string): { op: Comparison; rest: string } {
  const m = /^(>=|<=|>|<|=)?(.*)$/.exec(raw);
  return { op: (m?.[1] ?? '=') as Comparison, rest: m?.[2] ?? '' };
}

/** `-24h` = within the last 24 hours, `+7d` = longer ago than 7 days, `>2026-12-01` / `<…` an ISO date or time. */
function timeBound(key: string, raw: string, nowMs: number): { op: Comparison; ms: number } {
  const rel = RELATIVE.exec(raw);
  if (rel) return { op: rel[1] === '-' ? '>=' : '<=', ms: nowMs - Number(rel[2]) * (UNIT_MS[rel[3] ?? 'h'] ?? 0) };
  const { op, rest } = comparison(raw);
  const ms = parseIsoTime(rest);
  if (ms === null || op === '=') {
    throw badRequest(`query parameter "query": ${key}:${raw} — use a relative time (-1h, -24h, +7d) or > / < an ISO date`);
  }
  return { op, ms };
}

const STATUSES = new Set(['unresolved', 'resolved', 'ignored', 'all']);
const LEVELS = new Set(['fatal', 'error', 'warning', 'info', 'debug']);
/** A key is a tag name; a colon after anything else (`TypeError:`, `http://`) is text. */
const KEY = /^[A-Za-z_][\w.-]{0,199}$/;
/** `key:value`, `key:"quoted value"`, `"quoted text"`, or a bare word. */
const TOKEN = /(!?)([A-Za-z_][\w.-]*):"((?:[^"\\]|\\.)*)"|"((?:[^"\\]|\\.)*)"|(\S+)/g;

const unquote = (s: string): string => s.replace(/\\(.)/g, '$1');

/** Sentry's names for the tags the collector derives from the User-Agent (`browser`, `os`: family names). */
const TAG_ALIASES: Record<string, string> = { 'browser.name': 'browser', 'os.name': 'os' };

function apply(out: IssueSearch, words: string[], key: string, value: string, nowMs: number): void {
  const k = key.toLowerCase();
  if (k === 'is') {
    if (!STATUSES.has(value)) throw badRequest(`query parameter "query": is:${value} is not a status (unresolved, resolved, ignored, all)`);
    out.status = value as IssueSearch['status'];
  } else if (k === 'level') {
    if (!LEVELS.has(value)) throw badRequest(`query parameter "query": level:${value} is not a level (fatal, error, warning, info, debug)`);
    out.level = value;
  } else if (k === 'release') out.release = value;
  else if (k === 'assigned') out.assignee = value;
  else if (k === 'environment' || k === 'env') out.environment = value;
  else if (k === 'message') words.push(value);
  else if (k === 'has') (out.has ??= []).push(value);
  else if (k === 'first-release' || k === 'firstrelease') out.firstRelease = value;
  else if (k === 'times_seen' || k === 'timesseen') {
    const { op, rest } = comparison(value);
    if (!/^\d{1,12}$/.test(rest)) throw badRequest(`query parameter "query": times_seen:${value} — use a number, optionally after >, >=, < or <=`);
    out.timesSeen = { op, value: Number(rest) };
  } else if (k === 'age' || k === 'firstseen') out.firstSeen = timeBound(key, value, nowMs);
  else if (k === 'lastseen') out.lastSeen = timeBound(key, value, nowMs);
  else if (UNSUPPORTED.test(k)) {
    throw badRequest(
      `query parameter "query": ${key}: is not supported; search by is:, release:, environment:, level:, assigned:, has:, first-release:, times_seen:, age:, lastSeen:, user.id:, transaction:, error.type: or a tag`,
    );
  } else out.tags.push({ key: Object.hasOwn(TAG_ALIASES, k) ? (TAG_ALIASES[k] ?? key) : key, value });
}

/** Parses the search box; throws a 400 for what it cannot honour (a bad status or level, a negation). */
export function parseIssueSearch(query: string, nowMs = Date.now()): IssueSearch {
  const out: IssueSearch = { tags: [], text: '' };
  const words: string[] = [];
  for (const m of query.matchAll(TOKEN)) {
    const [, bang = '', quotedKey, quotedValue, quotedText, bare] = m;
    let key = quotedKey;
    let value = quotedValue === undefined ? undefined : unquote(quotedValue);
    if (bare !== undefined) {
      const colon = bare.indexOf(':');
      const k = colon > 0 ? bare.slice(bare.startsWith('!') ? 1 : 0, colon) : '';
      const v = bare.slice(colon + 1);
      if (colon > 0 && KEY.test(k) && v !== '' && !v.startsWith('//')) {
        key = k;
        value = v;
      } else {
        words.push(bare);
        continue;
      }
    }
    if (quotedText !== undefined) {
      words.push(unquote(quotedText));
      continue;
    }
    if ((bang || bare?.startsWith('!')) && key !== undefined) {
      throw badRequest(`query parameter "query": !${key}:… (excluding) is not supported; filter for what to keep`);
    }
    if (key !== undefined && value !== undefined) apply(out, words, key, value, nowMs);
  }
  out.text = words.join(' ').trim();
  if (out.tags.length + (out.has?.length ?? 0) > MAX_KEY_FILTERS) throw badRequest(`query parameter "query": at most ${MAX_KEY_FILTERS} tag and has: filters`);
  return out;
}
