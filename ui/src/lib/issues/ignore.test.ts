import { describe, expect, test } from 'vitest';
import { ignoreDetail } from './ignore.ts';

describe('ignoreDetail', () => {
  const now = new Date(2026, 11, 2, 9, 0).getTime();
  const iso = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo, d, h, mi).toISOString();
  const none = { ignoreUntil: '', ignoreUntilEvents: 0, ignoreUntilUsers: 0 };

  test('an end time today reads as the clock time, another day with its date', () => {
    expect(ignoreDetail({ ...none, ignoreUntil: iso(2026, 11, 2, 11, 5) }, now)).toBe('until 11:05');
    expect(ignoreDetail({ ...none, ignoreUntil: iso(2026, 11, 9, 9, 0) }, now)).toBe('until 2026-12-09 09:00');
  });

  test('every limit is named; none gives no detail', () => {
    expect(ignoreDetail({ ignoreUntil: iso(2026, 11, 2, 11, 5), ignoreUntilEvents: 100, ignoreUntilUsers: 5 }, now)).toBe('until 11:05 or 100 events or 5 users');
    expect(ignoreDetail(none, now)).toBe('');
    expect(ignoreDetail({ ...none, ignoreUntil: 'garbage' }, now)).toBe('');
  });
});
