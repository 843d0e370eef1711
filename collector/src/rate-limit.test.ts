import { describe, expect, test } from 'vitest';
import { ProjectRateLimiter } from './rate-limit.ts';

function fakeClock(): { now: () => number; advance: (seconds: number) => void } {
  let ms = 1_000_000;
  return { now: () => ms, advance: (seconds) => (ms += seconds * 1000) };
}

describe('ProjectRateLimiter', () => {
  test('a steady rate within the limit is always accepted', () => {
    const clock = fakeClock();
    const limiter = new ProjectRateLimiter({ ratePerSecond: 100, burstSeconds: 1, now: clock.now });
    for (let i = 0; i < 50; i++) {
      expect(limiter.take(1, 10)).toEqual({ ok: true });
      clock.advance(0.1);
    }
  });

  test('a burst up to the bucket size is accepted, then refused with the time to refill', () => {
    const clock = fakeClock();
    const limiter = new ProjectRateLimiter({ ratePerSecond: 10, burstSeconds: 2, now: clock.now });
    expect(limiter.take(1, 15)).toEqual({ ok: true });
    expect(limiter.take(1, 5)).toEqual({ ok: true });
    expect(limiter.take(1, 1)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take(1, 15)).toEqual({ ok: false, retryAfterSeconds: 2 });
    clock.advance(0.5);
    expect(limiter.take(1, 15)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  test('recovers as time passes, never beyond the bucket size', () => {
    const clock = fakeClock();
    const limiter = new ProjectRateLimiter({ ratePerSecond: 10, burstSeconds: 2, now: clock.now });
    expect(limiter.take(1, 20)).toEqual({ ok: true });
    clock.advance(1.5);
    expect(limiter.take(1, 15)).toEqual({ ok: true });
    clock.advance(3600);
    expect(limiter.take(1, 20)).toEqual({ ok: true });
    expect(limiter.take(1, 1).ok).toBe(false);
  });

  test('a request larger than the bucket passes when the bucket is full and leaves it in debt', () => {
    const clock = fakeClock();
    const limiter = new ProjectRateLimiter({ ratePerSecond: 10, burstSeconds: 2, now: clock.now });
    expect(limiter.take(1, 50)).toEqual({ ok: true });
    // 30 in debt: 31 tokens missing for one item.
    expect(limiter.take(1, 1)).toEqual({ ok: false, retryAfterSeconds: 4 });
    clock.advance(4);
    expect(limiter.take(1, 1)).toEqual({ ok: true });
    // Another oversized request waits for a full bucket (9 tokens now, 11 missing).
    expect(limiter.take(1, 50)).toEqual({ ok: false, retryAfterSeconds: 2 });
    clock.advance(2);
    expect(limiter.take(1, 50)).toEqual({ ok: true });
  });

  test('projects are independent', () => {
    const clock = fakeClock();
    const limiter = new ProjectRateLimiter({ ratePerSecond: 10, burstSeconds: 1, now: clock.now });
    expect(limiter.take(1, 10).ok).toBe(true);
    expect(limiter.take(1, 1).ok).toBe(false);
    expect(limiter.take(2, 10).ok).toBe(true);
    expect(limiter.take(2, 1).ok).toBe(false);
  });

  test('a rate of 0 means unlimited', () => {
    const limiter = new ProjectRateLimiter({ ratePerSecond: 0, burstSeconds: 1, now: () => 0 });
    for (let i = 0; i < 10; i++) expect(limiter.take(1, 1_000_000)).toEqual({ ok: true });
    expect(limiter.size).toBe(0);
  });

  test('overrides set a per-project rate, live', () => {
    const clock = fakeClock();
    const overrides = new Map([
      [2, 100],
      [3, 0],
    ]);
    const limiter = new ProjectRateLimiter({ ratePerSecond: 10, burstSeconds: 1, overrides, now: clock.now });
    expect(limiter.take(1, 11).ok).toBe(true); // full bucket admits one oversized request
    expect(limiter.take(1, 1).ok).toBe(false);
    expect(limiter.take(2, 100).ok).toBe(true);
    expect(limiter.take(2, 50)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take(3, 1_000_000).ok).toBe(true);
    overrides.set(3, 5);
    expect(limiter.take(3, 5).ok).toBe(true);
    expect(limiter.take(3, 5)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  test('idle buckets are evicted', () => {
    const clock = fakeClock();
    const limiter = new ProjectRateLimiter({ ratePerSecond: 10, burstSeconds: 1, now: clock.now });
    for (let p = 0; p < 100; p++) limiter.take(p, 5);
    expect(limiter.size).toBe(100);
    clock.advance(2);
    limiter.take(1000, 5);
    expect(limiter.size).toBe(1);
  });

  test('rejects nonsensical options', () => {
    expect(() => new ProjectRateLimiter({ ratePerSecond: -1, burstSeconds: 1 })).toThrow(RangeError);
    expect(() => new ProjectRateLimiter({ ratePerSecond: 1, burstSeconds: 0 })).toThrow(RangeError);
  });
});
