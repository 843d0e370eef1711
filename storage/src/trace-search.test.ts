import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { spanRow } from './spans-writer.ts';
import { sql } from './sql.ts';
import { countingDatabase } from './testing/counting-database.ts';
import { makeSpan } from './testing/make-span.ts';
import { openTempDatabase } from './testing/temp-database.ts';
import { searchTraces as searchPage, type TraceQuery } from './trace-search.ts';
import { newestFirstSlices } from './trace-slices.ts';

const H = 3_600_000_000_000n;

describe('newestFirstSlices', () => {
  test('cuts at the newest hour and five hours before it, newest first, covering the window exactly', () => {
    const start = 100n * H + 1234n;
    const end = 130n * H + 5n;
    expect(newestFirstSlices(start, end)).toEqual([
      [130n * H, end],
      [125n * H, 130n * H - 1n],
      [start, 125n * H - 1n],
    ]);
  });

  test('a window inside one hour, or ending on an hour boundary, is one slice', () => {
    expect(newestFirstSlices(10n * H + 1n, 10n * H + 99n)).toEqual([[10n * H + 1n, 10n * H + 99n]]);
    expect(newestFirstSlices(10n * H, 11n * H)).toEqual([[10n * H, 11n * H]]);
  });

  test('an hour-long unaligned window is two slices; a point is one', () => {
    expect(newestFirstSlices(10n * H + 7n, 11n * H + 7n)).toEqual([
      [11n * H, 11n * H + 7n],
      [10n * H + 7n, 11n * H - 1n],
    ]);
    expect(newestFirstSlices(5n, 5n)).toEqual([[5n, 5n]]);
  });
});

let db: Database;
let cleanup: () => Promise<void>;
const now = BigInt(Date.now()) * 1_000_000n;

beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
});
afterAll(async () => cleanup());

