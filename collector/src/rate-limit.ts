/**
 * Per-project ingest rate limit: one token bucket per project, one token per item (span, log record,
 * metric point). The bucket holds `rate × burstSeconds` tokens, so a project can send a short burst above
 * its rate but not sustain one. A full bucket admits any request, even one larger than the bucket, and goes
 * into debt: otherwise a single large export would be refused forever, and the SDK would retry it forever.
 */

export interface RateLimitOptions {
  /** Items per second for projects without an override; 0 = unlimited. */
  ratePerSecond: number;
  /** Bucket size in seconds of rate. */
  burstSeconds: number;
  /** Per-project rate (0 = unlimited). Read on every call, so the map may be updated live. */
  overrides?: Map<number, number>;
  /** Milliseconds on a monotonic clock; injectable for tests. */
  now?: () => number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

const OK: TakeResult = Object.freeze({ ok: true });
// Projects are authenticated before they get here, so this only guards against a runaway project table.
const MAX_BUCKETS = 100_000;
// Evicting well below the cap so a limiter at the cap does not sweep on every call.
const EVICT_TO = 90_000;

export class ProjectRateLimiter {
  private readonly buckets = new Map<number, Bucket>();
  private readonly defaultRate: number;
  private readonly burstSeconds: number;
  private readonly overrides: Map<number, number>;
  private readonly now: () => number;
  private lastSweepMs: number;

  constructor(opts: RateLimitOptions) {
    if (!(opts.ratePerSecond >= 0)) throw new RangeError(`ratePerSecond must be >= 0, got ${opts.ratePerSecond}`);
    if (!(opts.burstSeconds > 0)) throw new RangeError(`burstSeconds must be > 0, got ${opts.burstSeconds}`);
    this.defaultRate = opts.ratePerSecond;
    this.burstSeconds = opts.burstSeconds;
    this.overrides = opts.overrides ?? new Map();
    this.now = opts.now ?? (() => performance.now());
    this.lastSweepMs = this.now();
  }

  /** Buckets currently held (full buckets are dropped, a missing bucket counts as full). */
  get size(): number {
    return this.buckets.size;
  }

  take(projectId: number, items: number): TakeResult {
    const rate = this.overrides.get(projectId) ?? this.defaultRate;
    if (!(rate > 0) || items <= 0) return OK;
    const capacity = rate * this.burstSeconds;
    const nowMs = this.now();
    this.maybeSweep(nowMs);

    let bucket = this.buckets.get(projectId);
    if (!bucket) {
      bucket = { tokens: capacity, updatedMs: nowMs };
      this.buckets.set(projectId, bucket);
    } else {
      refill(bucket, nowMs, rate, capacity);
    }

    if (items <= bucket.tokens || bucket.tokens >= capacity) {
      bucket.tokens -= items;
      return OK;
    }
    // An oversized request waits for a full bucket, not for tokens the bucket can never hold.
    const missing = Math.min(items, capacity) - bucket.tokens;
    // The epsilon keeps float noise from fractional clocks from adding a whole second.
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / rate - 1e-9)) };
  }

  /** Drops buckets that have refilled: a full bucket behaves exactly like a missing one. */
  private maybeSweep(nowMs: number): void {
    const intervalMs = Math.max(1000, this.burstSeconds * 1000);
    if (nowMs - this.lastSweepMs < intervalMs && this.buckets.size < MAX_BUCKETS) return;
    this.lastSweepMs = nowMs;
    for (const [projectId, bucket] of this.buckets) {
      const rate = this.overrides.get(projectId) ?? this.defaultRate;
      if (!(rate > 0)) {
        this.buckets.delete(projectId);
        continue;
      }
      const capacity = rate * this.burstSeconds;
      refill(bucket, nowMs, rate, capacity);
      if (bucket.tokens >= capacity) this.buckets.delete(projectId);
    }
    // Still too many busy projects: forgetting the oldest debts is better than unbounded memory.
    for (const projectId of this.buckets.keys()) {
      if (this.buckets.size <= EVICT_TO) break;
      this.buckets.delete(projectId);
    }
  }
}

function refill(bucket: Bucket, nowMs: number, rate: number, capacity: number): void {
  // A clock that steps back must not drain the bucket.
  const elapsedMs = Math.max(0, nowMs - bucket.updatedMs);
  bucket.tokens = Math.min(capacity, bucket.tokens + (elapsedMs * rate) / 1000);
  bucket.updatedMs = nowMs;
}
