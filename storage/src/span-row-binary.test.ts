import type { Span } from '@faultline/proto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { insertSpans, spanRow } from './spans-writer.ts';
import { sql } from './sql.ts';
import { makeSpan } from './testing/make-span.ts';
import { openTempDatabase } from './testing/temp-database.ts';

let db: Database;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ db, cleanup } = await openTempDatabase()));
afterAll(() => cleanup());

const now = BigInt(Date.now()) * 1_000_000n;
const trace = '5b8efff798038103d269b633813fc60c';
/** A time of today whose low bytes are newlines. (Times before the retention would be dropped by the TTL.) */
const newlines = (now & ~0xffffffn) | 0x0a0a0an;

/** Spans that take every branch of the encoder: long and multi-byte text, big maps, odd times, typed values. */
function awkwardSpans(): Span[] {
  const many: Record<string, string> = {};
  for (let i = 0; i < 200; i++) many[`k${i}`] = `v${i}`;
  const typed = { n: 42, big: 2n ** 63n - 1n, d: 1.5, b: true, raw: new Uint8Array([0, 10, 10, 255]), list: [1, 'a'], obj: { x: null }, none: null };
  return [
    makeSpan({ spanId: '0000000000000001', traceId: trace, name: 'ünïcödé 🚀 名前', attributes: { 'emoji.🚀': '✓'.repeat(60), blank: '' } }),
    makeSpan({ spanId: '0000000000000002', traceId: trace, parentSpanId: '0000000000000001', attributes: { long: 'x'.repeat(200), longer: 'é'.repeat(9000) } }),
    makeSpan({ spanId: '0000000000000003', traceId: trace, attributes: many, statusCode: 2, statusMessage: 'boom\n\nline' }),
    makeSpan({ spanId: '0000000000000004', traceId: trace, attributes: typed, kind: 9 as Span['kind'], statusCode: 7 as Span['statusCode'] }),
    // Newline bytes inside the binary payload (what chDB's in-memory entry mishandled).
    makeSpan({ spanId: '0000000000000005', traceId: trace, startTimeUnixNano: newlines, endTimeUnixNano: newlines + 0x0a0an }),
    makeSpan({ spanId: '0000000000000006', traceId: trace, startTimeUnixNano: now, endTimeUnixNano: now - 10n }),
    makeSpan({ spanId: '0000000000000007', traceId: trace, startTimeUnixNano: now, endTimeUnixNano: 2n ** 63n + 5n }),
    makeSpan({
      spanId: '0000000000000008',
      traceId: trace,
      events: [
        { timeUnixNano: now, name: 'exception', attributes: { 'exception.message': 'bad\n\n', 'exception.stacktrace': 'at f (a.js:1:2)\n'.repeat(20) }, droppedAttributesCount: 0 },
        { timeUnixNano: now + 1n, name: 'retry', attributes: { attempt: 2 }, droppedAttributesCount: 0 },
      ],
      links: [{ traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), traceState: 'k=v', attributes: { why: 'batch', n: 3 }, droppedAttributesCount: 0 }],
      resource: { 'service.name': 'checkout', 'service.version': '1.2.3', 'host.cpus': 8 },
      scope: { name: 'manual', version: '0.1', attributes: {} },
    }),
  ];
}

async function rowsOf(projectId: number): Promise<unknown[]> {
  // InsertedAt is the arrival second (migration 0022): the two inserts may fall in different seconds.
  return db.query(sql`SELECT * EXCEPT (ProjectId, InsertedAt) FROM ${db.table('spans')} WHERE ProjectId = ${projectId} ORDER BY SpanId`);
}

test('RowBinary spans are stored exactly as the JSON rows of the same spans', async () => {
  expect(db.insertRowBinary).not.toBeNull();
  const spans = awkwardSpans();
  await insertSpans(db, spans.map((span) => ({ projectId: 1, span })));
  await db.insert('spans', spans.map((span) => spanRow(2, span)));
  const binary = await rowsOf(1);
  expect(binary).toHaveLength(spans.length);
  expect(binary).toEqual(await rowsOf(2));
  const first = binary[0] as { SpanName: string; SpanAttributes: Record<string, string> };
  expect(first.SpanName).toBe('ünïcödé 🚀 名前');
  expect(first.SpanAttributes['emoji.🚀']).toBe('✓'.repeat(60));
});

test('the views on spans see binary inserts as they see JSON ones', async () => {
  const [index] = await db.query<{ a: string; b: string }>(
    sql`SELECT toString(minIf(Start, ProjectId = 1)) AS a, toString(minIf(Start, ProjectId = 2)) AS b FROM ${db.table('trace_index')}`,
  );
  expect(index?.a).toBe(index?.b);
  const calls = await db.query<{ p: number; calls: string }>(
    sql`SELECT ProjectId AS p, toString(sum(Calls)) AS calls FROM ${db.rollup('span_metrics_1m')} GROUP BY p ORDER BY p`,
  );
  expect(calls).toEqual([
    { p: 1, calls: '8' },
    { p: 2, calls: '8' },
  ]);
});

test('a large batch and a large project id go through', async () => {
  const spans = Array.from({ length: 5000 }, (_, i) =>
    makeSpan({ traceId: (i + 1).toString(16).padStart(32, '0'), spanId: (i + 1).toString(16).padStart(16, '0'), attributes: { i: i, 'http.route': `/r/${i % 7}` } }),
  );
  await insertSpans(db, spans.map((span) => ({ projectId: 4_000_000_000, span })));
  const [row] = await db.query<{ n: string }>(sql`SELECT toString(count()) AS n FROM ${db.table('spans')} WHERE ProjectId = ${4_000_000_000}`);
  expect(row?.n).toBe('5000');
});
