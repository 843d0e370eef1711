/**
 * Rewrites minified JavaScript frames through a parsed source map: original file, line, column, function
 * name and source context, and a fresh in-app guess (a bundle is "the app", the code inside it often is not).
 */
import { FlattenMap, GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, isIgnored, originalPositionFor, sourceContentFor, type TraceMap } from '@jridgewell/trace-mapping';
import type { StackFrame } from '@faultline/proto';
import { enclosingFunctionName } from './enclosing-function.ts';
import { displayFilename, resolveReference } from './source-map-names.ts';

export interface ParsedMap {
  trace: TraceMap;
  /** Source text split into lines, filled on first use per source (null: the map carries no content). */
  lines: Map<string, string[] | null>;
}

/** A map ready for one script: `mapUrl` is where the map sits relative to the script's real URL or path. */
export interface ResolvedMap {
  parsed: ParsedMap;
  mapUrl: string;
}

interface Position {
  source: string;
  line: number;
  column: number;
  name: string | null;
}

const CONTEXT_LINES = 5;
/** Context lines are cut to this many characters around the column: a minified line would be the whole bundle. */
const MAX_CONTEXT_CHARS = 300;

/** Parses a version 3 map (index maps with `sections` too); null for anything else. Never throws. */
export function parseSourceMap(text: string): ParsedMap | null {
  try {
    const json = JSON.parse(text) as { version?: unknown };
    if (typeof json !== 'object' || json === null || json.version !== 3) return null;
    return { trace: new FlattenMap(json as never), lines: new Map() };
  } catch {
    return null;
  }
}

function lookup(parsed: ParsedMap, frame: StackFrame): Position | null {
  if (frame.lineno === null) return null;
  // Stack columns are 1-based, map columns 0-based; without a column the first mapping on the line is the best guess.
  const needle =
    frame.colno === null
      ? { line: frame.lineno, column: 0, bias: LEAST_UPPER_BOUND }
      : { line: frame.lineno, column: Math.max(0, frame.colno - 1), bias: GREATEST_LOWER_BOUND };
  const pos = originalPositionFor(parsed.trace, needle as { line: number; column: number; bias: 1 | -1 });
  // A segment naming a source index the map does not have yields no usable source.
  if (typeof pos.source !== 'string' || pos.line === null) return null;
  return { source: pos.source, line: pos.line, column: pos.column, name: pos.name };
}

/** Sentry's rule: node_modules, bundler runtime and sources the map lists as ignored are not the app. */
export function originalInApp(source: string, ignored: boolean): boolean {
  if (ignored) return false;
  if (/(?:^|[/\\])node_modules[/\\]/.test(source)) return false;
  if (/(?:^|\/)webpack\/(?:bootstrap|runtime|universalModuleDefinition)|\(webpack\)|^webpack\/|^\/?@?vite\//.test(source)) return false;
  return !source.startsWith('\u0000') && !source.startsWith('node:');
}

/** `…/node_modules/lodash/merge.js` → `lodash/merge`, as stack-js names dependency modules; '' for app code. */
function dependencyModule(source: string): string {
  const marker = source.lastIndexOf('node_modules/');
  if (marker === -1) return '';
  return source.slice(marker + 'node_modules/'.length).replace(/\.[cm]?[jt]sx?$/, '');
}

function sourceLines(parsed: ParsedMap, source: string): string[] | null {
  let lines = parsed.lines.get(source);
  if (lines === undefined) {
    const content = sourceContentFor(parsed.trace, source);
    lines = content === null ? null : content.split(/\r?\n/);
    parsed.lines.set(source, lines);
  }
  return lines;
}

function clip(line: string, column: number): string {
  if (line.length <= MAX_CONTEXT_CHARS) return line;
  const start = Math.max(0, Math.min(column - MAX_CONTEXT_CHARS / 2, line.length - MAX_CONTEXT_CHARS));
  return line.slice(start, start + MAX_CONTEXT_CHARS);
}

function setContext(frame: StackFrame, lines: string[] | null, pos: Position): void {
  // Context the SDK read from the minified file describes the bundle, not the original line.
  delete frame.contextLine;
  delete frame.preContext;
  delete frame.postContext;
  const line = lines?.[pos.line - 1];
  if (!lines || line === undefined) return;
  frame.contextLine = clip(line, pos.column);
  frame.preContext = lines.slice(Math.max(0, pos.line - 1 - CONTEXT_LINES), pos.line - 1).map((l) => clip(l, 0));
  frame.postContext = lines.slice(pos.line, pos.line + CONTEXT_LINES).map((l) => clip(l, 0));
}

function rewrite(frame: StackFrame, resolved: ResolvedMap, pos: Position, callerName: string | null): void {
  const { parsed } = resolved;
  frame.absPath = resolveReference(pos.source, resolved.mapUrl);
  frame.filename = displayFilename(pos.source);
  frame.module = dependencyModule(frame.absPath.replace(/\\/g, '/'));
  frame.lineno = pos.line;
  frame.colno = pos.column + 1;
  const lines = sourceLines(parsed, pos.source);
  // The enclosing function depends on the frame alone, so it wins over the caller's token for stable grouping.
  const name = (lines ? enclosingFunctionName(lines, pos.line, pos.column) : null) ?? callerName;
  if (name !== null) frame.function = name;
  frame.inApp = originalInApp(pos.source, isIgnored(parsed.trace, pos.source));
  setContext(frame, lines, pos);
}

/**
 * Symbolicates one stack (oldest call first) in place. The original function name is read from the source
 * above the frame's original line when the map carries sources; otherwise it comes from the caller, whose
 * position is the call expression the map names after the called function (`a(x)` → `applyDiscount`). The
 * name at the frame's own position would name what *it* calls or throws, so it is never used; with neither,
 * the reported name is kept.
 */
export function symbolicateStack(frames: StackFrame[], mapFor: (frame: StackFrame) => ResolvedMap | undefined): number {
  const hits = frames.map((frame) => {
    const resolved = mapFor(frame);
    const pos = resolved ? lookup(resolved.parsed, frame) : null;
    return resolved && pos ? { resolved, pos } : null;
  });
  let rewritten = 0;
  // Rewritten copies replace the frames only once all succeeded: a failure leaves the stack as it was.
  const next = frames.map((frame, i) => {
    const hit = hits[i];
    if (!hit) return frame;
    const copy = { ...frame };
    rewrite(copy, hit.resolved, hit.pos, hits[i - 1]?.pos.name ?? null);
    rewritten++;
    return copy;
  });
  frames.splice(0, frames.length, ...next);
  return rewritten;
}
