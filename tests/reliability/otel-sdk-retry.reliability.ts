/**
 * A real OpenTelemetry SDK against a rate-limited Faultline: its first exports get 429 + Retry-After, it waits as
 * told, retries, and every span arrives.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

const run = promisify(execFile);
const RATE = 50;
const CHILDREN = 300;
let fl: Faultline;

// 50 spans/s with a 2 s bucket admits 100 at once: three batches of 100 at once must be throttled.
beforeAll(async () => {
  fl = await startFaultline({ FAULTLINE_RATE_LIMIT_PER_SECOND: String(RATE) });
});
afterAll(async () => fl.stop());

/** Sum of faultline_ingest_requests_total samples with the given outcome. */
async function requestsWithOutcome(outcome: string): Promise<number> {
  const text = await (await fetch(`${fl.otlpHttp}/metrics`)).text();
  const lines = text.split('\n').filter((l) => l.startsWith('faultline_ingest_requests_total{') && l.includes(`outcome="${outcome}"`));
  return lines.reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

test('the OTLP/HTTP exporter gets 429 + Retry-After, backs off and still delivers every span', async () => {
  const app = join(import.meta.dirname, 'otel-burst-app.ts');
  const { stdout } = await run(process.execPath, [app, fl.otlpHttp, fl.key, String(CHILDREN)], { timeout: 90_000 });
  const out = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    traceId: string;
    results: Array<{ code: number; spans: number; error?: string }>;
    elapsedMs: number;
  };
  const throttled = await requestsWithOutcome('throttled');
  const accepted = await requestsWithOutcome('accepted');
  console.log(
    `[otel-retry] ${CHILDREN + 1} spans at ${RATE}/s: server answered 429 ${throttled}×, accepted ${accepted}×; exporter results ${JSON.stringify(out.results)}; app took ${out.elapsedMs} ms`,
  );

  expect(throttled, 'the exporter must have been throttled').toBeGreaterThan(0);
  expect(
    out.results.every((r) => r.code === 0),
    'every batch ends up exported',
  ).toBe(true);
  expect(out.results.reduce((n, r) => n + r.spans, 0)).toBe(CHILDREN + 1);
  // Retry-After was honoured: the last 200 spans cannot be admitted before 2 s of refill.
  expect(out.elapsedMs).toBeGreaterThanOrEqual(((CHILDREN + 1 - 2 * RATE) / RATE) * 1000 - 500);
  const spans = await eventually(async () => {
    const res = await fl.get(`/api/v1/projects/default/traces/${out.traceId}`);
    const body = res.body as { spans?: unknown[] };
    return res.status === 200 && body.spans?.length === CHILDREN + 1 ? body.spans : null;
  });
  expect(spans).toHaveLength(CHILDREN + 1);
}, 120_000);
