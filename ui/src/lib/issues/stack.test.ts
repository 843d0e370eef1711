import { describe, expect, test } from 'vitest';
import type { ApiExceptionValue, ApiFrame } from '../api/types.ts';
import { normalizeFrame } from './normalize.ts';
import { exceptionLabels, expandedFrames, frameFunction, frameLocation, mechanismText, orderChain, sourceLines } from './stack.ts';

const frame = (p: Partial<ApiFrame>): ApiFrame => normalizeFrame(p);
const exc = (type: string, frames: ApiFrame[]): ApiExceptionValue => ({
  type,
  value: '',
  module: '',
  mechanism: null,
  stacktrace: { frames },
});

describe('stack presentation', () => {
  const lib = frame({ function: 'lib', inApp: false });
  const handler = frame({ function: 'handler', inApp: true });
  const crash = frame({ function: 'crash', inApp: true });

  test('newest first reverses exceptions and frames, keeping wire indices', () => {
    const chain = orderChain([exc('Cause', [lib, crash]), exc('Outer', [lib, handler])], true);
    expect(chain.map((e) => e.exception.type)).toEqual(['Outer', 'Cause']);
    expect(chain[0]?.outermost).toBe(true);
    expect(chain[0]?.frames.map((f) => [f.frame.function, f.index])).toEqual([
      ['handler', 1],
      ['lib', 0],
    ]);
    const oldest = orderChain([exc('Cause', [lib, crash]), exc('Outer', [lib, handler])], false);
    expect(oldest.map((e) => e.exception.type)).toEqual(['Cause', 'Outer']);
    expect(oldest[0]?.frames.map((f) => f.frame.function)).toEqual(['lib', 'crash']);
  });

  test('in-app frames open by default, else the newest frame', () => {
    expect(expandedFrames([lib, handler, crash])).toEqual([false, true, true]);
    expect(expandedFrames([lib, lib])).toEqual([false, true]);
    expect(expandedFrames([])).toEqual([]);
  });

  test('source lines are numbered around the crash line', () => {
    const f = frame({ lineno: 10, contextLine: 'boom()', preContext: ['a', 'b'], postContext: ['c'] });
    expect(sourceLines(f)).toEqual([
      { lineno: 8, code: 'a', current: false },
      { lineno: 9, code: 'b', current: false },
      { lineno: 10, code: 'boom()', current: true },
      { lineno: 11, code: 'c', current: false },
    ]);
    expect(sourceLines(frame({ lineno: 3 }))).toEqual([]);
    expect(sourceLines(frame({ contextLine: 'x' }))).toEqual([{ lineno: null, code: 'x', current: true }]);
  });

  test('labels', () => {
    expect(frameFunction(frame({}))).toBe('<anonymous>');
    expect(frameLocation(frame({ filename: 'pay.js', lineno: 42, colno: 13 }))).toBe('pay.js:42:13');
    expect(frameLocation(frame({ absPath: '/srv/a.js', lineno: 4 }))).toBe('/srv/a.js:4');
    expect(frameLocation(frame({}))).toBe('<unknown>');
    expect(mechanismText({ type: 'onerror', handled: false })).toBe('onerror · unhandled');
    expect(mechanismText(null)).toBe('');
    expect(mechanismText('x')).toBe('');
  });

  test('a lone exception without a type is a message (captureMessage with a stack trace); otherwise an exception', () => {
    const v = (type: string) => ({ type, value: 'x', module: '', mechanism: null, stacktrace: { frames: [] } }) as unknown as ApiExceptionValue;
    const message = exceptionLabels([v('')]);
    expect([message.heading, message.typeOf(v(''))]).toEqual(['Message', 'Message']);
    const chain = exceptionLabels([v(''), v('TypeError')]);
    expect([chain.heading, chain.typeOf(v('')), chain.typeOf(v('TypeError'))]).toEqual(['Exception chain (2)', 'Error', 'TypeError']);
    expect(exceptionLabels([v('RangeError')]).heading).toBe('Exception');
  });
});
