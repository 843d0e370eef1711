/**
 * Requests the decoder accepts but storage cannot insert (found by fuzzing, fixed): clamped times, partitions, surrogates.
 * The whole group-commit insert fails, so the request gets a retryable 503 forever (an SDK retries it forever), and
 * every innocent request that shares its batch fails with it. Expected: stored (clamped / partitioned safely), or
 * refused with a 4xx — never a retryable 503. The fuzz test's oracle (tests/fuzz/oracle.ts) tolerates exactly these.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFaultline, type Faultline } from '../harness.ts';

let fl: Faultline;
// A long group-commit window, so that concurrent requests surely share one insert.
beforeAll(async () => {
  fl = await startFaultline({ FAULTLINE_BATCH_MAX_DELAY_MS: '300' });
});
afterAll(async () => fl.stop());

const NOW = BigInt(Date.now()) * 1_000_000n;
const DAY = 86_400_000_000_000n;
const FAR_FUTURE = '18000000000000000000'; // 2540: beyond DateTime64(9), which ends 2262-04-11
let nextSpan = 1;

function span(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const spanId = (nextSpan++).toString(16).padStart(16, '0');
  return {
    traceId: 'c0ffee'.padEnd(32, '1'),
    spanId,
    name: 'op',
    startTimeUnixNano: String(NOW),
    endTimeUnixNano: String(NOW + 1000n),
    ...extra,
  };
}

const traces = (spans: unknown[]) =>
  JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'poison' } }] }, scopeSpans: [{ spans }] }],
  });
const logs = (record: Record<string, unknown>) =>
  JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' }, ...record }] }] }] });

async function post(path: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${fl.otlpHttp}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${fl.key}` },
    body,
  });
  return { status: res.status, text: await res.text() };
}

// JSON text escapes, so that the request carries lone UTF-16 surrogates (JSON.stringify would re-escape them anyway).
const LONE_SURROGATE_NAME = traces([span()]).replace('"name":"op"', '"name":"op\\ud800"');
const LONE_SURROGATE_KEY = traces([span({ attributes: [{ key: 'k', value: { stringValue: 'v' } }] })]).replace(
  '"key":"k"',
  '"key":"k\\ud800"',
);

const POISON: Array<[string, '/v1/traces' | '/v1/logs', string]> = [
  // storage/src/database.ts insert: max_partitions_per_insert_block (100) with PARTITION BY toDate(Timestamp).
  [
    'spans on 150 distinct days in one request',
    '/v1/traces',
    traces(
      Array.from({ length: 150 }, (_, i) =>
        span({ startTimeUnixNano: String(NOW - BigInt(i) * DAY), endTimeUnixNano: String(NOW - BigInt(i) * DAY + 1n) }),
      ),
    ),
  ],
  // storage/src/time.ts MAX_SECONDS (2286) is past the end of DateTime64(9) (2262).
  ['span start after 2262', '/v1/traces', traces([span({ startTimeUnixNano: FAR_FUTURE, endTimeUnixNano: FAR_FUTURE })])],
  ['span end after 2262 (start now)', '/v1/traces', traces([span({ endTimeUnixNano: FAR_FUTURE })])],
  ['span event after 2262', '/v1/traces', traces([span({ events: [{ timeUnixNano: FAR_FUTURE, name: 'e' }] })])],
  ['log record after 2262', '/v1/logs', logs({ timeUnixNano: FAR_FUTURE })],
  // proto/src/codec-json.ts keeps lone surrogates; ClickHouse's JSONEachRow refuses the re-escaped text.
  ['lone surrogate in a span name', '/v1/traces', LONE_SURROGATE_NAME],
  ['lone surrogate in an attribute key', '/v1/traces', LONE_SURROGATE_KEY],
];

describe('requests storage cannot insert', () => {
  test.each(POISON)('%s: stored or refused with a 4xx, never a retryable 503', async (_name, path, body) => {
    const r = await post(path, body);
    expect(r.status, r.text.slice(0, 300)).not.toBe(503);
    expect(r.status).toBeLessThan(500);
  });

  test('an innocent request that shares a batch with a poison one is still acknowledged', async () => {
    const [poison, innocent] = await Promise.all([post('/v1/traces', POISON[1]![2]), post('/v1/traces', traces([span()]))]);
    console.log(`[poison] poison → ${poison.status}, innocent neighbour → ${innocent.status} ${innocent.text.slice(0, 160)}`);
    expect(innocent.status).toBe(200);
  });
});
