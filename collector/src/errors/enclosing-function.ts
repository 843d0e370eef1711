/**
 * The name of the function enclosing a position in original JavaScript or TypeScript source. Minified frames
 * carry mangled names (`a`, `n.o`) that change with every build, and a map only names tokens, not scopes, so
 * symbolication reads the function header above the frame's original line in the map's `sourcesContent`.
 * A brace-counting scan, not a parser: braces inside strings or comments can mislead it, and then the
 * caller's call token or the reported name is used instead.
 */

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'function', 'return', 'typeof', 'await', 'yield', 'new', 'do', 'else', 'in', 'of']);
const IDENT = '#?[A-Za-z_$][\\w$]*';
/** Scanning stops after this many characters: a generated source (a vendored bundle) could be megabytes. */
const MAX_SCAN_CHARS = 100_000;

/** Index of the `(` matching the `)` that ends `text`, or -1. */
function matchingOpen(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) return i;
  }
  return -1;
}

function arrowName(before: string): string | null {
  const head = before.replace(/\basync$/, '').trimEnd();
  // `name = (…) =>`, `name: (…) =>`, `const name: Handler = (…) =>`
  const assigned = new RegExp(`(${IDENT})\\s*(?::[^=:(){}]*)?[=:]$`).exec(head);
  return assigned?.[1] ?? null;
}

function namedFunction(before: string): string | null | undefined {
  const fn = new RegExp(`\\bfunction\\b\\s*\\*?\\s*(${IDENT})?$`).exec(before);
  if (fn) {
    if (fn[1]) return fn[1];
    const assigned = new RegExp(`(${IDENT})\\s*[=:]\\s*(?:async\\s+)?$`).exec(before.slice(0, fn.index));
    return assigned?.[1] ?? null;
  }
  // A method (`async total(…) {`, `static get x() {`): the name must open a member, not follow an expression.
  const method = new RegExp(`^(.*?)(${IDENT})\\s*\\??$`).exec(before);
  const prefix = (method?.[1] ?? '').trimEnd();
  const name = method?.[2];
  if (name === undefined || KEYWORDS.has(name)) return undefined;
  return prefix === '' || /(?:[;{},*]|\b(?:static|async|get|set|public|private|protected|override|readonly))$/.test(prefix) ? name : undefined;
}

/**
 * What a block header (the text before a `{`) says: a function's name, null for an anonymous function,
 * undefined when the block is not a function body (`if (…) {`, an object literal, a class body).
 */
export function functionNameOfHeader(header: string): string | null | undefined {
  let head = header.replace(/\s+/g, ' ').trim();
  const arrow = head.endsWith('=>');
  if (arrow) head = head.slice(0, -2).trimEnd();
  // TypeScript return types: `): number {`, `): Promise<Order[]> =>`
  head = head.replace(/\)\s*:\s*[\w$.<>[\], |&?]+$/, ')');
  let before: string;
  if (head.endsWith(')')) {
    const open = matchingOpen(head);
    if (open < 0) return undefined;
    before = head.slice(0, open).trimEnd().replace(/<[^<>()]*>$/, '').trimEnd();
  } else if (arrow) {
    const param = new RegExp(`${IDENT}$`).exec(head);
    if (!param) return undefined;
    before = head.slice(0, param.index).trimEnd();
  } else {
    return undefined;
  }
  return arrow ? arrowName(before) : namedFunction(before);
}

/** The header of the block opened at `lines[line][column]`, with earlier lines when its parameters span several. */
function headerAt(lines: readonly string[], line: number, column: number): string {
  let header = (lines[line] ?? '').slice(0, column);
  const unbalanced = (text: string): boolean => (text.match(/\)/g)?.length ?? 0) > (text.match(/\(/g)?.length ?? 0);
  for (let back = 1; back <= 5 && line - back >= 0 && (header.trim() === '' || unbalanced(header)); back++) {
    header = `${lines[line - back] ?? ''} ${header}`;
  }
  return header;
}

/**
 * The function enclosing 1-based `line`, 0-based `column`: '' when it is anonymous, null when unknown
 * (top-level code, or the scan gave up).
 */
export function enclosingFunctionName(lines: readonly string[], line: number, column: number): string | null {
  let depth = 0;
  let scanned = 0;
  for (let l = line - 1; l >= 0 && scanned < MAX_SCAN_CHARS; l--) {
    const text = l === line - 1 ? (lines[l] ?? '').slice(0, column) : (lines[l] ?? '');
    scanned += text.length + 1;
    for (let c = text.length - 1; c >= 0; c--) {
      const ch = text[c];
      if (ch === '}') depth++;
      else if (ch === '{' && depth > 0) depth--;
      else if (ch === '{') {
        const name = functionNameOfHeader(headerAt(lines, l, c));
        if (name !== undefined) return name ?? '';
      }
    }
  }
  return null;
}
