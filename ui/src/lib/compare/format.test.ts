import { describe, expect, test } from 'vitest';
import { barPercent, countDelta, durationDelta, relativeDelta, trend } from './format.ts';

describe('compare figures', () => {
  test('signed deltas', () => {
    expect(durationDelta(12_000_000)).toBe('+12ms');
    expect(durationDelta(-3_500_000)).toBe('−3.5ms');
    expect(durationDelta(0)).toBe('±0');
    expect(durationDelta(null)).toBe('—');
    expect(countDelta(2)).toBe('+2');
    expect(countDelta(-1)).toBe('−1');
    expect(countDelta(0)).toBe('±0');
  });

  test('relative change and trend', () => {
    expect(relativeDelta(100, 125)).toBe('+25%');
    expect(relativeDelta(100, 50)).toBe('−50%');
    expect(relativeDelta(100, 100)).toBe('±0%');
    expect(relativeDelta(0, 5)).toBe('');
    expect(trend(5)).toBe('worse');
    expect(trend(-5)).toBe('better');
    expect(trend(null)).toBe('same');
  });

  test('bars never vanish for a real duration and never overflow', () => {
    expect(barPercent(50, 100)).toBe(50);
    expect(barPercent(0.0001, 100)).toBe(1);
    expect(barPercent(200, 100)).toBe(100);
    expect(barPercent(null, 100)).toBe(0);
    expect(barPercent(5, 0)).toBe(0);
  });
});
