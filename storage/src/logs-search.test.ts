import type { LogRecord } from '@faultline/proto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { MAX_BODY_CHARS } from './logs-reader.ts';
import { InvalidLogCursorError, searchLogs, type LogQuery } from './logs-search.ts';
import { logRow } from './spans-writer.ts';
import { makeLog } from './testing/make-log.ts';
import { openTempDatabase } from './testing/temp-database.ts';

let db: Database;
let cleanup: () => Promise<void>;
const now = BigInt(Date.now()) * 1_000_000n;
const traceId = 'd'.repeat(32);

function log(i: number, over: Partial<LogRecord> = {}): LogRecord {
  return makeLog({
    // two records share each instant, so the fingerprint has to order them
    timeUnixNano: now - BigInt(Math.floor(i / 2)) * 1_000_000_000n,
    observedTimeUnixNano: now,
    severityNumber: i % 3 === 0 ? 17 : 9,
    severityText: i % 3 === 0 ? 'ERROR' : 'INFO',
    body: `request ${i} ${i % 3 === 0 ? 'Payment DECLINED' : 'ok'}`,
    attributes: { 'http.status_code': i % 3 === 0 ? 502 : 200 },
    traceId: i < 4 ? traceId : '',
    serviceName: i % 2 === 0 ? 'api' : 'worker',
    resource: { 'service.name': i % 2 === 0 ? 'api' : 'worker', 'deployment.environment': 'prod' },
    ...over,
  });
}

beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
  await db.insert('logs', [...Array.from({ length: 30 }, (_, i) => logRow(1, log(i))), logRow(2, log(0, { body: 'other project' }))]);
});
afterAll(async () => cleanup());

const base: LogQuery = { projectId: 1, startNs: now - 3_600_000_000_000n, endNs: now + 1_000_000_000n, attributes: [], limit: 100 };
const bodies = async (q: Partial<LogQuery>) => (await searchLogs(db, { ...base, ...q })).logs.map((l) => l.body);

describe('log search', () => {
  test('newest first, every filter before the limit, project-scoped', async () => {
    const all = await searchLogs(db, base);
    expect(all.logs).toHaveLength(30);
    expect(all.nextCursor).toBeNull();
    const times = all.logs.map((l) => BigInt(l.timeUnixNano));
    expect(times).toEqual([...times].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    expect(all.logs[0]).toMatchObject({ traceId, serviceName: expect.any(String), resource: { 'deployment.environment': 'prod' } });
    expect(await bodies({ minSeverity: 17, service: 'api', limit: 2 })).toEqual([
      'request 0 Payment DECLINED',
      'request 6 Payment DECLINED',
    ]);
    expect((await bodies({ text: 'payment declined' })).length).toBe(10);
    expect(await bodies({ traceId, service: 'worker' })).toEqual(['request 1 ok', 'request 3 Payment DECLINED']);
    expect((await bodies({ attributes: [{ key: 'http.status_code', value: '502' }] })).length).toBe(10);
    expect((await bodies({ attributes: [{ key: 'deployment.environment', value: 'prod' }] })).length).toBe(30);
    // A missing key reads as '': an empty value matches no record here (none has the key), not all 30.
    expect(await bodies({ attributes: [{ key: 'http.route', value: '' }] })).toEqual([]);
    expect(await bodies({ startNs: now - 2_500_000_000n })).toHaveLength(6);
    expect(await bodies({ projectId: 2 })).toEqual(['other project']);
    expect(await bodies({ text: "' OR 1=1 --", service: "x'; DROP TABLE logs; --" })).toEqual([]);
  });

  test('long bodies come back cut to MAX_BODY_CHARS, as text, and say so', async () => {
    const long = 'é'.repeat(MAX_BODY_CHARS + 10);
    await db.insert('logs', [logRow(3, log(0, { body: long })), logRow(3, log(1, { body: { blob: 'x'.repeat(MAX_BODY_CHARS) } }))]);
    const { logs } = await searchLogs(db, { ...base, projectId: 3 });
    expect(logs.map((l) => [typeof l.body, String(l.body).length, l.bodyTruncated])).toEqual([
      ['string', MAX_BODY_CHARS, true],
      ['string', MAX_BODY_CHARS, true],
    ]);
    expect(logs.map((l) => String(l.body).slice(0, 3)).sort()).toEqual(['{"b', 'ééé']);
    expect(logs.find((l) => String(l.body).startsWith('é'))?.body).toBe('é'.repeat(MAX_BODY_CHARS));
    // still found by text beyond the cut
    expect((await searchLogs(db, { ...base, projectId: 3, text: 'xxxx' })).logs).toHaveLength(1);
  });

  test('the cursor pages through every record once, also across records of the same instant', async () => {
    const all = await bodies({});
    for (const limit of [1, 3, 7]) {
      const seen: unknown[] = [];
      let cursor: string | undefined;
      do {
        const page = await searchLogs(db, { ...base, limit, cursor });
        seen.push(...page.logs.map((l) => l.body));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual(all);
    }
    await expect(searchLogs(db, { ...base, cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidLogCursorError);
  });
});
