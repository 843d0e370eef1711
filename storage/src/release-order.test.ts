import { describe, expect, test } from 'vitest';
import { compareReleases, parseSemver } from './release-order.ts';

describe('release ordering', () => {
  test('semver precedence, package prefixes ignored', () => {
    const none = new Map<string, number>();
    expect(compareReleases('1.1.9', '1.2.0', none)).toBe(-1);
    expect(compareReleases('1.3.0', '1.2.0', none)).toBe(1);
    expect(compareReleases('shop@1.10.0', 'shop@1.9.0', none)).toBe(1);
    expect(compareReleases('1.2.0-rc.1', '1.2.0', none)).toBe(-1);
    expect(compareReleases('1.2.0-alpha.2', '1.2.0-alpha.10', none)).toBe(-1);
    expect(compareReleases('v2.0', '1.99.99', none)).toBe(1);
    expect(parseSemver('abc123')).toBeNull();
  });

  test('non-semver releases order by first sight, never by semver of the other', () => {
    const seen = new Map([
      ['abc123', 1000],
      ['def456', 2000],
    ]);
    expect(compareReleases('abc123', 'def456', seen)).toBe(-1);
    expect(compareReleases('def456', 'abc123', seen)).toBe(1);
    expect(compareReleases('zzz', 'abc123', seen)).toBe(0);
  });
});
