import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { spanRow } from './spans-writer.ts';
import { sql } from './sql.ts';
import { getTrace } from './traces-reader.ts';
import { searchTraces as searchPage, type TraceQuery } from './trace-search.ts';

const searchTraces = async (db: Database, q: TraceQuery) => (await searchPage(db, q)).traces;
import { openTempDatabase } from './testing/temp-database.ts';
import { makeSpan } from './testing/make-span.ts';
import { activeIngestKeys, createApiToken, createIngestKey, createProject, findApiToken, findProject, revokeIngestKey } from './projects.ts';

let db: Database;
let cleanup: () => Promise<void>;
const now = BigInt(Date.now()) * 1_000_000n;
const trace = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1';

beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
  const root = makeSpan({
    traceId: trace,
    spanId: '1000000000000001',
    startTimeUnixNano: now,
    endTimeUnixNano: now + 100_000_000n,
    attributes: { 'http.method': 'GET', 'http.status_code': 500, ratio: 0.5, ok: false, big: 9007199254740993n, tags: ['a', 'b'] },
    statusCode: 2,
    statusMessage: 'boom',
    events: [{ timeUnixNano: now + 5n, name: 'exception', attributes: { 'exception.type': 'Error' }, droppedAttributesCount: 0 }],
  });
  const child = makeSpan({
    traceId: trace,
    spanId: '1000000000000002',
    parentSpanId: '1000000000000001',
    name: 'SELECT orders',
    kind: 3,
    serviceName: 'db',
    resource: { 'service.name': 'db', 'deployment.environment': 'prod' },
    startTimeUnixNano: now + 10_000_000n,
    endTimeUnixNano: now + 20_000_000n,
    links: [{ traceId: 'b'.repeat(32), spanId: 'c'.repeat(16), traceState: 'k=v', attributes: { n: 1 }, droppedAttributesCount: 0 }],
  });
  const other = makeSpan({ traceId: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2', spanId: '2000000000000001', startTimeUnixNano: now - 1_000_000_000n, endTimeUnixNano: now });
  await db.insert('spans', [spanRow(1, root), spanRow(1, child), spanRow(1, other), spanRow(2, makeSpan({ traceId: trace, spanId: '3000000000000001' }))]);
});

afterAll(async () => cleanup());

