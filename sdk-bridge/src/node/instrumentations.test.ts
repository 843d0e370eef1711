import { INVALID_SPAN_CONTEXT, isSpanContextValid, trace } from '@opentelemetry/api';
import { UndiciInstrumentation, type UndiciRequest as UpstreamRequest } from '@opentelemetry/instrumentation-undici';
import { afterEach, describe, expect, test } from 'vitest';
import { chooseInstrumentations, HTTP_INSTRUMENTATION, UNDICI_INSTRUMENTATION } from './instrumentations.ts';
import { loadOtel, type Instrumentation } from './otel.ts';
import { undiciHooks, type UndiciRequest } from './undici-hooks.ts';

const otel = loadOtel(import.meta.url);
let created: Instrumentation[] = [];
afterEach(() => {
  // Constructing an instrumentation enables it (patches, channel subscriptions): undo that for the next test.
  for (const i of created) i.disable();
  created = [];
});

function choose(choice: Parameters<typeof chooseInstrumentations>[0]): Instrumentation[] {
  created = chooseInstrumentations(choice, otel, {});
  return created;
}

const span = (spanContext = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }) => trace.wrapSpanContext(spanContext);

describe('chooseInstrumentations', () => {
  test('by default: node:http/https and the global fetch (undici)', () => {
    expect(choose(undefined).map((i) => i.instrumentationName)).toEqual([HTTP_INSTRUMENTATION, UNDICI_INSTRUMENTATION]);
    expect(choose('none')).toEqual([]);
  });

  test("a list keeps the application's own UndiciInstrumentation and runs its requestHook before the bridge's", () => {
    const calls: string[] = [];
    const own = new UndiciInstrumentation({ requestHook: () => calls.push('theirs') });
    const chosen = choose([own]);
    expect(chosen.map((i) => i.instrumentationName)).toEqual([HTTP_INSTRUMENTATION, UNDICI_INSTRUMENTATION]);
    expect(chosen[1]).toBe(own);
    const request = { headers: ['traceparent', 'by hand', 'accept', '*/*'] } as unknown as UpstreamRequest;
    own.getConfig().requestHook?.(span(), request);
    expect(calls).toEqual(['theirs']);
    expect(request.headers).toEqual(['accept', '*/*']);
  });
});

describe('undiciHooks', () => {
  const { requestHook } = undiciHooks(isSpanContextValid);

  test('drops hand-written trace headers (any case) when the instrumentation is about to inject its own', () => {
    const request: UndiciRequest = { headers: ['TraceParent', 'x', 'tracestate', 'y', 'x-id', ['1', '2']] };
    requestHook?.(span(), request);
    expect(request.headers).toEqual(['x-id', ['1', '2']]);
    const v5: UndiciRequest = { headers: 'traceparent: x\r\nx-id: 1\r\n' };
    requestHook?.(span(), v5);
    expect(v5.headers).toBe('x-id: 1\r\n');
  });

  test('keeps them when nothing will be injected (tracing suppressed, no parent required)', () => {
    const request: UndiciRequest = { headers: ['traceparent', 'x'] };
    requestHook?.(span(INVALID_SPAN_CONTEXT), request);
    expect(request.headers).toEqual(['traceparent', 'x']);
  });
});
