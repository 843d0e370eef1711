import { hsl } from 'd3';
import { describe, expect, it } from 'vitest';
import { SERVICE_PALETTE, serviceColors } from './scale.ts';

describe('serviceColors', () => {
  it('has no red or pink: those read as errors', () => {
    for (const c of SERVICE_PALETTE) {
      const { h, s } = hsl(c);
      const reddish = s >= 0.15 && (h >= 290 || h <= 25);
      expect(reddish, `${c} (hue ${Math.round(h)})`).toBe(false);
    }
  });

  it('gives distinct services distinct colours, whatever order they come in', () => {
    const a = serviceColors(['web', 'api', 'db']);
    const b = serviceColors(['db', 'web', 'api']);
    expect(new Set(['web', 'api', 'db'].map(a)).size).toBe(3);
    for (const s of ['web', 'api', 'db']) expect(a(s)).toBe(b(s));
  });
});
