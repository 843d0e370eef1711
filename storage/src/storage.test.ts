import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { logRow, spanRow } from './spans-writer.ts';
import { logsForTrace } from './logs-reader.ts';
import { traceExtent, traceWindow } from './trace-window.ts';
import { readTrace } from './traces-reader.ts';
import type { LogRecord } from '@faultline/proto';
import { sql } from './sql.ts';
import { getTrace } from './traces-reader.ts';
import { searchTraces as searchPage, type TraceQuery } from './trace-search.ts';

const searchTraces = async (db: Database, q: TraceQuery) => (await searchPage(db, q)).traces;
import { countingDatabase } from './testing/counting-database.ts';
import { openTempDatabase } from './testing/temp-database.ts';
import { makeLog } from './testing/make-log.ts';
import { makeSpan } from './testing/make-span.ts';
import { activeIngestKeys, createApiToken, createIngestKey, createProject, findApiToken, findProject, listIngestKeys, revokeIngestKey } from './projects.ts';

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

  test('the span and trace-index columns a trace read decodes compress in 8 KiB blocks, the attribute maps in 64 KiB ones', async () => {
    const blockOf = async (table: 'spans' | 'trace_index', column: string) => {
      const [row] = await db.query<{ statement: string }>(sql`SHOW CREATE TABLE ${db.table(table)}`);
      const line = row?.statement.split('\n').find((l) => l.trimStart().startsWith(`\`${column}\` `));
      if (line === undefined) throw new Error(`no column ${column} in ${table}`);
      return /min_compress_block_size = (\d+)/.exec(line)?.[1] ?? 'default';
    };
    for (const column of ['TraceId', 'Timestamp', 'SpanId', 'ParentSpanId', 'ServiceName', 'SpanName', 'Duration', 'StatusCode', 'Events.Name', 'Links.SpanId']) {
      expect(await blockOf('spans', column), column).toBe('8192');
    }
    for (const column of ['SpanAttributes', 'ResourceAttributes', 'InsertedAt']) expect(await blockOf('spans', column), column).toBe('default');
    for (const column of ['TraceId', 'Start', 'End']) expect(await blockOf('trace_index', column), column).toBe('8192');
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
    expect(root?.links).toEqual([]);
    // The links are read by a second statement, and only for a trace that has some.
    const counted = countingDatabase(db);
    await getTrace(counted.db, 1, trace, 1000);
    expect(counted.statements.filter((q) => q.includes('Links.AttributeTypes'))).toHaveLength(1);
    const linkless = 'a'.repeat(31) + '7';
    await db.insert('spans', [spanRow(1, makeSpan({ traceId: linkless, spanId: '7000000000000001', startTimeUnixNano: now - 4n * 3_600_000_000_000n, endTimeUnixNano: now - 4n * 3_600_000_000_000n + 1_000n }))]);
    const quiet = countingDatabase(db); // (four hours back: outside the searches below)
    expect((await getTrace(quiet.db, 1, linkless, 1000))?.map((s) => s.links)).toEqual([[]]);
    expect(quiet.statements.filter((q) => q.includes('Links.AttributeTypes'))).toHaveLength(0);
    expect(await getTrace(db, 3, trace, 1000)).toBeNull();
    expect(await getTrace(db, 1, 'f'.repeat(32), 1000)).toBeNull();
  });

  test('logs of a trace come with it, oldest first, typed, limited and scoped to the project', async () => {
    const log = (over: Partial<LogRecord>): LogRecord =>
      makeLog({
        timeUnixNano: now + 1_000_000n,
        observedTimeUnixNano: now + 2_000_000n,
        flags: 1,
        traceId: trace,
        spanId: '1000000000000002',
        serviceName: 'db',
        resource: { 'service.name': 'db' },
        ...over,
      });
    await db.insert('logs', [
      logRow(1, log({ body: '123', attributes: { 'db.rows': 3 } })),
      logRow(1, log({ timeUnixNano: now - 2n * 3_600_000_000_000n, body: 'long before the trace' })),
      logRow(
        1,
        log({
          timeUnixNano: now + 50_000_000n,
          severityText: 'ERROR',
          severityNumber: 17,
          body: { order: 'o-1', items: [1, 2] },
          spanId: '1000000000000001',
        }),
      ),
      logRow(1, log({ timeUnixNano: now - 5_000_000n, body: '<b>early</b>', spanId: '' })),
      logRow(1, log({ traceId: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2', body: 'other trace' })),
      logRow(2, log({ body: 'other project' })),
    ]);
    const window = (await traceExtent(db, 1, trace)).logs;
    if (!window) throw new Error('the trace has log records');
    // Every record carrying the trace id, however far from its spans: trace_index holds the records' own bounds.
    const { logs, truncated } = await logsForTrace(db, 1, trace, 10, window);
    expect(truncated).toBe(false);
    expect(logs.map((l) => l.body)).toEqual(['long before the trace', '<b>early</b>', '123', { order: 'o-1', items: [1, 2] }]);
    expect(logs[2]).toEqual({
      timeUnixNano: (now + 1_000_000n).toString(),
      observedTimeUnixNano: (now + 2_000_000n).toString(),
      spanId: '1000000000000002',
      severityText: 'INFO',
      severityNumber: 9,
      serviceName: 'db',
      eventName: '',
      body: '123',
      bodyTruncated: false,
      attributes: { 'db.rows': 3 },
    });
    expect(await logsForTrace(db, 1, trace, 2, window)).toMatchObject({
      truncated: true,
      logs: [{ body: 'long before the trace' }, { body: '<b>early</b>' }],
    });
    const otherProject = (await traceExtent(db, 2, trace)).logs;
    expect(otherProject && (await logsForTrace(db, 2, trace, 10, otherProject)).logs.map((l) => l.body)).toEqual(['other project']);
    const quiet = 'a'.repeat(31) + '9';
    const early = now - 3n * 3_600_000_000_000n; // outside the searches below
    await db.insert('spans', [
      spanRow(1, makeSpan({ traceId: quiet, spanId: '4000000000000001', startTimeUnixNano: early, endTimeUnixNano: early + 1_000n })),
    ]);
    // readTrace: the same through one window lookup; an unknown trace or project is null; maxLogs 0 skips logs.
    expect((await readTrace(db, 1, trace, { maxSpans: 10, maxLogs: 10 }))?.logs.map((l) => l.body)).toEqual(logs.map((l) => l.body));
    expect(await readTrace(db, 1, trace, { maxSpans: 1, maxLogs: 0 })).toMatchObject({
      spans: [{ spanId: '1000000000000001' }],
      logs: [],
      logsTruncated: false,
    });
    expect(await readTrace(db, 3, trace, { maxSpans: 10, maxLogs: 10 })).toBeNull();
    expect(await traceWindow(db, 1, 'f'.repeat(32))).toBeNull();
    // A trace without log records or error events: the lookup says so, and the view reads its spans alone.
    expect(await traceExtent(db, 1, quiet)).toEqual({ spans: await traceWindow(db, 1, quiet), errors: null, logs: null });
    expect(await readTrace(db, 1, quiet, { maxSpans: 10, maxLogs: 10 })).toMatchObject({ spans: [{ spanId: '4000000000000001' }], errors: [], logs: [] });
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

  test('projects, keys and tokens', async () => {
    const p = await createProject(db, 'shop', 'Shop');
    expect(await findProject(db, 'shop')).toEqual(p);
    expect(await findProject(db, String(p.id))).toEqual(p);
    const key = await createIngestKey(db, p.id);
    expect((await activeIngestKeys(db)).get(key.key)).toBe(p.id);
    expect((await listIngestKeys(db, p.id)).map((k) => k.revoked)).toEqual([false]);
    expect(await revokeIngestKey(db, p.id + 1, key.id)).toBe(false);
    expect(await revokeIngestKey(db, p.id, key.id)).toBe(true);
    expect((await activeIngestKeys(db)).has(key.key)).toBe(false);
    // A boolean, not ClickHouse's 0/1: the API passes it through.
    expect(await listIngestKeys(db, p.id)).toEqual([{ id: key.id, projectId: p.id, key: key.key, createdAt: expect.any(String), revoked: true }]);
    const token = await createApiToken(db, p.id, 'read');
    expect(await findApiToken(db, token.token)).toEqual({ id: token.id, projectId: p.id, role: 'read' });
    expect(await findApiToken(db, 'flt_nope')).toBeNull();
  });
});
