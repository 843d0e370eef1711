// Exception chain and stack-frame presentation. Pure: every string stays plain text and is
// rendered with `{}` interpolation only.
import type { ApiExceptionValue, ApiFrame } from '../api/types.ts';

export interface ShownFrame {
  frame: ApiFrame;
  /** Index in the wire order (oldest call first); stable key across order toggles. */
  index: number;
  expandedByDefault: boolean;
}

export interface ShownException {
  exception: ApiExceptionValue;
  /** Index in the wire order (cause first, outermost last). */
  index: number;
  /** True for the outermost (caught / reported) exception. */
  outermost: boolean;
  frames: ShownFrame[];
}

/**
 * Frames expanded by default: every in-app frame; when there is none, the newest frame so the
 * crash site is still visible.
 */
export function expandedFrames(frames: readonly ApiFrame[]): boolean[] {
  const anyInApp = frames.some((f) => f.inApp);
  return frames.map((f, i) => (anyInApp ? f.inApp : i === frames.length - 1));
}

/**
 * Exceptions and frames in display order. Newest first (the default, like Sentry): the outermost
 * exception on top and its most recent call first. Otherwise the wire order.
 */
export function orderChain(values: readonly ApiExceptionValue[], newestFirst: boolean): ShownException[] {
  const chain = values.map((exception, index) => {
    const raw = exception.stacktrace?.frames ?? [];
    const open = expandedFrames(raw);
    const frames = raw.map((frame, i) => ({ frame, index: i, expandedByDefault: open[i] ?? false }));
    if (newestFirst) frames.reverse();
    return { exception, index, outermost: index === values.length - 1, frames };
  });
  if (newestFirst) chain.reverse();
  return chain;
}

export function frameFunction(frame: ApiFrame): string {
  return frame.function || '<anonymous>';
}

/** "src/pay.js:42:13" (absPath when the short name is missing). */
export function frameLocation(frame: ApiFrame): string {
  const file = frame.filename || frame.absPath || frame.module || '<unknown>';
  if (frame.lineno === null) return file;
  return frame.colno === null ? `${file}:${frame.lineno}` : `${file}:${frame.lineno}:${frame.colno}`;
}

export interface SourceLine {
  lineno: number | null;
  code: string;
  current: boolean;
}

/** preContext / contextLine / postContext with their line numbers (when lineno is known). */
export function sourceLines(frame: ApiFrame): SourceLine[] {
  if (frame.contextLine === null && frame.preContext.length === 0 && frame.postContext.length === 0) return [];
  const at = frame.lineno;
  const num = (offset: number): number | null => (at === null ? null : at + offset);
  const lines: SourceLine[] = frame.preContext.map((code, i) => ({
    lineno: num(i - frame.preContext.length),
    code,
    current: false,
  }));
  if (frame.contextLine !== null) lines.push({ lineno: at, code: frame.contextLine, current: true });
  frame.postContext.forEach((code, i) => lines.push({ lineno: num(i + 1), code, current: false }));
  return lines;
}

/** "onunhandledrejection · unhandled" from a Sentry-style mechanism object; '' if none. */
export function mechanismText(mechanism: unknown): string {
  if (!mechanism || typeof mechanism !== 'object' || Array.isArray(mechanism)) return '';
  const m = mechanism as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof m.type === 'string' && m.type) parts.push(m.type);
  if (m.handled === false) parts.push('unhandled');
  else if (m.handled === true) parts.push('handled');
  return parts.join(' · ');
}

/**
 * The panel's heading and an exception's label. A Sentry message sent with its stack trace (captureMessage with
 * attachStacktrace) is one exception without a type: it is a message, not an "Error".
 */
export function exceptionLabels(values: readonly ApiExceptionValue[]): { heading: string; typeOf: (v: ApiExceptionValue) => string } {
  const message = values.length === 1 && !values[0]?.type;
  return {
    heading: message ? 'Message' : values.length > 1 ? `Exception chain (${values.length})` : 'Exception',
    typeOf: (v) => v.type || (message ? 'Message' : 'Error'),
  };
}
