/**
 * JVM traces as `Throwable.printStackTrace` prints them (what OTel Java records), also with logback's
 * packaging suffixes (`~[spring-web.jar:6.1.2]`). The outer exception comes first and each `Caused by:`
 * follows; frames are newest first. Both orders are flipped to Sentry's: cause first, oldest frame first.
 */
import type { StackFrame } from '@faultline/proto';
import { type ParsedException, makeFrame, parseHeader, toLineNumber } from './frame.ts';
import { javaInApp } from './in-app.ts';

export const JAVA_FRAME = /^\s*at\s+([^\s(]+)\(([^()]*)\)(?:\s+~?\[[^\]]*\])?\s*$/;
const MORE = /^\s*\.\.\. (\d+) (?:more|common frames omitted)\s*$/;
const CAUSED_BY = /^\s*Caused by:\s?(.*)$/;
const SUPPRESSED = /^(\s*)Suppressed:/;

/** `java.base/java.lang.Thread.run` → class and method; module-path prefixes are dropped. */
function splitMethod(qualified: string): { className: string; method: string } {
  // Java 9+ prefixes frames with a class loader or module (`app//`, `java.base/`, `lib@1.2/`). A lambda
  // class (`Foo$$Lambda$12/0x…`) also contains a slash, but after a `$`, so the prefix pattern skips it.
  const name = qualified.replace(/^[\w.]+(?:@[\w.+-]+)?\/\/?/, '');
  const dot = name.lastIndexOf('.');
  if (dot === -1) return { className: '', method: name };
  return { className: name.slice(0, dot), method: name.slice(dot + 1) };
}

export function parseJavaFrame(line: string): StackFrame | null {
  const match = JAVA_FRAME.exec(line);
  if (!match) return null;
  const { className, method } = splitMethod(match[1] ?? '');
  const location = match[2] ?? '';
  const fileMatch = /^(.*?)(?::(\d+))?$/.exec(location);
  let filename = fileMatch?.[1] ?? '';
  if (filename === 'Native Method' || filename === 'Unknown Source') filename = '';
  return makeFrame({
    function: method,
    module: className,
    filename,
    absPath: '',
    lineno: toLineNumber(fileMatch?.[2]),
    inApp: javaInApp(className, filename !== ''),
  });
}

interface Block {
  header: string[];
  /** As printed: newest first. */
  frames: StackFrame[];
}

/**
 * `Suppressed:` blocks (try-with-resources) are skipped: they are siblings of the failure, not its cause,
 * and Sentry's exception chain has no place for them.
 */
export function parseJava(lines: string[]): ParsedException[] {
  const blocks: Block[] = [];
  let current: Block = { header: [], frames: [] };
  let skipDeeperThan: number | null = null;
  for (const line of lines) {
    const indent = /^\s*/.exec(line)?.[0].length ?? 0;
    if (skipDeeperThan !== null) {
      if (line.trim() === '' || indent > skipDeeperThan) continue;
      skipDeeperThan = null;
    }
    const suppressed = SUPPRESSED.exec(line);
    if (suppressed) {
      skipDeeperThan = suppressed[1]?.length ?? 0;
      continue;
    }
    const cause = CAUSED_BY.exec(line);
    if (cause) {
      blocks.push(current);
      current = { header: [cause[1] ?? ''], frames: [] };
      continue;
    }
    const frame = parseJavaFrame(line);
    if (frame) {
      current.frames.push(frame);
      continue;
    }
    const more = MORE.exec(line);
    if (more) {
      // "... 12 more": the last 12 frames equal those of the enclosing trace, printed just before.
      const enclosing = blocks[blocks.length - 1];
      const count = Number(more[1]);
      if (enclosing && count > 0) current.frames.push(...enclosing.frames.slice(-count).map((f) => ({ ...f })));
      continue;
    }
    if (current.frames.length === 0) current.header.push(line);
  }
  blocks.push(current);
  return blocks.map((block) => ({ ...parseHeader(block.header.join('\n')), frames: block.frames.reverse() })).reverse();
}
