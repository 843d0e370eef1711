/** The `exception` interface of a Sentry event: chained exceptions with their stack frames. */
import type { ExceptionValue, StackFrame } from '../model.ts';
import { type Obj, isObject, objectOr, str } from './values.ts';

/** Paths of installed dependencies and vendored code, across the languages Sentry SDKs cover. */
const DEPENDENCY_PATH =
  /[/\\](?:node_modules|site-packages|dist-packages|vendor|bower_components)[/\\]|[/\\]lib[/\\]python\d(?:\.\d+)?[/\\]/;

/** JS runtime internals: Node core modules, native code, browser extensions. */
const RUNTIME_PATH = /^(?:node:|internal[/\\]|native$|\[native code\]$|<anonymous>$|(?:chrome|moz|safari(?:-web)?)-extension:)/;

/** JVM and Android runtime classes; Java frames carry a class in `module` and a bare file name. */
const JVM_RUNTIME_MODULE = /^(?:java|javax|jdk|sun|com\.sun|kotlin|kotlinx|android|androidx|dalvik)\./;

/**
 * Used only when the SDK did not say. Grouping prefers in-app frames, so dependencies and runtime
 * internals are marked as such only on clear evidence; anything else counts as application code.
 */
export function guessInApp(path: string, module: string, platform: string): boolean {
  if (path === '') return false;
  if (DEPENDENCY_PATH.test(path) || RUNTIME_PATH.test(path)) return false;
  if (JVM_RUNTIME_MODULE.test(module)) return false;
  // Node before v16 named core modules without a directory (`events.js`); real scripts always have one.
  if ((platform === 'node' || platform === 'javascript') && !/[/\\]/.test(path)) return false;
  return true;
}

function lineNumber(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map((line) => str(line)) : undefined;
}

function readFrame(f: Obj, platform: string): StackFrame {
  const filename = str(f.filename);
  const absPath = str(f.abs_path);
  const module = str(f.module);
  const frame: StackFrame = {
    filename: filename || absPath,
    absPath,
    function: str(f.function),
    module,
    lineno: lineNumber(f.lineno),
    colno: lineNumber(f.colno),
    inApp: typeof f.in_app === 'boolean' ? f.in_app : guessInApp(absPath || filename, module, str(f.platform) || platform),
  };
  if (typeof f.context_line === 'string') frame.contextLine = f.context_line;
  const pre = stringList(f.pre_context);
  if (pre !== undefined) frame.preContext = pre;
  const post = stringList(f.post_context);
  if (post !== undefined) frame.postContext = post;
  return frame;
}

/** Frames of a Sentry stacktrace, already oldest call first. */
export function readFrames(stacktrace: unknown, platform: string): StackFrame[] {
  const frames = objectOr(stacktrace).frames;
  if (!Array.isArray(frames)) return [];
  return frames.filter(isObject).map((f) => readFrame(f, platform));
}

/** A non-string `value` (some SDKs send the thrown object) is kept as JSON text. */
function exceptionText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  return str(v) || JSON.stringify(v);
}

function readException(e: Obj, platform: string): ExceptionValue {
  const exception: ExceptionValue = {
    type: str(e.type),
    value: exceptionText(e.value),
    module: str(e.module),
    frames: readFrames(e.stacktrace, platform),
  };
  if (isObject(e.mechanism)) {
    const mechanism: { type: string; handled?: boolean } = { type: str(e.mechanism.type) || 'generic' };
    if (typeof e.mechanism.handled === 'boolean') mechanism.handled = e.mechanism.handled;
    exception.mechanism = mechanism;
  }
  return exception;
}

/**
 * `exception` as `{values: [...]}` or a bare array. Sentry already lists the cause first and the
 * exception that was caught last, the model's order, so the order is kept.
 */
export function readExceptions(v: unknown, platform: string): ExceptionValue[] {
  const values = Array.isArray(v) ? v : objectOr(v).values;
  if (!Array.isArray(values)) return [];
  return values
    .filter(isObject)
    .map((e) => readException(e, platform))
    .filter((e) => e.type !== '' || e.value !== '' || e.frames.length > 0);
}
