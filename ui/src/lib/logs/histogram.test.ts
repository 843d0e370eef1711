import { describe, expect, test } from 'vitest';
import type { ApiLogHistogram } from '../api/types.ts';
import { bucketLabel, LEVELS, recordsText, serviceSuggestions, toggleLevel, toggleService, toHistogramData } from './histogram.ts';

const counts = (over: Partial<Record<(typeof LEVELS)[number], number>>) => ({ unspecified: 0, trace: 0, debug: 0, info: 0, warn: 0, error: 0, fatal: 0, ...over });

describe('log histogram data', () => {
  test('parses bucket times, sums levels, treats a missing count as 0', () => {
    const api: ApiLogHistogram = {
      step: 60,
      buckets: [
        { start: '2026-03-04T14:05:00.000Z', counts: counts({ info: 3, error: 1 }) },
        { start: '2026-03-04T14:06:00.000Z', counts: { ...counts({ warn: 2 }), trace: undefined as unknown as number } },
      ],
      total: 6,
      byService: [{ service: 'api', count: 6 }],
    };
    const d = toHistogramData(api);
    expect(d.stepMs).toBe(60_000);
    expect(d.buckets.map((b) => [b.startMs, b.endMs, b.total])).toEqual([
      [Date.UTC(2026, 2, 4, 14, 5), Date.UTC(2026, 2, 4, 14, 6), 4],
      [Date.UTC(2026, 2, 4, 14, 6), Date.UTC(2026, 2, 4, 14, 7), 2],
    ]);
    expect(d.levels).toEqual(counts({ info: 3, warn: 2, error: 1 }));
    expect(d.total).toBe(6);
    expect(d.services).toEqual([{ service: 'api', count: 6 }]);
  });

  test('level and service toggles set the filter, or clear it when it is the current one', () => {
    expect(toggleLevel('', 'warn')).toBe('warn');
    expect(toggleLevel('warn', 'error')).toBe('error');
    expect(toggleLevel('warn', 'warn')).toBe('');
    expect(toggleLevel('warn', 'unspecified')).toBe('');
    expect(toggleService('', 'api')).toBe('api');
    expect(toggleService('api', 'api')).toBe('');
  });

  test('service suggestions merge both lists once each, sorted', () => {
    expect(serviceSuggestions(['worker', 'api'], ['api', 'logs-only', ''])).toEqual(['api', 'logs-only', 'worker']);
  });

  test('labels', () => {
    expect(bucketLabel({ startMs: Date.UTC(2026, 2, 4, 14, 5), endMs: Date.UTC(2026, 2, 4, 14, 6) })).toMatch(/^Mar 04 \d\d:05 – \d\d:06$/);
    expect(bucketLabel({ startMs: Date.UTC(2026, 2, 4, 14, 5, 10), endMs: Date.UTC(2026, 2, 4, 14, 5, 15) })).toMatch(/:05:10 – \d\d:05:15$/);
    // across midnight (local time) the end names its day as well
    expect(bucketLabel({ startMs: new Date(2026, 11, 3, 23, 59).getTime(), endMs: new Date(2026, 11, 4, 0, 0).getTime() })).toBe('Dec 03 23:59 – Dec 04 00:00');
    expect([recordsText(1), recordsText(0), recordsText(12_345)]).toEqual(['1 record', '0 records', '12.3k records']);
  });
});