/** Every trace id a search finds, page by page through its cursor. */
async function allPages(q: TraceQuery, on: Database = db): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await searchPage(on, { ...q, cursor });
    seen.push(...page.traces.map((t) => t.traceId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return seen;
}

describe('search paging', () => {
  test('search by start pages by the latest matching span; the top-N first page and the grouped later pages agree', async () => {
    // Trace t has t+1 spans of 'pager' ending at a different time each; trace 9 has 12 spans, the newest of all,
    // more than the first page's top-N read holds for one trace (the grouped query takes over).
    const rows = [];
    const latest = new Map<string, bigint>();
    for (const t of [0, 1, 2, 3, 4, 9]) {
      const traceId = `b${String(t).repeat(31)}`;
      const count = t === 9 ? 12 : t + 1;
      for (let i = 0; i < count; i++) {
        const start = now - BigInt((10 - t) * 1_000 + (t === 9 ? 0 : i * 1_500)) * 1_000_000n + BigInt(i);
        latest.set(traceId, (latest.get(traceId) ?? 0n) > start ? (latest.get(traceId) ?? 0n) : start);
        rows.push(
          spanRow(
            1,
            makeSpan({
              traceId,
              spanId: `${t}${String(i).padStart(15, '0')}`,
              serviceName: 'pager',
              startTimeUnixNano: start,
              endTimeUnixNano: start + 1_000n,
            }),
          ),
        );
      }
    }
    await db.insert('spans', rows);
    const expected = [...latest.entries()]
      .sort((a, b) => (a[1] === b[1] ? b[0].localeCompare(a[0]) : a[1] > b[1] ? -1 : 1))
      .map(([id]) => id);
    const query: TraceQuery = {
      projectId: 1,
      startNs: now - 60_000_000_000n,
      endNs: now + 1_000_000n,
      service: 'pager',
      attributes: [],
      limit: 1,
    };
    for (const limit of [1, 2, 4, 10]) {
      expect(await allPages({ ...query, limit }), `limit ${limit}`).toEqual(expected);
    }
  });

  test('the first page read slice by slice (newest hour, five hours, the rest) equals the whole-window order', async () => {
    // 16 traces of 2 spans, 35 minutes apart: a 10 h window spans three slices and most hours hold one or two.
    const rows = [];
    const ids: string[] = [];
    for (let t = 0; t < 16; t++) {
      const traceId = `e${String(t).padStart(31, '0')}`;
      ids.push(traceId);
      const at = now - BigInt(t * 35 * 60) * 1_000_000_000n;
      for (let s = 0; s < 2; s++) {
        rows.push(
          spanRow(
            1,
            makeSpan({
              traceId,
              spanId: `e${t}${s}`.padEnd(16, '0'),
              serviceName: 'sliced',
              startTimeUnixNano: at - BigInt(s),
              endTimeUnixNano: at + 1_000n,
            }),
          ),
        );
      }
    }
    await db.insert('spans', rows);
    for (const limit of [1, 2, 3, 20]) {
      expect(
        await allPages({
          projectId: 1,
          startNs: now - 10n * 3_600_000_000_000n,
          endNs: now + 1_000_000n,
          service: 'sliced',
          attributes: [],
          limit,
        }),
        `limit ${limit}`,
      ).toEqual(ids);
    }
  });

  test('traces whose latest spans share one instant are ordered by trace id, also where the top-N read cuts them', async () => {
    // 40 traces with one span each at the same nanosecond: the first page's top-N read (4 × (limit + 1) rows)
    // holds an arbitrary subset of them, so the order must come from the trace ids, not from that subset.
    const at = now - 5_000_000_000n;
    const ids = Array.from({ length: 40 }, (_, i) => `c${(i * 7919).toString(16).padStart(31, '0')}`);
    await db.insert(
      'spans',
      ids.map((traceId, i) =>
        spanRow(
          1,
          makeSpan({
            traceId,
            spanId: `9${String(i).padStart(15, '0')}`,
            serviceName: 'tied',
            startTimeUnixNano: at,
            endTimeUnixNano: at + 1_000n,
          }),
        ),
      ),
    );
    const expected = [...ids].sort().reverse();
    for (const limit of [1, 3, 39]) {
      expect(
        await allPages({
          projectId: 1,
          startNs: at - 1_000n,
          endNs: at + 1_000n,
          service: 'tied',
          attributes: [],
          limit,
        }),
        `limit ${limit}`,
      ).toEqual(expected);
    }
  });

  test('summaries count the spans of every hour a trace reaches, not only the hour of its matching span', async () => {
    const boundary = ((now - 2n * H) / H) * H;
    const crossing = 'f'.repeat(31) + '1';
    const within = 'f'.repeat(31) + '2';
    await db.insert('spans', [
      spanRow(
        1,
        makeSpan({
          traceId: crossing,
          spanId: 'f100000000000001',
          serviceName: 'edge',
          startTimeUnixNano: boundary - 1_000_000_000n,
          endTimeUnixNano: boundary + 2_000_000_000n,
        }),
      ),
      spanRow(
        1,
        makeSpan({
          traceId: crossing,
          spanId: 'f100000000000002',
          parentSpanId: 'f100000000000001',
          serviceName: 'crossing',
          startTimeUnixNano: boundary + 1_000_000_000n,
          endTimeUnixNano: boundary + 1_500_000_000n,
        }),
      ),
      spanRow(
        1,
        makeSpan({
          traceId: within,
          spanId: 'f200000000000001',
          serviceName: 'crossing',
          startTimeUnixNano: boundary + 3_000_000_000n,
          endTimeUnixNano: boundary + 4_000_000_000n,
        }),
      ),
    ]);
    const page = await searchPage(db, {
      projectId: 1,
      startNs: boundary,
      endNs: boundary + H - 1n,
      service: 'crossing',
      attributes: [],
      limit: 10,
    });
    expect(page.traces.map((t) => [t.traceId, t.spanCount, t.rootServiceName, t.startTimeUnixNano])).toEqual([
      [within, 1, 'crossing', String(boundary + 3_000_000_000n)],
      [crossing, 2, 'edge', String(boundary - 1_000_000_000n)],
    ]);
  });
  test('an unfiltered search whose traces have many spans each still pages from the newest rows, not by grouping the window', async () => {
    // 30 traces of 10 spans in project 7: the first read of 4 rows per wanted trace holds only a few traces.
    const rows = [];
    for (let t = 0; t < 30; t++) {
      for (let i = 0; i < 10; i++) {
        const start = now - BigInt(t * 1_000 + i) * 1_000_000n;
        rows.push(spanRow(7, makeSpan({ traceId: `c${String(t).padStart(31, '0')}`, spanId: `${String(t).padStart(8, '0')}${String(i).padStart(8, '0')}`, startTimeUnixNano: start, endTimeUnixNano: start + 1_000n })));
      }
    }
    await db.insert('spans', rows);
    const { db: counting, statements } = countingDatabase(db);
    const page = await searchPage(counting, { projectId: 7, startNs: now - 3_600_000_000_000n, endNs: now + 1n, attributes: [], limit: 20 });
    expect(page.traces.map((t) => t.traceId)).toEqual(Array.from({ length: 20 }, (_, t) => `c${String(t).padStart(31, '0')}`));
    expect(page.traces.every((t) => t.spanCount === 10)).toBe(true);
    expect(statements.filter((q) => q.includes('HAVING'))).toEqual([]);
    // so does a key's existence, which most spans of such traces meet
    await db.insert('spans', rows.slice(0, 100).map((r) => ({ ...r, ProjectId: 9, SpanAttributes: { tenant: 'acme' } })));
    statements.length = 0;
    const withKey = await searchPage(counting, { projectId: 9, startNs: now - 3_600_000_000_000n, endNs: now + 1n, attributes: [], hasAttributes: ['tenant'], limit: 5 });
    expect(withKey.traces.map((t) => t.traceId)).toEqual(Array.from({ length: 5 }, (_, t) => `c${String(t).padStart(31, '0')}`));
    expect(statements.filter((q) => q.includes('HAVING'))).toEqual([]);
    // and an error-only search keeps the failed traces of those rows, in the same order (every third trace failed,
    // in an older span than its latest)
    await db.insert('spans', rows.map((r, i) => ({ ...r, ProjectId: 10, StatusCode: Math.floor(i / 10) % 3 === 0 && i % 10 === 9 ? 'ERROR' : 'UNSET' })));
    statements.length = 0;
    const failed = await searchPage(counting, { projectId: 10, startNs: now - 3_600_000_000_000n, endNs: now + 1n, attributes: [], hasError: true, limit: 4 });
    expect(failed.traces.map((t) => [t.traceId, t.errorCount])).toEqual([0, 3, 6, 9].map((t) => [`c${String(t).padStart(31, '0')}`, 1]));
    expect(statements.filter((q) => q.includes('HAVING'))).toEqual([]);
  });
});

describe('attribute filters', () => {
  test('an empty value finds spans holding the key with an empty value, not spans without the key', async () => {
    const at = now - 30_000_000_000n;
    const span = (traceId: string, attributes: Record<string, string>) =>
      spanRow(7, makeSpan({ traceId, spanId: traceId.slice(0, 16), serviceName: 'empties', attributes, startTimeUnixNano: at, endTimeUnixNano: at + 1_000n }));
    await db.insert('spans', [span('e'.repeat(32), { 'note.text': '' }), span('f'.repeat(32), { other: 'x' }), span('d'.repeat(32), { 'note.text': 'hi' })]);
    const q = (value: string): TraceQuery => ({ projectId: 7, startNs: now - H, endNs: now, attributes: [{ key: 'note.text', value }], limit: 10 });
    expect((await searchPage(db, q(''))).traces.map((t) => t.traceId)).toEqual(['e'.repeat(32)]);
    expect((await searchPage(db, q('hi'))).traces.map((t) => t.traceId)).toEqual(['d'.repeat(32)]);
  });

  test('over a long window, an attribute value common in its newest hour pages from that hour alone; a rarer one is grouped; up to 2 h neither is', async () => {
    // Project 11, a window of 3.5 h across a clock hour: ten traces of each value family after the hour, ten before.
    const hour = (now / H - 5n) * H;
    const MIN = 60_000_000_000n;
    const id = (prefix: string, i: number) => `${prefix}${String(i).padStart(31, '0')}`;
    const span = (traceId: string, at: bigint, attributes: Record<string, string>) =>
      spanRow(11, makeSpan({ traceId, spanId: traceId.slice(-16), attributes, startTimeUnixNano: at, endTimeUnixNano: at + 1_000n }));
    const rows = [];
    for (let i = 0; i < 10; i++) {
      rows.push(span(id('a', i), hour + BigInt(i + 1) * MIN, { 'http.request.method': 'POST', tag: i < 2 ? 'few' : 'none' }));
      rows.push(span(id('b', i), hour - BigInt(i + 1) * MIN, { 'http.request.method': 'POST', tag: i < 3 ? 'few' : 'none', ...(i === 7 ? { 'user.id': 'u-7' } : {}) }));
    }
    await db.insert('spans', rows);
    const { db: counting, statements } = countingDatabase(db);
    const q = (key: string, value: string, limit: number): TraceQuery => ({ projectId: 11, startNs: hour - 180n * MIN, endNs: hour + 30n * MIN, attributes: [{ key, value }], limit });
    const oneHour = (key: string, value: string, limit: number): TraceQuery => ({ ...q(key, value, limit), startNs: hour - 30n * MIN });

    const common = await searchPage(counting, q('http.request.method', 'POST', 5));
    expect(common.traces.map((t) => t.traceId)).toEqual([9, 8, 7, 6, 5].map((i) => id('a', i)));
    expect(statements.filter((sql) => sql.includes('HAVING'))).toEqual([]);
    // the pages after it (grouped) continue where it stopped, into the older hour
    expect(await allPages(q('http.request.method', 'POST', 5))).toEqual([...[9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => id('a', i)), ...Array.from({ length: 10 }, (_, i) => id('b', i))]);

    // only in the older hour: the newest one holds no row of it, so the window is grouped
    statements.length = 0;
    expect((await searchPage(counting, q('user.id', 'u-7', 5))).traces.map((t) => t.traceId)).toEqual([id('b', 7)]);
    expect(statements.filter((sql) => sql.includes('HAVING'))).toHaveLength(1);
    // two traces in the newest hour cannot make a page of four: the older hour's newest fill it
    expect((await searchPage(counting, q('tag', 'few', 4))).traces.map((t) => t.traceId)).toEqual([id('a', 1), id('a', 0), id('b', 0), id('b', 1)]);
    // up to two hours the whole window is one top-N read: a common value's page and every match of a rare one,
    // neither grouped
    statements.length = 0;
    expect((await searchPage(counting, oneHour('http.request.method', 'POST', 5))).traces).toEqual(common.traces);
    expect((await searchPage(counting, oneHour('user.id', 'u-7', 5))).traces.map((t) => t.traceId)).toEqual([id('b', 7)]);
    expect(statements.filter((sql) => sql.includes('HAVING'))).toEqual([]);
  });

  test('sorted by duration with only a range: the longest traces with a span starting in it, from trace_index, paged without gaps', async () => {
    // Project 8: trace d<t> lasts t+1 seconds from a start inside the range; 'long…' began before the range and
    // lasts past its start with no span starting inside it (its index bounds overlap the range: not a match).
    const rangeStart = now - 600_000_000_000n;
    const rows = [];
    for (let t = 0; t < 12; t++) {
      const start = rangeStart + BigInt(t + 1) * 10_000_000_000n;
      const traceId = `d${String(t).padStart(31, '0')}`;
      rows.push(spanRow(8, makeSpan({ traceId, spanId: `${String(t).padStart(8, '0')}00000001`, startTimeUnixNano: start, endTimeUnixNano: start + BigInt(t + 1) * 1_000_000_000n })));
      // a child a little later: the trace's bounds come from all its spans
      rows.push(spanRow(8, makeSpan({ traceId, spanId: `${String(t).padStart(8, '0')}00000002`, parentSpanId: `${String(t).padStart(8, '0')}00000001`, serviceName: t % 2 ? 'billing' : 'checkout', startTimeUnixNano: start + 1_000n, endTimeUnixNano: start + 2_000n })));
    }
    const longStart = rangeStart - 60_000_000_000n;
    rows.push(spanRow(8, makeSpan({ traceId: 'e'.repeat(31) + '1', spanId: 'e000000000000001', startTimeUnixNano: longStart, endTimeUnixNano: longStart + 3_600_000_000_000n })));
    await db.insert('spans', rows);
    const { db: counting, statements } = countingDatabase(db);
    const q: TraceQuery = { projectId: 8, startNs: rangeStart, endNs: now, attributes: [], limit: 5, sort: 'duration' };
    const seen = await allPages(q, counting);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `d${String(11 - i).padStart(31, '0')}`));
    // a span filter is checked on the candidates too: the traces with a billing span, longest first
    const billing = await searchPage(counting, { ...q, service: 'billing', limit: 10 });
    expect(billing.traces.map((t) => t.traceId)).toEqual([11, 9, 7, 5, 3, 1].map((t) => `d${String(t).padStart(31, '0')}`));
    // no page read every trace id of the range's spans
    expect(statements.filter((s) => s.includes('IN (SELECT TraceId'))).toEqual([]);
  });

  test('sorted by duration, a trace whose index rows are not merged yet ranks by its whole bounds', async () => {
    // Project 12: 'split' has a span half an hour before the range and one inside it, stored by two inserts whose
    // index rows stay apart (merges stopped); 'short' lasts 10 s inside the range. Judged by the row that overlaps
    // the range alone, 'split' would last 1 s and rank second.
    const rangeStart = now - 600_000_000_000n;
    const split = 'f'.repeat(31) + '1';
    const short = 'f'.repeat(31) + '2';
    await db.command(sql`SYSTEM STOP MERGES ${db.table('trace_index')}`);
    try {
      const early = rangeStart - 1_800_000_000_000n;
      await db.insert('spans', [spanRow(12, makeSpan({ traceId: split, spanId: 'f000000000000001', startTimeUnixNano: early, endTimeUnixNano: early + 1_000_000_000n }))]);
      await db.insert('spans', [
        spanRow(12, makeSpan({ traceId: split, spanId: 'f000000000000002', parentSpanId: 'f000000000000001', startTimeUnixNano: rangeStart + 60_000_000_000n, endTimeUnixNano: rangeStart + 61_000_000_000n })),
        spanRow(12, makeSpan({ traceId: short, spanId: 'f000000000000003', startTimeUnixNano: rangeStart + 60_000_000_000n, endTimeUnixNano: rangeStart + 70_000_000_000n })),
      ]);
      const [rows] = await db.query<{ n: string }>(sql`SELECT count() AS n FROM ${db.table('trace_index')} WHERE ProjectId = 12 AND TraceId = ${split}`);
      expect(Number(rows?.n)).toBe(2);
      const page = await searchPage(db, { projectId: 12, startNs: rangeStart, endNs: now, attributes: [], limit: 5, sort: 'duration' });
      expect(page.traces.map((t) => [t.traceId, t.durationNano])).toEqual([
        [split, String(1_861_000_000_000n)],
        [short, '10000000000'],
      ]);
    } finally {
      await db.command(sql`SYSTEM START MERGES ${db.table('trace_index')}`);
    }
  });
});
