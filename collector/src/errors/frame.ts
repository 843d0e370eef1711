/**
 * Small helpers shared by the per-language stack-trace parsers: building a complete StackFrame, and the
 * path handling every format needs (URLs vs. file paths, basenames, query strings).
 */
import type { StackFrame } from '@faultline/proto';

/** One exception as read from stack-trace text. */
export interface ParsedException {
  type: string;
  value: string;
  /** Oldest call first, the throwing frame last. */
  frames: StackFrame[];
}

export interface FrameFields {
  function?: string;
  module?: string;
  absPath?: string;
  filename?: string;
  lineno?: number | null;
  colno?: number | null;
  inApp?: boolean;
  contextLine?: string;
}

/** A frame with every field present; `filename` defaults to the basename of `absPath`. */
export function makeFrame(fields: FrameFields): StackFrame {
  const absPath = fields.absPath ?? '';
  const frame: StackFrame = {
    filename: fields.filename ?? basename(absPath),
    absPath,
    function: fields.function ?? '',
    module: fields.module ?? '',
    lineno: fields.lineno ?? null,
    colno: fields.colno ?? null,
    inApp: fields.inApp ?? false,
  };
  if (fields.contextLine !== undefined) frame.contextLine = fields.contextLine;
  return frame;
}

/** Drops `?query` and `#fragment` from URLs and paths (cache busters must not reach grouping or titles). */
export function stripQuery(path: string): string {
  const cut = path.search(/[?#]/);
  return cut === -1 ? path : path.slice(0, cut);
}

/** Last path segment of a path or URL, without query string; '' for ''. */
export function basename(path: string): string {
  const clean = stripQuery(path).replace(/[/\\]+$/, '');
  const slash = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\'));
  return slash === -1 ? clean : clean.slice(slash + 1);
}

/** `file:///srv/app/x.mjs` → `/srv/app/x.mjs`, so ESM and CommonJS frames of one file look the same. */
export function fileUrlToPath(location: string): string {
  if (!location.startsWith('file://')) return location;
  let path = location.slice('file://'.length);
  // file:///C:/app/x.js → C:/app/x.js
  if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Parses `1234` into a line/column number, anything else into null. */
export function toLineNumber(text: string | undefined): number | null {
  if (text === undefined || text === '') return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/**
 * Splits `location:line:col` or `location:line` from the end, so Windows drive letters and URLs with ports
 * keep their colons.
 */
export function splitLocation(text: string): { path: string; lineno: number | null; colno: number | null } {
  const both = /^(.*?):(\d+):(\d+)$/.exec(text);
  if (both) return { path: both[1] ?? '', lineno: toLineNumber(both[2]), colno: toLineNumber(both[3]) };
  const one = /^(.*?):(\d+)$/.exec(text);
  if (one) return { path: one[1] ?? '', lineno: toLineNumber(one[2]), colno: null };
  return { path: text, lineno: null, colno: null };
}

/** Exception types are identifiers joined by dots (`TypeError`, `java.lang.IllegalStateException`). */
const HEADER =
  /^(?:Uncaught |Exception in thread "[^"]*" )?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?: \[[^\]\n]*\])?(?::[ \t]?([\s\S]*))?$/;

/**
 * `Type: message` → type and message. A header that does not start with an identifier is all message,
 * with no type. Node's `Error [ERR_CODE]: msg` keeps `Error` as the type, as `error.name` would.
 */
export function parseHeader(text: string): { type: string; value: string } {
  const header = text.trim();
  if (header === '') return { type: '', value: '' };
  const match = HEADER.exec(header);
  if (!match) return { type: '', value: header };
  return { type: match[1] ?? '', value: (match[2] ?? '').trim() };
}
