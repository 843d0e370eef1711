/**
 * JavaScript stacks: V8 (Node, Chrome, Edge, Deno, Bun) prints `    at fn (location)` under a header line;
 * SpiderMonkey (Firefox) and JavaScriptCore (Safari) print `fn@location` with no header at all. Both list
 * the newest call first, so frames are reversed into Sentry's oldest-first order.
 */
import type { StackFrame } from '@faultline/proto';
import { type ParsedException, fileUrlToPath, makeFrame, parseHeader, splitLocation } from './frame.ts';
import { jsInApp } from './in-app.ts';

/** Index of the `(` that opens the group closed by the final `)`, or -1. Paths may contain parentheses. */
export function openingParen(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const ch = text[i];
    if (ch === ')') depth++;
    else if (ch === '(' && --depth === 0) return i;
  }
  return -1;
}

/** Locations that are not files: `<anonymous>`, `native`, `index 0` (from `Promise.all`). */
function isPseudoLocation(path: string): boolean {
  return path === '' || path === '<anonymous>' || path === 'native' || path === '[native code]' || /^index \d+$/.test(path);
}

function jsFrame(fn: string, location: string): StackFrame {
  const { path, lineno, colno } = splitLocation(location.trim());
  const absPath = isPseudoLocation(path) ? '' : fileUrlToPath(path);
  return makeFrame({ function: fn, module: nodeModule(absPath), absPath, lineno, colno, inApp: jsInApp(absPath) });
}

/**
 * Dependencies get a module named after their path inside node_modules (`express/lib/router/layer`), which
 * stays the same across install locations and package-manager layouts (pnpm nests `.pnpm/x@1.2.3/node_modules/x`).
 * Application files get none: their module name would depend on where the app is deployed.
 */
function nodeModule(absPath: string): string {
  const marker = absPath.replace(/\\/g, '/').lastIndexOf('/node_modules/');
  if (marker === -1) return '';
  const rest = absPath.slice(marker + '/node_modules/'.length).replace(/\\/g, '/');
  return rest.replace(/[?#].*$/, '').replace(/\.[cm]?[jt]sx?$/, '');
}

/** One V8 frame line without its `at ` prefix; null when the line is not shaped like a frame. */
export function parseV8Frame(body: string): StackFrame | null {
  const text = body.trim().replace(/\s*\{$/, '');
  let fn = '';
  let location = text;
  if (text.endsWith(')')) {
    const open = openingParen(text);
    if (open >= 0) {
      fn = text.slice(0, open).trim();
      location = text.slice(open + 1, -1);
    }
  } else if (!/:\d+$/.test(text) && !isPseudoLocation(text)) {
    return null;
  } else {
    // A top-level `await` in an ES module has no function name: `at async file:///app/main.js:9:1`.
    location = text.replace(/^async\s+/, '');
  }
  // `eval at outer (file.js:3:9), <anonymous>:1:1` — the eval call site is the useful location.
  if (location.startsWith('eval at ')) location = /\(([^()]*:\d+:\d+)\)/.exec(location)?.[1] ?? '';
  fn = fn.replace(/^async\s+/, '');
  return jsFrame(fn, location);
}

interface Block {
  header: string[];
  frames: StackFrame[];
}

/**
 * V8 text. Besides `error.stack`, accepts Node's `util.inspect` output, where an `Error.cause` follows the
 * frames as an indented `[cause]: …` block (the cause is returned first, as Sentry orders a chain).
 */
export function parseV8(lines: string[]): ParsedException[] {
  const blocks: Block[] = [];
  let current: Block = { header: [], frames: [] };
  for (const line of lines) {
    const cause = /^\s*\[cause\]:\s?(.*)$/.exec(line);
    if (cause) {
      blocks.push(current);
      current = { header: [cause[1] ?? ''], frames: [] };
      continue;
    }
    const at = /^\s*at\s+(.+)$/.exec(line);
    const frame = at ? parseV8Frame(at[1] ?? '') : null;
    if (frame) current.frames.push(frame);
    else if (current.frames.length === 0) current.header.push(line);
  }
  blocks.push(current);
  return blocks
    .map((block) => ({ ...parseHeader(block.header.join('\n').replace(/\s*\{$/, '')), frames: block.frames.reverse() }))
    .reverse();
}

const URL_SCHEME = /^[a-z][\w+.-]*:\/\/\S*$/i;

/** `fn@location` split, or null when the text after `@` does not look like a location (e.g. an email). */
export function geckoParts(line: string): { fn: string; location: string } | null {
  const at = line.indexOf('@');
  if (at === -1) return null;
  const fn = line.slice(0, at).trim();
  const location = line.slice(at + 1).trim();
  if (fn.includes(': ')) return null;
  const locationLike = location === '[native code]' || /:\d+(?::\d+)?$/.test(location) || URL_SCHEME.test(location);
  return locationLike ? { fn, location } : null;
}

/** Firefox and Safari text; a header line, if someone prepended one, supplies the type and message. */
export function parseGecko(lines: string[]): ParsedException[] {
  const header: string[] = [];
  const frames: StackFrame[] = [];
  for (const line of lines) {
    const parts = line.trim() === '' ? null : geckoParts(line);
    if (!parts) {
      if (frames.length === 0) header.push(line);
      continue;
    }
    // Firefox marks async continuations with `async*` and eval'd code as `page.js line 12 > eval:1:5`.
    const fn = parts.fn.replace(/^async\*/, '');
    const evalSite = /^(.*?) line (\d+) > (?:eval|Function)/.exec(parts.location);
    frames.push(evalSite ? jsFrame(fn, `${evalSite[1] ?? ''}:${evalSite[2] ?? ''}`) : jsFrame(fn, parts.location));
  }
  return [{ ...parseHeader(header.join('\n')), frames: frames.reverse() }];
}
