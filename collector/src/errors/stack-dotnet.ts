/**
 * .NET `Exception.ToString()` text (what OTel .NET records). Inner exceptions are announced in the header
 * (` ---> Type: message`, one per nesting level) and their frames come first, each inner block closed by
 * `--- End of inner exception stack trace ---`; the outermost exception's frames come last. Frames are
 * newest first.
 */
import type { StackFrame } from '@faultline/proto';
import { type ParsedException, makeFrame, parseHeader, toLineNumber } from './frame.ts';
import { dotnetInApp } from './in-app.ts';
import { openingParen } from './stack-js.ts';

const INNER = /^\s*---> (.*)$/;
const END_OF_INNER = /^\s*--- End of inner exception stack trace ---\s*$/;
const ASYNC_BOUNDARY = /^\s*--- End of stack trace from previous location(?: where exception was thrown)? ---\s*$/;

/** `Shop.Orders.OrderService.Place(Int32 id)` → type `Shop.Orders.OrderService`, method `Place`. */
function splitMethod(signature: string): { typeName: string; method: string } | null {
  if (!signature.endsWith(')')) return null;
  const open = openingParen(signature);
  if (open <= 0) return null;
  const name = signature.slice(0, open);
  let dot = name.lastIndexOf('.');
  // Constructors are `Type..ctor` / `Type..cctor`: the method name itself starts with a dot.
  if (dot > 0 && name[dot - 1] === '.') dot--;
  if (dot <= 0) return { typeName: '', method: name };
  return { typeName: name.slice(0, dot), method: name.slice(dot + 1) };
}

/** `at signature` or `at signature in path:line N`, split without backtracking over long lines. */
function splitFrameLine(line: string): { signature: string; path: string; lineno: number | null } | null {
  const text = line.trim();
  if (!text.startsWith('at ')) return null;
  const body = text.slice('at '.length);
  const where = body.indexOf(') in ');
  const lineMatch = where === -1 ? null : /:line (\d+)$/.exec(body);
  if (!lineMatch) return { signature: body, path: '', lineno: null };
  return {
    signature: body.slice(0, where + 1),
    path: body.slice(where + ') in '.length, lineMatch.index),
    lineno: toLineNumber(lineMatch[1]),
  };
}

export function parseDotnetFrame(line: string): StackFrame | null {
  const split = splitFrameLine(line);
  const parts = split ? splitMethod(split.signature) : null;
  if (!split || !parts) return null;
  return makeFrame({
    function: parts.method,
    module: parts.typeName,
    absPath: split.path,
    lineno: split.lineno,
    inApp: dotnetInApp(parts.typeName),
  });
}

/** The HRESULT .NET prints after some types (`SqlException (0x80131904): …`) is not part of the type. */
function dotnetHeader(text: string): { type: string; value: string } {
  return parseHeader(text.replace(/^([\w.`+]+) \(0x[0-9A-Fa-f]+\):/, '$1:'));
}

export function parseDotnet(lines: string[]): ParsedException[] {
  const headers: string[][] = [[]];
  const frames: StackFrame[][] = [[]];
  let level = -1;
  for (const line of lines) {
    const inner = level === -1 ? INNER.exec(line) : null;
    if (inner) {
      headers.push([inner[1] ?? '']);
      frames.push([]);
      continue;
    }
    const frame = parseDotnetFrame(line);
    if (frame) {
      if (level === -1) level = headers.length - 1;
      frames[level]?.push(frame);
      continue;
    }
    if (END_OF_INNER.test(line)) {
      // An inner exception without frames still closes its level.
      if (level === -1) level = headers.length - 1;
      level = Math.max(0, level - 1);
      continue;
    }
    if (level === -1 && !ASYNC_BOUNDARY.test(line)) headers[headers.length - 1]?.push(line);
  }
  // Innermost first, as Sentry orders a chain.
  return headers.map((header, i) => ({ ...dotnetHeader(header.join('\n')), frames: (frames[i] ?? []).reverse() })).reverse();
}
