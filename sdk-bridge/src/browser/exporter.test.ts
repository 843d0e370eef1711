import { describe, expect, test } from 'vitest';
import { createExporter } from './exporter.ts';
import { endSpan, startSpan, type SpanRecord } from './tracer.ts';

interface Call {
  url: string;
  init: RequestInit;
}

function setup(fail?: (init: RequestInit) => boolean, overrides: { delayMs?: number; maxBatch?: number; maxQueue?: number } = {}) {
  const calls: Call[] = [];
  const fakeFetch = ((url: string, init: RequestInit) => {
    calls.push({ url, init });
    return fail?.(init) ? Promise.reject(new TypeError('quota')) : Promise.resolve(new Response(null, { status: 200 }));
  }) as typeof fetch;
  const exporter = createExporter({
    url: 'http://collector/v1/traces',
    key: 'k1',
    resource: { 'service.name': 'web' },
    scope: { name: 'sdk', version: '1' },
    fetch: fakeFetch,
    delayMs: overrides.delayMs ?? 20,
    maxBatch: overrides.maxBatch ?? 3,
    maxQueue: overrides.maxQueue ?? 100,
  });
  return { calls, exporter };
}

function span(name = 's', attrs: Record<string, string> = {}): SpanRecord {
  const s = startSpan(name, { parent: null, attributes: attrs });
  endSpan(s);
  return s;
}

const spansIn = (call: Call | undefined): number =>
  (JSON.parse(String(call?.init.body)) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> }).resourceSpans[0]!
    .scopeSpans[0]!.spans.length;

describe('browser exporter', () => {
  test('a full batch goes at once, a partial one after the delay, with the key and keepalive', async () => {
    const { calls, exporter } = setup();
    for (let i = 0; i < 4; i++) exporter.enqueue(span());
    expect(calls).toHaveLength(1);
    expect(spansIn(calls[0])).toBe(3);
    expect(calls[0]?.init).toMatchObject({
      method: 'POST',
      keepalive: true,
      headers: { authorization: 'Bearer k1', 'content-type': 'application/json' },
    });
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toHaveLength(2);
    expect(spansIn(calls[1])).toBe(1);
  });

  test('unloading sends everything, splitting bodies too large for keepalive', async () => {
    const { calls, exporter } = setup(undefined, { maxBatch: 50, delayMs: 60_000 });
    for (let i = 0; i < 10; i++) exporter.enqueue(span('big', { blob: 'x'.repeat(10_000) }));
    await exporter.flush(true);
    expect(calls.reduce((n, c) => n + spansIn(c), 0)).toBe(10);
    expect(calls.every((c) => c.init.keepalive === true && String(c.init.body).length <= 60_000)).toBe(true);
  });

  test('a keepalive request refused while the page stays open is retried once without keepalive', async () => {
    const { calls, exporter } = setup((init) => init.keepalive === true, { maxBatch: 1 });
    exporter.enqueue(span());
    await exporter.flush();
    expect(calls.map((c) => c.init.keepalive)).toEqual([true, false]);
  });

  test('a full queue drops new spans and counts them', () => {
    const { exporter } = setup(undefined, { maxBatch: 1000, maxQueue: 2, delayMs: 60_000 });
    for (let i = 0; i < 5; i++) exporter.enqueue(span());
    expect(exporter.dropped()).toBe(3);
  });
});