describe('storage', () => {
  test('migrations are recorded and idempotent', async () => {
    expect(await migrate(db)).toEqual([]);
    const rows = await db.query<{ n: number }>(sql`SELECT count() AS n FROM ${db.table('schema_migrations')} FINAL`);
    expect(rows[0]?.n).toBeGreaterThanOrEqual(3);
  });

  test('every inserted row is stored', async () => {
    const rows = await db.query<{ n: number }>(sql`SELECT count() AS n FROM ${db.table('spans')}`);
    expect(rows[0]?.n).toBe(4);
  });

  test('trace by id keeps tree, types, events, links and project scope', async () => {
    const spans = await getTrace(db, 1, trace, 1000);
    expect(spans?.map((s) => s.spanId)).toEqual(['1000000000000001', '1000000000000002']);
    const [root, child] = spans ?? [];
    expect(root?.attributes).toEqual({ 'http.method': 'GET', 'http.status_code': 500, ratio: 0.5, ok: false, big: '9007199254740993', tags: ['a', 'b'] });
    expect(root?.statusCode).toBe('ERROR');
    expect(root?.kind).toBe('SERVER');
    expect(root?.durationNano).toBe('100000000');
    expect(root?.startTimeUnixNano).toBe(now.toString());
    expect(root?.events).toEqual([{ timeUnixNano: (now + 5n).toString(), name: 'exception', attributes: { 'exception.type': 'Error' } }]);
    expect(child?.parentSpanId).toBe('1000000000000001');
    expect(child?.links).toEqual([{ traceId: 'b'.repeat(32), spanId: 'c'.repeat(16), traceState: 'k=v', attributes: { n: 1 } }]);
    expect(await getTrace(db, 3, trace, 1000)).toBeNull();
    expect(await getTrace(db, 1, 'f'.repeat(32), 1000)).toBeNull();
  });

  test('search applies every filter before the limit', async () => {
    const base = { projectId: 1, startNs: now - 3_600_000_000_000n, endNs: now + 3_600_000_000_000n, attributes: [], limit: 10 };
    const all = await searchTraces(db, base);
    expect(all.map((t) => t.traceId).sort()).toEqual([trace, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2']);
    const errors = await searchTraces(db, { ...base, status: 'ERROR', limit: 1 });
    expect(errors).toEqual([
      { traceId: trace, rootServiceName: 'checkout', rootName: 'GET /checkout', startTimeUnixNano: now.toString(), durationNano: '100000000', spanCount: 2, errorCount: 1, services: ['checkout', 'db'] },
    ]);
    expect((await searchTraces(db, { ...base, attributes: [{ key: 'http.status_code', value: '500' }] })).map((t) => t.traceId)).toEqual([trace]);
    expect((await searchTraces(db, { ...base, attributes: [{ key: 'deployment.environment', value: 'prod' }] })).map((t) => t.traceId)).toEqual([trace]);
    expect((await searchTraces(db, { ...base, hasAttributes: ['deployment.environment'] })).map((t) => t.traceId)).toEqual([trace]);
    expect((await searchTraces(db, { ...base, hasAttributes: ['http.method', 'deployment.environment'] })).map((t) => t.traceId)).toEqual([]);
    expect((await searchTraces(db, { ...base, attributes: [{ key: 'http.method', value: 'GET' }, { key: 'service.name', value: 'checkout' }] })).map((t) => t.traceId)).toEqual([trace]);
    expect(await searchTraces(db, { ...base, service: 'db', operation: 'GET /checkout' })).toEqual([]);
    expect((await searchTraces(db, { ...base, minDurationNs: 50_000_000n, maxDurationNs: 500_000_000n })).map((t) => t.traceId)).toEqual([trace]);
    expect(await searchTraces(db, { ...base, attributes: [{ key: "x' OR 1=1 --", value: "' OR ''='" }] })).toEqual([]);
  });

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
        rows.push(spanRow(1, makeSpan({ traceId, spanId: `${t}${String(i).padStart(15, '0')}`, serviceName: 'pager', startTimeUnixNano: start, endTimeUnixNano: start + 1_000n })));
      }
    }
    await db.insert('spans', rows);
    const expected = [...latest.entries()].sort((a, b) => (a[1] === b[1] ? b[0].localeCompare(a[0]) : a[1] > b[1] ? -1 : 1)).map(([id]) => id);
    const query: TraceQuery = { projectId: 1, startNs: now - 60_000_000_000n, endNs: now + 1_000_000n, service: 'pager', attributes: [], limit: 1 };
    for (const limit of [1, 2, 4, 10]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await searchPage(db, { ...query, limit, cursor });
        seen.push(...page.traces.map((t) => t.traceId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
  });

  test('projects, keys and tokens', async () => {
    const p = await createProject(db, 'shop', 'Shop');
    expect(await findProject(db, 'shop')).toEqual(p);
    expect(await findProject(db, String(p.id))).toEqual(p);
    const key = await createIngestKey(db, p.id);
    expect((await activeIngestKeys(db)).get(key.key)).toBe(p.id);
    expect(await revokeIngestKey(db, p.id + 1, key.id)).toBe(false);
    expect(await revokeIngestKey(db, p.id, key.id)).toBe(true);
    expect((await activeIngestKeys(db)).has(key.key)).toBe(false);
    const token = await createApiToken(db, p.id, 'read');
    expect(await findApiToken(db, token.token)).toEqual({ id: token.id, projectId: p.id, role: 'read' });
    expect(await findApiToken(db, 'flt_nope')).toBeNull();
  });
});
