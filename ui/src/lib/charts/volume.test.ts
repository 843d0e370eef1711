import { afterEach, describe, expect, test } from 'vitest';
import { volumeBuckets, type VolumeBucket } from '../issues/volume.ts';
import { volumeModel } from './volume.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 2, 7, 22, 8);
const TZ = process.env.TZ;

afterEach(() => {
  if (TZ === undefined) delete process.env.TZ;
  else process.env.TZ = TZ;
});

describe('issue volume: chart geometry', () => {
  const hours = (values: number[]): VolumeBucket[] =>
    values.map((events, i) => ({ start: Date.UTC(2026, 11, 1, 8) + i * HOUR, end: Date.UTC(2026, 11, 1, 9) + i * HOUR, events }));

  test('bars scale to the tallest bucket, empty ones have no height, slots tile the width', () => {
    process.env.TZ = 'UTC';
    const values = Array<number>(24).fill(0);
    values[23] = 8;
    values[10] = 2;
    const m = volumeModel(hours(values), '24h', 600, 130);
    expect(m.bars).toHaveLength(24);
    const top = m.bars[23];
    expect(top?.height).toBeGreaterThan(0);
    expect((top?.y ?? 0) + (top?.height ?? 0)).toBeCloseTo(m.innerHeight);
    expect(m.bars[10]?.height).toBeCloseTo((top?.height ?? 0) / 4);
    expect(m.bars[0]?.height).toBe(0);
    expect(m.bars[0]?.y).toBe(m.innerHeight);
    expect(m.bars.every((b) => b.x >= 0 && b.x + b.width <= m.innerWidth + 1e-9)).toBe(true);
    for (let i = 1; i < m.bars.length; i++) expect(m.bars[i]?.slotX).toBeCloseTo((m.bars[i - 1]?.slotX ?? 0) + (m.bars[i - 1]?.slotWidth ?? 0));
  });

  test('y ticks are whole counts; x labels fit and sit on round hours', () => {
    process.env.TZ = 'UTC';
    const single = volumeModel(hours([1, ...Array<number>(23).fill(0)]), '24h', 600, 130);
    expect(single.yTicks.map((t) => t.label)).toEqual(['0', '1']);
    const empty = volumeModel(hours(Array<number>(24).fill(0)), '24h', 600, 130);
    expect(empty.yTicks.map((t) => t.value)).toEqual([0, 1]);
    expect(empty.bars.every((b) => b.height === 0)).toBe(true);

    const narrow = volumeModel(hours(Array<number>(24).fill(3)), '24h', 300, 130);
    expect(narrow.xTicks.length).toBeLessThanOrEqual(Math.floor(narrow.innerWidth / 52));
    expect(narrow.xTicks.length).toBeGreaterThan(1);
    expect(narrow.xTicks.every((t) => new Date(t.value).getUTCHours() % 6 === 0)).toBe(true);
    expect(narrow.xTicks.some((t) => t.label === 'Dec 02')).toBe(true); // midnight names the day
    const wide = volumeModel(hours(Array<number>(24).fill(3)), '24h', 1400, 130);
    expect(wide.xTicks.length).toBeGreaterThan(narrow.xTicks.length);
  });

  test('days: labels count back from today', () => {
    process.env.TZ = 'UTC';
    const days = volumeBuckets('14d', [], NOW);
    const m = volumeModel(days, '14d', 400, 130);
    expect(m.xTicks.at(-1)?.label).toBe('Dec 02');
    expect(m.xTicks.length).toBeLessThanOrEqual(Math.floor(m.innerWidth / 52));
    expect(m.xTicks.at(-1)?.pos).toBeCloseTo((m.bars[13]?.x ?? 0) + (m.bars[13]?.width ?? 0) / 2);
  });
});
