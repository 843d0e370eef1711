import { afterEach, describe, expect, test } from 'vitest';
import { bucketLabel, bucketStarts, eventsText, normalizeVolume, totalEvents, volumeBuckets, volumeQuery, type VolumeBucket } from './volume.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 2, 7, 22, 8); // Wed 2026-12-02 07:22:08Z
const TZ = process.env.TZ;

afterEach(() => {
  if (TZ === undefined) delete process.env.TZ;
  else process.env.TZ = TZ;
});

describe('issue volume: request and normalizer', () => {
  test('24h asks for hourly counts from the first whole hour of 24 to now', () => {
    const q = volumeQuery('24h', NOW);
    expect(Number(q.get('start'))).toBe(Date.UTC(2026, 11, 1, 8));
    expect(Number(q.get('end'))).toBe(NOW);
    expect(q.get('step')).toBe('3600');
  });

  test('14d asks for hourly counts from local midnight 13 days back (summed into days here)', () => {
    process.env.TZ = 'America/Los_Angeles';
    const q = volumeQuery('14d', NOW);
    // local now is Dec 1 23:22 PST: the first day is Nov 18 00:00 PST = 08:00Z
    expect(Number(q.get('start'))).toBe(Date.UTC(2026, 10, 18, 8));
    expect(q.get('step')).toBe('3600');
    expect((NOW - Number(q.get('start'))) / HOUR).toBeLessThan(2000); // the API's bucket cap
  });

  test('untrusted answers: ISO or epoch times, counts as strings, junk dropped', () => {
    expect(
      normalizeVolume({
        series: [
          { time: '2026-12-02T06:00:00.000Z', events: 3, users: 1 },
          { time: String(Date.UTC(2026, 11, 2, 5)), events: '2' },
          { time: 'not a time', events: 9 },
          { time: Date.UTC(2026, 11, 2, 4), events: -4 },
          { time: Date.UTC(2026, 11, 2, 3), events: 'many' },
          null,
          'x',
        ],
      }),
    ).toEqual([
      { time: Date.UTC(2026, 11, 2, 6), events: 3 },
      { time: Date.UTC(2026, 11, 2, 5), events: 2 },
      { time: Date.UTC(2026, 11, 2, 4), events: 0 },
      { time: Date.UTC(2026, 11, 2, 3), events: 0 },
    ]);
    expect(normalizeVolume(null)).toEqual([]);
    expect(normalizeVolume({ series: 'nope' })).toEqual([]);
    expect(normalizeVolume([1, 2])).toEqual([]);
  });
});

describe('issue volume: buckets', () => {
  test('24 hourly buckets ending with the current hour; missing hours are zero; outside points dropped', () => {
    const buckets = volumeBuckets(
      '24h',
      [
        { time: Date.UTC(2026, 11, 2, 7), events: 4 },
        { time: Date.UTC(2026, 11, 2, 7, 30), events: 1 },
        { time: Date.UTC(2026, 11, 1, 8), events: 2 },
        { time: Date.UTC(2026, 11, 1, 7), events: 100 }, // before the window
        { time: Date.UTC(2026, 11, 2, 8), events: 100 }, // after it
      ],
      NOW,
    );
    expect(buckets).toHaveLength(24);
    expect(buckets[0]).toEqual({ start: Date.UTC(2026, 11, 1, 8), end: Date.UTC(2026, 11, 1, 9), events: 2 });
    expect(buckets[23]).toEqual({ start: Date.UTC(2026, 11, 2, 7), end: Date.UTC(2026, 11, 2, 8), events: 5 });
    expect(buckets.slice(1, 23).every((b) => b.events === 0)).toBe(true);
    expect(totalEvents(buckets)).toBe(7);
    expect(volumeBuckets('24h', [], NOW).map((b) => b.events)).toEqual(Array(24).fill(0));
  });

  test('14 local days: hours summed into the day they start in, today last', () => {
    process.env.TZ = 'America/Los_Angeles';
    const starts = bucketStarts('14d', NOW);
    expect(starts).toHaveLength(14);
    expect(starts[13]).toBe(Date.UTC(2026, 11, 1, 8)); // Dec 1 00:00 PST
    const points = [
      { time: Date.UTC(2026, 11, 2, 7), events: 3 }, // Dec 1 23:00 PST: today
      { time: Date.UTC(2026, 11, 1, 8), events: 1 }, // Dec 1 00:00 PST: today
      { time: Date.UTC(2026, 11, 1, 7), events: 2 }, // Nov 30 23:00 PST: yesterday
      { time: Date.UTC(2026, 10, 18, 8), events: 6 }, // the first day's first hour
      { time: Date.UTC(2026, 10, 18, 7), events: 50 }, // before it
    ];
    const buckets = volumeBuckets('14d', points, NOW);
    expect(buckets.map((b) => b.events)).toEqual([6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4]);
    expect(buckets.every((b, i) => i === 0 || b.start === buckets[i - 1]?.end)).toBe(true);
    expect(bucketLabel(buckets[13] as VolumeBucket, '14d')).toBe('Tue Dec 01');
  });

  test('tooltip labels and counts read as text', () => {
    process.env.TZ = 'UTC';
    const b = { start: Date.UTC(2026, 11, 2, 14), end: Date.UTC(2026, 11, 2, 15), events: 1 };
    expect(bucketLabel(b, '24h')).toBe('Wed Dec 02, 14:00–15:00');
    expect(eventsText(1)).toBe('1 event');
    expect(eventsText(0)).toBe('0 events');
    expect(eventsText(12345)).toBe('12,345 events');
  });
});
