import { describe, expect, test } from 'vitest';
import * as traces from './fixtures/traces.ts';
import { parseStackTrace } from './stacktrace.ts';

/** Which parser read the text, told apart by what only that parser produces. */
function shape(text: string, language?: string): string {
  const chain = parseStackTrace(text, { language });
  return chain.map((e) => `${e.type}/${e.frames.length}`).join(' <- ');
}

describe('format detection', () => {
  test.each([
    ['node', traces.nodeTrace(), undefined, 'TypeError/8'],
    ['chrome', traces.chromeTrace(), 'webjs', 'TypeError/3'],
    ['firefox', traces.firefoxTrace(), 'webjs', '/4'],
    ['safari', traces.safariTrace(), undefined, '/3'],
    ['python', traces.pythonTrace(), undefined, 'shop.orders.OrderError/3'],
    ['java', traces.javaTrace(), undefined, 'java.sql.SQLTransientConnectionException/12 <- java.lang.IllegalStateException/9'],
    ['go', traces.goPanicTrace(), undefined, 'runtime.Error/5'],
    ['dotnet', traces.dotnetTrace(), undefined, 'Npgsql.PostgresException/2 <- System.InvalidOperationException/5'],
  ])('%s without a wrong hint', (_name, text, language, expected) => {
    expect(shape(text, language)).toBe(expected);
  });

  test('the text beats a wrong language hint', () => {
    expect(shape(traces.pythonTrace(), 'nodejs')).toBe('shop.orders.OrderError/3');
    expect(shape(traces.javaTrace(), 'go')).toBe(shape(traces.javaTrace()));
  });

  test('Windows line endings', () => {
    expect(shape(traces.pythonTrace().replaceAll('\n', '\r\n'))).toBe('shop.orders.OrderError/3');
    expect(shape(traces.javaTrace().replaceAll('\n', '\r\n'))).toBe(shape(traces.javaTrace()));
  });
});

describe('unknown and degenerate input', () => {
  test('unknown format → first line as the value, no frames', () => {
    expect(parseStackTrace('\n  something odd happened  \nsecond line\n')).toEqual([
      { type: '', value: 'something odd happened', frames: [] },
    ]);
    expect(parseStackTrace('Error: no frames at all')).toEqual([{ type: '', value: 'Error: no frames at all', frames: [] }]);
  });

  test('blank input → no exceptions', () => {
    expect(parseStackTrace('')).toEqual([]);
    expect(parseStackTrace(' \n\t ')).toEqual([]);
  });

  test('never throws, stays fast on hostile input', () => {
    const hostile = [
      'at '.repeat(20_000),
      `${'a$'.repeat(10_000)}!`,
      `Traceback (most recent call last):\n${'  File "x.py", line 1, in f\n'.repeat(20_000)}`,
      `goroutine 1 [running]:\n${'main.f(\n'.repeat(10_000)}`,
      `${'('.repeat(10_000)}\n    at ${')'.repeat(10_000)}`,
      `x@${':1'.repeat(10_000)}`,
      `   at f(${'a ) in '.repeat(5_000)}`,
      `   at f(${'Int32 a, '.repeat(5_000)}`,
      `Error: x\n    at ${'f (a:1:1) '.repeat(5_000)}`,
      '\u0000\uffff\ud800',
    ];
    const started = performance.now();
    for (const text of hostile) expect(() => parseStackTrace(text)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('frames beyond the line limit are ignored', () => {
    const text = `Error: deep\n${'    at f (/srv/app/a.js:1:1)\n'.repeat(6000)}`;
    expect(parseStackTrace(text)[0]?.frames).toHaveLength(4999);
  });
});
