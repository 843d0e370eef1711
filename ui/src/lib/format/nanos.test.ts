import { describe, expect, test } from 'vitest';
import { formatDuration, formatOffset } from './nanos.ts';

describe('formatDuration', () => {
  test.each([
    [0, '0ns'],
    [1, '1ns'],
    [10, '10ns'],
    [100, '100ns'],
    [500, '500ns'],
    [850, '850ns'],
    [999, '999ns'],
    [0.4, '0ns'],
    [999.4, '999ns'],
    [999.6, '1µs'],
    [1_000, '1µs'],
    [1_500, '1.5µs'],
    [1_234, '1.23µs'],
    [10_000, '10µs'],
    [12_500, '12.5µs'],
    [100_000, '100µs'],
    [500_000, '500µs'],
    [999_940, '999.9µs'],
    [999_960, '1ms'],
    [1e6, '1ms'],
    [1.5e6, '1.5ms'],
    [3.25e6, '3.25ms'],
    [10e6, '10ms'],
    [20e6, '20ms'],
    [100e6, '100ms'],
    [250e6, '250ms'],
    [999.96e6, '1s'],
    [1e9, '1s'],
    [1.2e9, '1.2s'],
    [10e9, '10s'],
    [12.345e9, '12.35s'],
    [30e9, '30s'],
    [59.996e9, '1m 0s'],
    [60e9, '1m 0s'],
    [61e9, '1m 1s'],
    [125e9, '2m 5s'],
    [600e9, '10m 0s'],
    [3_600e9, '1h 0m'],
    [3_780e9, '1h 3m'],
    [90_000e9, '25h 0m'],
  ])('%d ns → %s', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });

  test('negative values carry a sign, except those that round to zero', () => {
    expect(formatDuration(-10)).toBe('-10ns');
    expect(formatDuration(-850_000)).toBe('-850µs');
    expect(formatDuration(-1.5e6)).toBe('-1.5ms');
    expect(formatDuration(-0.2)).toBe('0ns');
    expect(formatDuration(-0)).toBe('0ns');
  });

  test('non-finite values are a dash', () => {
    expect(formatDuration(NaN)).toBe('—');
    expect(formatDuration(Infinity)).toBe('—');
  });

  test('no unit without a number, no whole number losing its zeros', () => {
    for (let ns = 0; ns < 2_000_000; ns += 997) {
      const text = formatDuration(ns);
      expect(text).toMatch(/^\d+(\.\d+)?(ns|µs|ms)$/);
      expect(text).not.toMatch(/\.\d*0(ns|µs|ms)$/);
      const [, num, unit] = /^([\d.]+)(\D+)$/.exec(text) ?? [];
      const scale = { ns: 1, µs: 1e3, ms: 1e6 }[unit as 'ns' | 'µs' | 'ms'];
      // three significant digits: within half a percent of the value
      expect(Math.abs(Number(num) * scale - ns)).toBeLessThanOrEqual(ns * 0.005 + 0.5);
    }
  });
});

describe('formatOffset', () => {
  test('the start of a trace is +0ns', () => {
    expect(formatOffset(0)).toBe('+0ns');
    expect(formatOffset(100)).toBe('+100ns');
    expect(formatOffset(2.5e6)).toBe('+2.5ms');
    expect(formatOffset(-500)).toBe('-500ns');
  });
});
