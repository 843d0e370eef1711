import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defaultStart, durationMsParam, limitParam, stepParam, timeParam } from './params.ts';

const outcome = (schema: z.ZodType, value: string | undefined): unknown => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : parsed.error.issues.map((i) => i.message).join('; ');
};

describe('time parameters (found by fuzzing the query API)', () => {
  test('ISO-8601 dates and times and Unix milliseconds are read', () => {
    expect(outcome(timeParam, '1767225600000')).toBe(1_767_225_600_000);
    expect(outcome(timeParam, '2026-01-01')).toBe(1_767_225_600_000);
    expect(outcome(timeParam, '2026-01-01T00:00:00Z')).toBe(1_767_225_600_000);
    expect(outcome(timeParam, '2026-01-01T01:00:00.123456789+01:00')).toBe(1_767_225_600_123);
    expect(outcome(timeParam, '2024-02-29T10:00Z')).toBe(Date.parse('2024-02-29T10:00:00Z'));
  });

  test.each(['2026-02-30', '2026-04-31T00:00:00Z', '2026-13-01', '2025-02-29', 'March 7', '-1', '1.5', '+5', ' 5 ', '-0', '2026-01-01T24:00:00Z'])(
    '%j is refused, not read as another day (Date.parse rolled it over or guessed a year)',
    (value) => {
      expect(outcome(timeParam, value)).toMatch(/is neither an ISO-8601 date or time nor Unix milliseconds/);
    },
  );

  test('a time without a zone is UTC, as documented, whatever the server\'s zone (Date.parse read it as local time)', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(outcome(timeParam, '2026-01-01T00:00:00')).toBe(1_767_225_600_000);
      expect(outcome(timeParam, '2026-01-01 00:00')).toBe(1_767_225_600_000);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  test('a long value is shortened in the message', () => {
    expect(outcome(timeParam, 'x'.repeat(5000))).toBe(`"${'x'.repeat(40)}…" is neither an ISO-8601 date or time nor Unix milliseconds`);
  });

  test('a range with only `end` starts no earlier than 1970 (end=0 made a negative start: a 500)', () => {
    expect(defaultStart(0, 3_600_000)).toBe(0);
    expect(defaultStart(7_200_000, 3_600_000)).toBe(3_600_000);
  });
});

describe('number parameters', () => {
  const limit = z.object({ limit: limitParam(500, 50), minDurationMs: durationMsParam.optional() });
  const messages = (query: Record<string, string>) => {
    const parsed = limit.safeParse(query);
    return parsed.success ? parsed.data : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test('plain decimal numbers are read; a left-out limit takes its default', () => {
    expect(messages({})).toEqual({ limit: 50 });
    expect(messages({ limit: '7', minDurationMs: '2.5' })).toEqual({ limit: 7, minDurationMs: 2.5 });
  });

  test.each(['', ' ', '0x10', '1e1', ' 5 ', '+5', 'Infinity', 'NaN', '١٢', '99999999999999999999'])('%j is refused (Number() took it, "" as 0)', (value) => {
    expect(messages({ limit: value, minDurationMs: value })).toEqual(['limit: must be a number in decimal digits', 'minDurationMs: must be a number in decimal digits']);
  });

  test('range and integer checks still name the problem', () => {
    expect(messages({ limit: '-1' })).toEqual(['limit: Too small: expected number to be >=1']);
    expect(messages({ limit: '1.5' })).toEqual(['limit: must be an integer']);
    expect(messages({ limit: '501' })).toEqual(['limit: Too big: expected number to be <=500']);
  });

  test('OpenAPI still documents them as numbers with their bounds and default', () => {
    expect(z.toJSONSchema(limitParam(500, 50), { io: 'input' })).toMatchObject({ type: 'integer', minimum: 1, maximum: 500, default: 50 });
  });
});

describe('step', () => {
  const step = stepParam(z.coerce.number().int().min(60).optional());

  test('seconds, or a duration with a unit as Prometheus and Grafana write it', () => {
    expect(['120', '120s', '2m', '1h', '1d', undefined].map((v) => outcome(step, v))).toEqual([120, 120, 120, 3600, 86_400, undefined]);
  });

  test.each(['', '1.5m', '5 m', '5M', '1w', '0x3c', '1e2', '-60', 'PT5M'])('%j is refused with what it takes', (value) => {
    expect(outcome(step, value)).toBe('must be seconds, or a duration such as 30s, 5m, 1h or 1d');
  });

  test('the schema behind it still checks the value: 30s is under this minimum', () => {
    expect(outcome(step, '30s')).toMatch(/>=\s*60|60/);
  });

  test('OpenAPI documents the units', () => {
    expect(z.toJSONSchema(step, { io: 'input' })).toMatchObject({ type: 'integer', description: expect.stringContaining('5m') });
  });
});
