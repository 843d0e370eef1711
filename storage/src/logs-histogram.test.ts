import type { LogRecord } from '@faultline/proto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { histogramStep, logHistogram } from './logs-histogram.ts';
import type { LogFilter } from './logs-search.ts';
import { logRow } from './spans-writer.ts';
import { makeLog } from './testing/make-log.ts';
import { openTempDatabase } from './testing/temp-database.ts';

let db: Database;
let cleanup: () => Promise<void>;
// a whole hour, an hour ago: buckets of one minute start on it
const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

function log(minute: number, severityNumber: number, serviceName: string, over: Partial<LogRecord> = {}): LogRecord {
  return makeLog({
    timeUnixNano: ns(hour + minute * 60_000 + 30_000),
    observedTimeUnixNano: ns(hour),
    severityNumber,
    severityText: '',
    body: `at ${minute} severity ${severityNumber}`,
    serviceName,
    resource: { 'service.name': serviceName },
    ...over,
  });
}

beforeAll(async () => {
  ({ db, cleanup } = await openTempDatabase());
  const severities = [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24];
  await db.insert('logs', [
    ...severities.map((s) => logRow(1, log(0, s, 'api'))),
    ...[9, 9, 17].map((s) => logRow(1, log(5, s, 'worker'))),
    ...Array.from({ length: 12 }, (_, i) => logRow(1, log(59, 9, `svc-${String(i).padStart(2, '0')}`))),
    logRow(2, log(0, 9, 'other project')),
  ]);
});
afterAll(async () => cleanup());

const base: LogFilter = { projectId: 1, startNs: ns(hour), endNs: ns(hour + 3_600_000), attributes: [] };

describe('log histogram', () => {
  test('the step is a round width giving about 60 buckets', () => {
    expect(histogramStep(3_600_000)).toBe(60);
    expect(histogramStep(15 * 60_000)).toBe(15);
    expect(histogramStep(6 * 3_600_000)).toBe(600);
    expect(histogramStep(86_400_000)).toBe(1800);
    expect(histogramStep(7 * 86_400_000)).toBe(10_800);
    expect(histogramStep(400 * 86_400_000)).toBe(7 * 86_400);
    expect(histogramStep(0)).toBe(1);
  });

  test('counts per bucket and severity band, zero-filled, with the top ten services', async () => {
    const h = await logHistogram(db, base);
    expect(h.step).toBe(60);
    expect(h.buckets).toHaveLength(61);
    expect(h.buckets[0]?.start).toBe(new Date(hour).toISOString());
    expect(h.buckets[1]?.start).toBe(new Date(hour + 60_000).toISOString());
    expect(h.buckets[0]?.counts).toEqual({ unspecified: 1, trace: 2, debug: 2, info: 2, warn: 2, error: 2, fatal: 2 });
    expect(h.buckets[5]?.counts).toEqual({ unspecified: 0, trace: 0, debug: 0, info: 2, warn: 0, error: 1, fatal: 0 });
    expect(h.buckets[59]?.counts.info).toBe(12);
    expect(h.buckets[2]?.counts).toEqual({ unspecified: 0, trace: 0, debug: 0, info: 0, warn: 0, error: 0, fatal: 0 });
    expect(h.total).toBe(13 + 3 + 12);
    expect(h.byService).toHaveLength(10);
    expect(h.byService.slice(0, 3)).toEqual([
      { service: 'api', count: 13 },
      { service: 'worker', count: 3 },
      { service: 'svc-00', count: 1 },
    ]);
  });

  test('takes the search filters', async () => {
    const warn = await logHistogram(db, { ...base, minSeverity: 13 });
    expect(warn.total).toBe(6 + 1);
    expect(warn.buckets[0]?.counts).toMatchObject({ info: 0, warn: 2, error: 2, fatal: 2 });
    expect((await logHistogram(db, { ...base, service: 'worker' })).byService).toEqual([{ service: 'worker', count: 3 }]);
    expect((await logHistogram(db, { ...base, text: 'SEVERITY 17' })).total).toBe(2);
    expect((await logHistogram(db, { ...base, projectId: 2 })).byService).toEqual([{ service: 'other project', count: 1 }]);
    const narrow = await logHistogram(db, { ...base, startNs: ns(hour + 4 * 60_000), endNs: ns(hour + 6 * 60_000) });
    expect(narrow.step).toBe(2);
    expect(narrow.total).toBe(3);
    expect(narrow.buckets).toHaveLength(61);
  });
});
