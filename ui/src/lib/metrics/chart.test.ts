import { describe, expect, test } from 'vitest';
import { displayUnit, metricChart, stepFor, valueLabel } from './chart.ts';

describe('metric chart', () => {
  test('series align on the union of their times, missing steps are gaps', () => {
    const chart = metricChart({
      aggregation: 'rate',
      unit: '',
      step: 60,
      series: [
        { service: 'api', group: '/a', points: [{ timeMs: 0, value: 2 }, { timeMs: 60_000, value: 1 }] },
        { service: 'api', group: '/b', points: [{ timeMs: 60_000, value: 0.5 }] },
      ],
    });
    expect(chart.times).toEqual([0, 60_000]);
    expect(chart.lines.map((l) => [l.label, l.values])).toEqual([
      ['api · /a', [2, 1]],
      ['api · /b', [null, 0.5]],
    ]);
    expect(chart.format(0.5)).toBe('0.5/s');
  });

  test('given the window, the chart covers every step of it', () => {
    const chart = metricChart(
      { aggregation: 'avg', unit: '{job}', step: 60, series: [{ service: 'w', group: '', points: [{ timeMs: 120_000, value: 3 }] }] },
      { startMs: 30_000, endMs: 250_000 },
    );
    expect(chart.times).toEqual([0, 60_000, 120_000, 180_000, 240_000]);
    expect(chart.lines[0]?.values).toEqual([null, null, 3, null, null]);
    expect(chart.format(3)).toBe('3 job');
  });

  test('units and labels', () => {
    const chart = metricChart({ aggregation: 'mean', unit: 'ms', step: 60, series: [{ service: 's', group: '', points: [{ timeMs: 0, value: 1234.5 }] }] });
    expect(chart.lines[0]?.label).toBe('s');
    expect(chart.format(1234.5)).toBe('1235 ms');
    expect(valueLabel({ aggregation: 'avg', unit: '1' })).toBe('average');
    expect(valueLabel({ aggregation: 'mean', unit: 'ms' })).toBe('mean ms');
    expect(valueLabel({ aggregation: 'rate', unit: '' })).toBe('rate per second');
    expect(valueLabel({ aggregation: 'avg', unit: '{item}' })).toBe('average item');
    expect(displayUnit('By/{batch}')).toBe('By/batch');
    expect(displayUnit('1')).toBe('');
  });

  test('the step keeps a window to about 120 values', () => {
    expect(stepFor(15 * 60_000)).toBe(60);
    expect(stepFor(3_600_000)).toBe(60);
    expect(stepFor(24 * 3_600_000)).toBe(1800);
    expect(stepFor(30 * 86_400_000)).toBe(21_600);
    expect(stepFor(400 * 86_400_000)).toBe(86_400);
  });
});
