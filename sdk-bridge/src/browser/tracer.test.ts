import { afterEach, describe, expect, test } from 'vitest';
import { activateForTask, activeSpan, endSpan, hold, release, setSpanSink, startSpan, type SpanRecord } from './tracer.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));
const ended: SpanRecord[] = [];
setSpanSink((span) => ended.push(span));
afterEach(() => {
  ended.length = 0;
});

describe('browser tracer', () => {
  test('children share the trace and point at their parent', () => {
    const root = startSpan('click', { parent: null });
    const child = startSpan('GET', { parent: root });
    expect(child.traceId).toBe(root.traceId);
    expect(child.parentSpanId).toBe(root.spanId);
    expect(root.parentSpanId).toBe('');
    const remote = startSpan('documentLoad', { parent: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceState: 'k=v' } });
    expect(remote).toMatchObject({ traceId: 'a'.repeat(32), parentSpanId: 'b'.repeat(16), traceState: 'k=v' });
  });

  test('an activation lasts until the next task, including microtasks, and nested ones do not leak', async () => {
    const click = startSpan('click', { parent: null });
    activateForTask(click);
    const route = startSpan('routeChange');
    expect(route.parentSpanId).toBe(click.spanId);
    activateForTask(route);
    expect(activeSpan()).toBe(route);
    await Promise.resolve();
    expect(activeSpan()).toBe(route);
    await tick();
    expect(activeSpan()).toBeNull();
  });

  test('a held span ends when the last hold is released, not before', async () => {
    const click = startSpan('click', { parent: null });
    hold(click);
    endSpan(click);
    expect(click.ended).toBe(false);
    activateForTask(click);
    release(click);
    expect(click.ended).toBe(false);
    await tick();
    expect(click.ended).toBe(true);
    expect(ended).toEqual([click]);
    expect(click.end).toBeGreaterThanOrEqual(click.start);
  });
});
