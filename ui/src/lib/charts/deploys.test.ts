import { scaleTime } from 'd3';
import { describe, expect, test } from 'vitest';
import { normalizeRelease } from '../releases/model.ts';
import { deployMarkers, serviceDeploys } from './deploys.ts';

const T0 = Date.UTC(2024, 4, 1, 10, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const rel = (version: string, services: unknown, firstSeen: string) => normalizeRelease({ version, services, firstSeen });

describe('deploy markers', () => {
  const releases = [
    rel('1.10.0', ['api', 'web'], iso(T0 + 50 * 60_000)),
    rel('1.9.0', ['api'], iso(T0 + 10 * 60_000)),
    rel('2.0.0-web', ['web'], iso(T0 + 20 * 60_000)),
    rel('0.1.0', ['api'], iso(T0 - 60 * 60_000)),
    rel('broken', ['api'], 'not a date'),
    rel('no-services', 'api', iso(T0 + 5 * 60_000)),
  ];

  test("serviceDeploys keeps this service's releases with a valid firstSeen, oldest first", () => {
    expect(serviceDeploys(releases, 'api')).toEqual([
      { version: '0.1.0', time: T0 - 60 * 60_000 },
      { version: '1.9.0', time: T0 + 10 * 60_000 },
      { version: '1.10.0', time: T0 + 50 * 60_000 },
    ]);
    expect(serviceDeploys(releases, 'web').map((d) => d.version)).toEqual(['2.0.0-web', '1.10.0']);
    expect(serviceDeploys(releases, 'nope')).toEqual([]);
  });

  test('deployMarkers keeps the deploys inside the domain (inclusive) at their x position', () => {
    const x = scaleTime()
      .domain([new Date(T0), new Date(T0 + 60 * 60_000)])
      .range([0, 600]);
    const domain = [T0, T0 + 60 * 60_000] as const;
    const at = (t: number) => x(new Date(t));
    expect(deployMarkers(serviceDeploys(releases, 'api'), domain, at)).toEqual([
      { version: '1.9.0', time: T0 + 10 * 60_000, x: 100, labelled: true },
      { version: '1.10.0', time: T0 + 50 * 60_000, x: 500, labelled: true },
    ]);
    const edges = [
      { version: 'a', time: T0 },
      { version: 'b', time: T0 + 60 * 60_000 },
      { version: 'c', time: T0 + 60 * 60_000 + 1 },
    ];
    expect(deployMarkers(edges, domain, at).map((m) => [m.version, m.x])).toEqual([
      ['a', 0],
      ['b', 600],
    ]);
    expect(deployMarkers([], domain, at)).toEqual([]);
  });

  test('a label that would run into the previous one is left out (its marker and tooltip stay)', () => {
    const at = (t: number) => (t - T0) / 6_000; // 10 px per minute
    const close = [
      { version: '2.0.0', time: T0 },
      { version: '2.0.1', time: T0 + 2 * 60_000 },
      { version: '2.0.2', time: T0 + 6 * 60_000 },
    ];
    expect(deployMarkers(close, [T0, T0 + 60 * 60_000], at).map((m) => [m.version, m.x, m.labelled])).toEqual([
      ['2.0.0', 0, true],
      ['2.0.1', 20, false],
      ['2.0.2', 60, true],
    ]);
  });
});
