import { ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { describe, expect, test } from 'vitest';
import { BreadcrumbScopes } from './breadcrumb-scopes.ts';
import type { ProcessedSpan } from './otel.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const [INTERNAL, SERVER, CLIENT] = [0, 1, 2];

/** A span as the SDK hands it to processors, and the context in which it is active. */
function span(spanId: string, kind: number): ProcessedSpan & { context: Context } {
  const spanContext = { traceId: TRACE, spanId, traceFlags: 1 };
  return { kind, spanContext: () => spanContext, context: trace.setSpanContext(ROOT_CONTEXT, spanContext) };
}

/** Scopes following a hand-moved "active context", as the SDK's context manager would move it. */
function setup(capacity = 100) {
  let active: Context = ROOT_CONTEXT;
  const scopes = new BreadcrumbScopes(capacity);
  scopes.attach({ trace, context: { active: () => active } as never });
  const within = <T>(ctx: Context, fn: () => T): T => {
    const previous = active;
    active = ctx;
    try {
      return fn();
    } finally {
      active = previous;
    }
  };
  const messages = (ctx: Context) => within(ctx, () => scopes.list().map((c) => c.message));
  return { scopes, within, messages };
}

describe('breadcrumb scopes', () => {
  test('a server span and its descendants share a scope; other requests and the process do not see it', () => {
    const { scopes, within, messages } = setup();
    scopes.add({ message: 'boot' });
    const a = span('a000000000000001', SERVER);
    const b = span('b000000000000001', SERVER);
    scopes.processor.onStart(a, ROOT_CONTEXT);
    scopes.processor.onStart(b, ROOT_CONTEXT);
    const child = span('a000000000000002', INTERNAL);
    scopes.processor.onStart(child, a.context);
    within(a.context, () => scopes.add({ message: 'a1' }));
    within(b.context, () => scopes.add({ message: 'b1' }));
    within(child.context, () => scopes.add({ message: 'a2' }));
    scopes.add({ message: 'timer' });
    expect(messages(child.context)).toEqual(['boot', 'a1', 'a2', 'timer']);
    expect(messages(b.context)).toEqual(['boot', 'b1', 'timer']);
    expect(messages(ROOT_CONTEXT)).toEqual(['boot', 'timer']);
  });

  test('client and internal root spans record process-wide; an ended request leaves no scope behind', () => {
    const { scopes, within, messages } = setup();
    const script = span('c000000000000001', CLIENT);
    scopes.processor.onStart(script, ROOT_CONTEXT);
    within(script.context, () => scopes.add({ message: 'top-level call' }));
    const req = span('d000000000000001', SERVER);
    scopes.processor.onStart(req, ROOT_CONTEXT);
    const sink = scopes.sinkFor(trace.wrapSpanContext(req.spanContext()));
    scopes.processor.onEnd(req);
    // A hook that fires after the span ended still records into the request it belonged to.
    sink({ message: 'late response' });
    expect(messages(ROOT_CONTEXT)).toEqual(['top-level call']);
    expect(messages(req.context)).toEqual(['top-level call']);
  });

  test('a merged list keeps recording order and the newest `capacity` breadcrumbs', () => {
    const { scopes, within, messages } = setup(3);
    const req = span('e000000000000001', SERVER);
    scopes.processor.onStart(req, ROOT_CONTEXT);
    scopes.add({ message: 'p1', timestamp: 5 });
    within(req.context, () => scopes.add({ message: 'r1', timestamp: 5 }));
    scopes.add({ message: 'p2', timestamp: 5 });
    within(req.context, () => scopes.add({ message: 'r2', timestamp: 5 }));
    expect(messages(req.context)).toEqual(['r1', 'p2', 'r2']);
  });
});
