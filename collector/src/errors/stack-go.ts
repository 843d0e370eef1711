/**
 * Go goroutine dumps: a panic's output (`panic: …`, then `goroutine 1 [running]:`) or `debug.Stack()`,
 * which OTel Go records as the stack trace. Each frame is a function line followed by a tab-indented
 * `file:line +0xpc` line, newest first. Only the first goroutine is read: it is the one that panicked or
 * called debug.Stack(); the others (GOTRACEBACK=all) are bystanders.
 */
import type { StackFrame } from '@faultline/proto';
import { type ParsedException, makeFrame, toLineNumber } from './frame.ts';
import { goInApp } from './in-app.ts';
import { openingParen } from './stack-js.ts';

const GOROUTINE = /^goroutine \d+ \[[^\]]*\]:\s*$/;
const FILE_LINE = /^\s+(.+?):(\d+)(?: \+0x[0-9a-fA-F]+)?\s*$/;

/** `github.com/acme/shop/cart.(*Cart).Add` → package `github.com/acme/shop/cart`, function `(*Cart).Add`. */
export function splitGoFunction(name: string): { pkg: string; fn: string } {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  if (dot === -1) return { pkg: '', fn: name };
  // Go escapes dots in the last path element (`gopkg.in/yaml%2ev3`) so that the first dot ends the package.
  return { pkg: name.slice(0, dot).replaceAll('%2e', '.'), fn: name.slice(dot + 1) };
}

/** The function name of a frame line, without the argument words Go prints after it. */
function goFunctionName(line: string): string {
  let text = line.trim();
  if (text.startsWith('created by ')) return text.slice('created by '.length).replace(/ in goroutine \d+$/, '');
  if (text.endsWith(')')) {
    const open = openingParen(text);
    if (open > 0) text = text.slice(0, open);
  }
  return text;
}

/** The panic value decides type and message: runtime errors are typed by Go itself, the rest are panics. */
function goHeader(lines: string[]): { type: string; value: string } {
  let panic: string | null = null;
  let fatal: string | null = null;
  for (const line of lines) {
    if (GOROUTINE.test(line)) break;
    const p = /^\s*panic: (.*)$/.exec(line);
    // With nested panics the last one printed is the one that ended the program.
    if (p) panic = (p[1] ?? '').replace(/ \[recovered(?:, repanicked)?\]$/, '');
    const f = /^fatal error: (.*)$/.exec(line);
    if (f) fatal = f[1] ?? '';
  }
  if (panic !== null) {
    const runtime = /^runtime error: (.*)$/.exec(panic);
    return runtime ? { type: 'runtime.Error', value: runtime[1] ?? '' } : { type: 'panic', value: panic };
  }
  if (fatal !== null) return { type: 'fatal error', value: fatal };
  return { type: '', value: '' };
}

function goFrame(functionLine: string, fileLine: string): StackFrame {
  const { pkg, fn } = splitGoFunction(goFunctionName(functionLine));
  const file = FILE_LINE.exec(fileLine);
  const absPath = file?.[1] ?? '';
  return makeFrame({ function: fn, module: pkg, absPath, lineno: toLineNumber(file?.[2]), inApp: goInApp(pkg, absPath) });
}

export function parseGo(lines: string[]): ParsedException[] {
  const start = lines.findIndex((line) => GOROUTINE.test(line));
  const frames: StackFrame[] = [];
  if (start !== -1) {
    for (let i = start + 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (line.trim() === '' || GOROUTINE.test(line)) break;
      if (/^\s/.test(line) || /^\.\.\..*elided\.\.\.$/.test(line.trim())) continue;
      // Every frame has a file line; a line without one is trailing output (`exit status 2`).
      const next = lines[i + 1] ?? '';
      if (!FILE_LINE.test(next)) break;
      frames.push(goFrame(line, next));
      i++;
    }
  }
  return [{ ...goHeader(lines), frames: frames.reverse() }];
}
