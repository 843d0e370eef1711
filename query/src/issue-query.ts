/**
 * The issue search box's syntax, as Sentry users type it: `is:unresolved level:error browser:Chrome cart total`.
 * `is:` sets the status, `release:` / `environment:` (`env:`) / `level:` / `assigned:` their filters, any other `key:value` a tag
 * of the issue's events, quotes keep spaces (`release:"web 2.0"`); the rest is free text on title and culprit.
 */
import { badRequest } from './http.ts';
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
}

const STATUSES = new Set(['unresolved', 'resolved', 'ignored', 'all']);
const LEVELS = new Set(['fatal', 'error', 'warning', 'info', 'debug']);
/** A key is a tag name; a colon after anything else (`TypeError:`, `http://`) is text. */
const KEY = /^[A-Za-z_][\w.-]{0,199}$/;
/** `key:value`, `key:"quoted value"`, `"quoted text"`, or a bare word. */
const TOKEN = /(!?)([A-Za-z_][\w.-]*):"((?:[^"\\]|\\.)*)"|"((?:[^"\\]|\\.)*)"|(\S+)/g;

const unquote = (s: string): string => s.replace(/\\(.)/g, '$1');

function apply(out: IssueSearch, key: string, value: string): void {
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
  else out.tags.push({ key, value });
}

/** Parses the search box; throws a 400 for what it cannot honour (a bad status or level, a negation). */
export function parseIssueSearch(query: string): IssueSearch {
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
    if (key !== undefined && value !== undefined) apply(out, key, value);
  }
  out.text = words.join(' ').trim();
  if (out.tags.length > MAX_KEY_FILTERS) throw badRequest(`query parameter "query": at most ${MAX_KEY_FILTERS} tag filters`);
  return out;
}
