import { describe, expect, test } from 'vitest';
import {
  customRange,
  fromLocalInput,
  parseTimeParam,
  rangeFromQuery,
  rangeLabel,
  rangeSearch,
  resolveRange,
  toLocalInput,
  windowQuery,
  withRange,
} from './range.ts';

const q = (s: string) => new URLSearchParams(s);
const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

describe('time range', () => {
  test('parses presets, absolute windows and falls back on junk', () => {
    expect(rangeFromQuery(q(''))).toEqual({ kind: 'relative', key: '1h' });
    expect(rangeFromQuery(q('range=7d'))).toEqual({ kind: 'relative', key: '7d' });
    expect(rangeFromQuery(q('range=3y'))).toEqual({ kind: 'relative', key: '1h' });
    expect(rangeFromQuery(q('range=bogus'), '24h')).toEqual({ kind: 'relative', key: '24h' });
    expect(rangeFromQuery(q('start=1714557600000&end=1714561200000'))).toEqual({
      kind: 'absolute',
      start: '1714557600000',
      end: '1714561200000',
    });
    expect(rangeFromQuery(q('start=2024-05-01T10:00:00Z'))).toEqual({ kind: 'absolute', start: '2024-05-01T10:00:00Z', end: '' });
    // an unparsable start or end is ignored, the preset applies
    expect(rangeFromQuery(q('start=yesterday&range=6h'))).toEqual({ kind: 'relative', key: '6h' });
    expect(rangeFromQuery(q('start=1714557600000&end=later'))).toEqual({ kind: 'relative', key: '1h' });
  });

  test('time parameters: unix ms or ISO with any fraction', () => {
    expect(parseTimeParam('1714557600000')).toBe(1714557600000);
    expect(parseTimeParam('2024-05-01T10:00:00.123456Z')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
    expect(parseTimeParam('')).toBeNaN();
    expect(parseTimeParam('soon')).toBeNaN();
  });

  test('resolves to a window', () => {
    expect(resolveRange({ kind: 'relative', key: '15m' }, NOW)).toEqual({ startMs: NOW - 15 * 60_000, endMs: NOW });
    expect(resolveRange({ kind: 'absolute', start: String(NOW - 5000), end: String(NOW - 1000) }, NOW)).toEqual({
      startMs: NOW - 5000,
      endMs: NOW - 1000,
    });
    expect(resolveRange({ kind: 'absolute', start: String(NOW - 5000), end: '' }, NOW)).toEqual({ startMs: NOW - 5000, endMs: NOW });
    // start after end: the last hour instead of an API error
    expect(resolveRange({ kind: 'absolute', start: String(NOW), end: String(NOW - 1) }, NOW)).toEqual({
      startMs: NOW - 3_600_000,
      endMs: NOW,
    });
    expect(windowQuery({ startMs: 1.7, endMs: 99.9 }, { step: '60' }).toString()).toBe('step=60&start=1&end=99');
  });

  test('writes the range into a URL, keeping other parameters and leaving the default out', () => {
    expect(withRange(q('operation=GET+%2F&range=6h'), { kind: 'relative', key: '1h' }).toString()).toBe('operation=GET+%2F');
    expect(withRange(q('start=1&end=2'), { kind: 'relative', key: '24h' }).toString()).toBe('range=24h');
    expect(withRange(q('range=6h'), { kind: 'absolute', start: 'a', end: '' }).toString()).toBe('start=a');
    expect(rangeSearch({ kind: 'relative', key: '1h' })).toBe('');
    expect(rangeSearch({ kind: 'relative', key: '7d' }, { service: 'api' })).toBe('?service=api&range=7d');
  });

  test('custom ranges from datetime-local inputs', () => {
    const start = fromLocalInput('2024-05-01T10:00');
    expect(start).toBe(new Date(2024, 4, 1, 10, 0).getTime());
    expect(toLocalInput(start)).toBe('2024-05-01T10:00');
    expect(toLocalInput(NaN)).toBe('');
    expect(fromLocalInput('nope')).toBeNaN();
    expect(customRange('', '')).toBe('Enter a start time');
    expect(customRange('2024-05-01T10:00', '2024-05-01T09:00')).toBe('The end must be after the start');
    expect(customRange('2024-05-01T10:00', 'x')).toBe('The end time is not valid');
    expect(customRange('2024-05-01T10:00', '2024-05-01T11:30')).toEqual({
      kind: 'absolute',
      start: new Date(2024, 4, 1, 10, 0).toISOString(),
      end: new Date(2024, 4, 1, 11, 30).toISOString(),
    });
    expect(customRange('2024-05-01T10:00', '')).toMatchObject({ kind: 'absolute', end: '' });
  });

  test('labels', () => {
    expect(rangeLabel({ kind: 'relative', key: '6h' }, NOW)).toBe('Last 6 hours');
    const a = new Date(2024, 4, 1, 10, 0).getTime();
    const b = new Date(2024, 4, 1, 12, 30).getTime();
    expect(rangeLabel({ kind: 'absolute', start: String(a), end: String(b) }, NOW)).toBe('2024-05-01 10:00 → 12:30');
    expect(rangeLabel({ kind: 'absolute', start: String(a), end: '' }, b)).toBe('2024-05-01 10:00 → now');
  });
});
