import { describe, expect, test } from 'vitest';
import { serviceCount } from '../issues/tags.ts';
import { apdexClass, apdexLabel, apdexTitle, formatApdex, formatApdexThreshold, formatPercent, formatRate, num, numOrNull, str } from './metrics.ts';

describe('metric formatting', () => {
  test('rates switch to per minute below 1/s', () => {
    expect(formatRate(12.345)).toBe('12.3/s');
    expect(formatRate(1)).toBe('1/s');
    expect(formatRate(250)).toBe('250/s');
    expect(formatRate(40 / 3600)).toBe('0.667/min');
    expect(formatRate(0.5)).toBe('30/min');
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(NaN)).toBe('0/s');
  });

  test('percentages and Apdex', () => {
    expect(formatPercent(0.25)).toBe('25%');
    expect(formatPercent(0.0025)).toBe('0.25%');
    expect(formatPercent(0.99999)).toBe('100%');
    expect(formatPercent(0.123)).toBe('12.3%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.00001)).toBe('<0.01%');
    expect(formatPercent(null)).toBe('—');
    expect(formatApdex(0.9375)).toBe('0.94');
    expect(formatApdex(null)).toBe('—');
    expect(apdexClass(0.95)).toBe('good');
    expect(apdexClass(0.8)).toBe('fair');
    expect(apdexClass(0.2)).toBe('poor');
    expect(apdexClass(null)).toBe('none');
  });

  test('untrusted JSON values', () => {
    expect(num('12')).toBe(12);
    expect(num('x', 3)).toBe(3);
    expect(num(null)).toBe(0);
    expect(numOrNull(undefined)).toBeNull();
    expect(numOrNull('')).toBeNull();
    expect(numOrNull(0)).toBe(0);
    expect(str(5)).toBe('5');
    expect(str({})).toBe('');
  });

  test('events of an issue from one service, by its tags', () => {
    const tags = [
      { key: 'release', values: [{ value: 'api', count: 9 }] },
      {
        key: 'service',
        values: [
          { value: 'web', count: 3 },
          { value: 'api', count: 2 },
        ],
      },
    ];
    expect(serviceCount(tags, 'api')).toBe(2);
    expect(serviceCount(tags, 'db')).toBe(0);
    expect(serviceCount([], 'api')).toBe(0);
  });
});

describe('Apdex threshold', () => {
  test('T in ms below a second, else in seconds', () => {
    expect(formatApdexThreshold(500)).toBe('500 ms');
    expect(formatApdexThreshold(100)).toBe('100 ms');
    expect(formatApdexThreshold(1000)).toBe('1 s');
    expect(formatApdexThreshold(1500)).toBe('1.5 s');
    expect(formatApdexThreshold(2000)).toBe('2 s');
  });

  test('label and tooltip name T (and 4T)', () => {
    expect(apdexLabel(500)).toBe('Apdex (T = 500 ms)');
    expect(apdexTitle(500)).toContain('T = 500 ms');
    expect(apdexTitle(500)).toContain('4T (2 s)');
  });
});
