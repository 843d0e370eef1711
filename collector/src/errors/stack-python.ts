/**
 * Python tracebacks as `traceback.format_exception` prints them (what OTel Python records). Frames are
 * already oldest first ("most recent call last"). Chains print the cause first, then a separator sentence,
 * then the exception that was raised while handling it, which is exactly Sentry's order.
 */
import type { StackFrame } from '@faultline/proto';
import { type ParsedException, makeFrame, parseHeader } from './frame.ts';
import { pythonInApp } from './in-app.ts';

const TRACEBACK = /^\s*Traceback \(most recent call last\):\s*$/;
const FILE_LINE = /^\s*File "(.*)", line (\d+)(?:, in (.+))?\s*$/;
const CHAIN_SEPARATOR =
  /^\s*(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)\s*$/;
/** Lines that decorate a frame without being one: 3.11+ carets, recursion summaries, 3.13 elisions. */
const DECORATION = /^\s*(?:[~^]+|\[Previous line repeated \d+ more times?\]|\.\.\.<\d+ lines?>\.\.\.)\s*$/;

/**
 * Module name from a file path, when the path says it reliably: below site-packages / dist-packages, in
 * the standard library, or a relative path (Python prints those relative to the working directory, which
 * is normally on sys.path). Absolute application paths give '' rather than a deploy-dependent guess.
 */
export function pythonModule(path: string): string {
  if (path === '' || path.startsWith('<')) return '';
  const p = path.replace(/\\/g, '/');
  const library = /\/(?:site|dist)-packages\/(.+)$/.exec(p) ?? /\/lib\/python\d(?:\.\d+)?\/(.+)$/i.exec(p) ?? /\/Lib\/(.+)$/.exec(p);
  let relative = library?.[1] ?? (/^(?:\/|[A-Za-z]:\/)/.test(p) ? '' : p);
  if (!relative.endsWith('.py')) return '';
  relative = relative
    .replace(/^\.\//, '')
    .slice(0, -'.py'.length)
    .replace(/\/__init__$/, '');
  return /^[A-Za-z_][\w]*(?:\/[A-Za-z_][\w]*)*$/.test(relative) ? relative.replaceAll('/', '.') : '';
}

function pythonFrame(path: string, line: string, fn: string): StackFrame {
  return makeFrame({
    function: fn,
    module: pythonModule(path),
    absPath: path,
    lineno: Number(line),
    inApp: pythonInApp(path),
  });
}

interface Block {
  header: string[];
  frames: StackFrame[];
}

/** Reads one traceback or a chain of them; anything before the first recognised line is ignored. */
export function parsePython(lines: string[]): ParsedException[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let state: 'between' | 'frames' | 'header' = 'between';
  let last: StackFrame | null = null;
  for (const line of lines) {
    if (TRACEBACK.test(line)) {
      current = { header: [], frames: [] };
      blocks.push(current);
      state = 'frames';
      last = null;
      continue;
    }
    if (CHAIN_SEPARATOR.test(line)) {
      state = 'between';
      continue;
    }
    if (state === 'between') {
      // A cause attached with `raise … from SomeError()` was never raised, so it prints without a traceback.
      if (line.trim() === '') continue;
      current = { header: [line], frames: [] };
      blocks.push(current);
      state = 'header';
      continue;
    }
    if (!current) continue;
    if (state === 'frames') {
      const file = FILE_LINE.exec(line);
      if (file) {
        last = pythonFrame(file[1] ?? '', file[2] ?? '', file[3] ?? '');
        current.frames.push(last);
        continue;
      }
      if (DECORATION.test(line) || line.trim() === '') continue;
      // Source lines are indented deeper than `File` lines; the exception line starts at column 0.
      if (/^\s/.test(line)) {
        if (last && last.contextLine === undefined) last.contextLine = line.trim();
        continue;
      }
      state = 'header';
    }
    current.header.push(line);
  }
  return blocks.map((block) => ({ ...parseHeader(block.header.join('\n')), frames: block.frames }));
}
