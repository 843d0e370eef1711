import { describe, expect, test } from 'vitest';
import { breadcrumbMs, formatCount, formatLocalMs, localZoneLabel, parseIsoMs, relativeTime } from './time.ts';

describe('time formatting', () => {
  test('parses ClickHouse microsecond ISO strings', () => {
    expect(parseIsoMs('2024-05-01T10:00:00.123456Z')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
    expect(parseIsoMs('2024-05-01T10:00:00Z')).toBe(Date.UTC(2024, 4, 1, 10));
    expect(parseIsoMs('')).toBeNaN();
    expect(parseIsoMs('garbage')).toBeNaN();
  });

  test('relative times', () => {
    const now = 1_000_000_000_000;
    expect(relativeTime(now - 2000, now)).toBe('just now');
    expect(relativeTime(now - 42_000, now)).toBe('42s ago');
    expect(relativeTime(now - 5 * 60_000, now)).toBe('5m ago');
    expect(relativeTime(now - 3 * 3600_000, now)).toBe('3h ago');
    expect(relativeTime(now - 2 * 86_400_000, now)).toBe('2d ago');
    expect(relativeTime(now - 400 * 86_400_000, now)).toBe('1y ago');
    expect(relativeTime(now + 10 * 60_000, now)).toBe('in 10m');
    expect(relativeTime(NaN, now)).toBe('—');
  });

  test('breadcrumb seconds vs milliseconds', () => {
    expect(breadcrumbMs(1_700_000_000.5)).toBe(1_700_000_000_500);
    expect(breadcrumbMs(1_700_000_000_500)).toBe(1_700_000_000_500);
    expect(breadcrumbMs(0)).toBeNaN();
  });

  test('counts and local times', () => {
    expect(formatCount(2)).toBe('2');
    expect(formatCount(9999)).toBe('9999');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(250_000)).toBe('250k');
    expect(formatCount(4_500_000)).toBe('4.5M');
    expect(formatLocalMs(NaN)).toBe('—');
    expect(formatLocalMs(new Date(2024, 0, 2, 3, 4, 5).getTime())).toBe('2024-01-02 03:04:05');
  });
});

describe('time zone label', () => {
  test('UTC, or the offset and the zone name', () => {
    expect(localZoneLabel(0, 'UTC', 0)).toBe('UTC');
    expect(localZoneLabel(0, 'Europe/Berlin', 60)).toBe('UTC+01:00 Europe/Berlin');
    expect(localZoneLabel(0, 'America/St_Johns', -150)).toBe('UTC−02:30 America/St_Johns');
    expect(localZoneLabel(0, 'Europe/London', 0)).toBe('UTC+00:00 Europe/London');
  });
});
