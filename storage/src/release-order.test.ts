import { describe, expect, test } from 'vitest';
import { compareReleases, parseSemver, previousInLine, newestFirst } from './release-order.ts';

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

describe('release lines', () => {
  test('a release is compared with the one before it of the same package or service', () => {
    const lines = [
      { version: '2.3.1', services: ['api-gateway'] },
      { version: '1.5.0', services: ['orders'] },
      { version: 'checkout@1.0.1', services: ['checkout-api', 'checkout-web'] },
      { version: '1.4.0', services: ['orders', 'orders-worker'] },
      { version: '1.0.1', services: ['inventory'] },
      { version: 'checkout@1.0.0', services: ['checkout-api'] },
      { version: '2.3.0', services: ['api-gateway'] },
      { version: '0.9.0', services: [] },
    ];
    expect(previousInLine(lines)).toEqual([6, 3, 5, 7, 7, null, 7, null]);
  });
});

describe('newestFirst (the releases list)', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 10, d)).toISOString();
  const r = (version: string, d: number, services: string[] = []) => ({ version, firstSeen: day(d), services });

  test('newest deploy first across packages; one package keeps its version order', () => {
    const rows = [r('legacy@8.0.0', 1), r('web@2.0.0', 20), r('web@1.9.0', 10), r('shop@1.0.0', 2), r('shop@1.2.0', 12), r('shop@1.3.0', 25), r('shop@1.2.1', 26)];
    // shop@1.2.1 (a hotfix seen after 1.3.0) stays below 1.3.0; web@2.0.0 sits between the shop releases by date
    expect(newestFirst(rows).map((x) => x.version)).toEqual(['shop@1.3.0', 'shop@1.2.1', 'web@2.0.0', 'shop@1.2.0', 'web@1.9.0', 'shop@1.0.0', 'legacy@8.0.0']);
  });

  test('releases without a package form lines per service', () => {
    const rows = [r('2.0.0', 3, ['api']), r('10.1.0', 5, ['orders']), r('2.1.0', 4, ['api'])];
    expect(newestFirst(rows).map((x) => x.version)).toEqual(['10.1.0', '2.1.0', '2.0.0']);
  });
});
