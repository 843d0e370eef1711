import { afterEach, describe, expect, test } from 'vitest';
import { parseIsoTime } from './iso-time.ts';

const TZ = process.env.TZ;
afterEach(() => {
  if (TZ === undefined) delete process.env.TZ;
  else process.env.TZ = TZ;
});

describe('parseIsoTime', () => {
  test('a date-time without a zone is UTC, whatever the zone the server runs in', () => {
    for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      process.env.TZ = zone;
      expect(parseIsoTime('2026-12-03T10:00:00'), zone).toBe(Date.UTC(2026, 11, 3, 10));
      expect(parseIsoTime('2026-12-03T10:00'), zone).toBe(Date.UTC(2026, 11, 3, 10));
      expect(parseIsoTime('2026-12-03'), zone).toBe(Date.UTC(2026, 11, 3));
    }
  });

  test('zones, fractions and the + a client did not encode (a space after URL decoding)', () => {
    const at = Date.UTC(2026, 11, 3, 9, 0, 0, 123);
    for (const text of ['2026-12-03T09:00:00.123Z', '2026-12-03t09:00:00,123z', '2026-12-03T10:00:00.123+01:00', '2026-12-03T10:00:00.123+0100', '2026-12-03T10:00:00.123 01:00', '2026-12-03T04:00:00.123456789-05', '2026-12-03 09:00:00.123Z']) {
      expect(parseIsoTime(text), text).toBe(at);
    }
  });

  test('text that is no ISO-8601 date is refused, not guessed', () => {
    for (const text of ['-1', ' 5', '12', 'Dec 3 2026', 'yesterday', '2026-12-03T10', '2026-02-30', '2026-13-01', '2026-12-03T24:00:00Z', '2026-12-03T10:00:00+25:00', '']) {
      expect(parseIsoTime(text), text).toBeNull();
    }
  });
});
