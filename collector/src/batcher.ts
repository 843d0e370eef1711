/**
 * Group commit: rows from many concurrent requests are merged into large inserts, and every request is
 * answered only after the insert holding its rows succeeded. The queue is bounded in rows; past the bound
 * (or when storage fails) callers get a retryable refusal instead of an unbounded buffer.
 *
 * When to write: exporters wait for our answer before sending again, so the requests that can join a batch
 * are the ones outstanding. The batcher remembers how many requests were outstanding at once lately (its
 * estimate of the concurrent senders) and writes as soon as that many are waiting, so a lone client is
 * answered without delay and many clients share one insert without a timer pause in every cycle. Full batches
 * go at once, a pause in arrivals ends the wait, and nothing waits longer than maxDelayMs after it arrived.
 */
export interface BatcherOptions {
  /** Flush as soon as this many rows are waiting. Default 10,000. */
  maxBatchRows: number;
  /** Flush rows that waited this long even if the batch is small, in ms. Default 200. */
  maxDelayMs: number;
  /** Rows waiting + being inserted before new requests are refused. Default 200,000. */
  maxQueuedRows: number;
  /** Inserts running at once. Default 1 (embedded chDB uses every core for one insert). */
  maxConcurrentInserts: number;
  /**
   * Rows no exporter waits for (derived data such as service-map edges): written only when the batch is
   * full or maxDelayMs after the oldest row, so they cost one insert per interval instead of one per cycle.
   */
  background?: boolean;
}

export type SubmitResult = { status: 'accepted' } | { status: 'retryable'; message: string } | { status: 'invalid'; message: string };

/**
 * ClickHouse error codes that mean "these rows can never be stored" (parse errors, values out of range, too
 * many partitions in one block), as opposed to storage being unavailable.
 */
const DATA_ERROR_CODES = new Set([6, 25, 26, 27, 38, 41, 53, 69, 70, 72, 117, 252, 321, 407]);

export function isDataError(err: unknown): boolean {
  const e = err as { clickhouseCode?: unknown; code?: unknown; cause?: unknown };
  const code = Number(e.clickhouseCode ?? e.code);
  if (DATA_ERROR_CODES.has(code)) return true;
  return e.cause !== undefined && e.cause !== err ? isDataError(e.cause) : false;
}

function firstLine(err: unknown): string {
  return (err as Error).message.split('\n')[0] ?? 'insert failed';
}

interface Waiter {
  rows: readonly object[];
  resolve: (result: SubmitResult) => void;
  /** performance.now() when it was queued. */
  at: number;
}

/** How long the peak of outstanding requests is remembered, ms. */
const PEAK_WINDOW_MS = 2_000;
/**
 * Senders that were answered come back within a few ms; when none arrived for this long, the ones still
 * expected are taken as gone (the tail of a burst) and the waiting rows are written.
 */
const IDLE_GAP_MS = 15;

export interface BatcherStats {
  queuedRows: number;
  inFlightRows: number;
  batches: number;
  failedBatches: number;
}

export type InsertFn = (rows: object[]) => Promise<void>;
export type BatchObserver = (rows: number, durationMs: number, ok: boolean) => void;

export class Batcher {
  private readonly options: BatcherOptions;
  private readonly insert: InsertFn;
  private readonly observe: BatchObserver;
  private waiting: Waiter[] = [];
  private waitingRows = 0;
  private inFlightRows = 0;
  private inFlight = 0;
  private inFlightRequests = 0;
  private peak = 0;
  private peakAt = 0;
  /** Last time a request arrived or a batch was answered (performance.now()). */
  private lastActivity = 0;
  /** Rows of the latest request: the size expected of the next one. */
  private lastRequestRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly idle = new Set<() => void>();
  readonly stats: BatcherStats = { queuedRows: 0, inFlightRows: 0, batches: 0, failedBatches: 0 };

  constructor(options: BatcherOptions, insert: InsertFn, observe: BatchObserver = () => undefined) {
    this.options = options;
    this.insert = insert;
    this.observe = observe;
  }

  /** Queues rows; resolves when they are durable, or with a retryable refusal. Never rejects. */
  submit(rows: readonly object[]): Promise<SubmitResult> {
    if (rows.length === 0) return Promise.resolve({ status: 'accepted' });
    if (this.closed) return Promise.resolve({ status: 'retryable', message: 'the collector is shutting down' });
    if (this.waitingRows + this.inFlightRows + rows.length > this.options.maxQueuedRows) {
      return Promise.resolve({ status: 'retryable', message: 'ingest queue is full; retry later' });
    }
    this.lastRequestRows = rows.length;
    return new Promise((resolve) => {
      const now = performance.now();
      this.lastActivity = now;
      this.waiting.push({ rows, resolve, at: now });
      this.waitingRows += rows.length;
      const outstanding = this.waiting.length + this.inFlightRequests;
      if (outstanding >= this.peak || now - this.peakAt > PEAK_WINDOW_MS) {
        this.peak = outstanding;
        this.peakAt = now;
      }
      this.updateStats();
      this.schedule();
    });
  }

  /**
   * True when a request like the latest one would be refused now: callers check it before decoding a request,
   * so an overloaded collector spends its CPU on the inserts rather than on decoding requests it then refuses.
   */
  saturated(): boolean {
    // One huge request must not make every later small one look too big: the estimate is capped at a batch.
    const expected = Math.min(this.lastRequestRows, this.options.maxBatchRows);
    return this.closed || this.waitingRows + this.inFlightRows + expected > this.options.maxQueuedRows;
  }

  /** Writes now when a batch is due (see the class comment), else arms the timer for the oldest row's deadline. */
  private schedule(): void {
    if (this.waiting.length === 0 || this.inFlight >= this.options.maxConcurrentInserts) return;
    const oldest = (this.waiting[0] as Waiter).at;
    // Answered senders need a moment to come back, so the pause counts from the last arrival or answer.
    const background = this.options.background === true;
    const dueAt = background ? oldest + this.options.maxDelayMs : Math.min(oldest + this.options.maxDelayMs, this.lastActivity + IDLE_GAP_MS);
    const expected = background ? Infinity : Math.max(1, this.peak - this.inFlightRequests);
    if (this.closed || this.waitingRows >= this.options.maxBatchRows || this.waiting.length >= expected || performance.now() >= dueAt) {
      this.flush();
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.flush();
      },
      Math.max(0, dueAt - performance.now()),
    );
  }

  private flush(): void {
    if (this.inFlight >= this.options.maxConcurrentInserts || this.waiting.length === 0) return;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch: Waiter[] = [];
    let count = 0;
    // Take whole requests up to the batch size (a request larger than the batch goes alone).
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as Waiter;
      if (count > 0 && count + next.rows.length > this.options.maxBatchRows) break;
      batch.push(next);
      this.waiting.shift();
      count += next.rows.length;
    }
    this.waitingRows -= count;
    this.inFlightRows += count;
    this.inFlightRequests += batch.length;
    this.inFlight++;
    this.updateStats();
    void this.run(batch, count);
  }

  private async run(batch: Waiter[], count: number): Promise<void> {
    const rows: object[] = [];
    for (const w of batch) for (const r of w.rows) rows.push(r);
    const started = performance.now();
    let results: SubmitResult[];
    try {
      await this.insert(rows);
      results = batch.map(() => ({ status: 'accepted' }));
      this.stats.batches++;
    } catch (err) {
      this.stats.failedBatches++;
      results = await this.isolate(batch, err);
    }
    this.observe(count, performance.now() - started, results.every((r) => r.status === 'accepted'));
    this.inFlight--;
    this.inFlightRows -= count;
    this.inFlightRequests -= batch.length;
    this.lastActivity = Math.max(this.lastActivity, performance.now());
    this.updateStats();
    batch.forEach((w, i) => w.resolve(results[i] as SubmitResult));
    this.schedule();
    if (this.inFlight === 0 && this.waiting.length === 0) for (const done of this.idle) done();
  }

  /**
   * A failed batch is retried request by request, so rows that can never be stored (a poison request) are
   * refused as invalid on their own instead of failing every request that shared their insert forever.
   */
  private async isolate(batch: Waiter[], batchError: unknown): Promise<SubmitResult[]> {
    const classify = (err: unknown): SubmitResult =>
      isDataError(err) ? { status: 'invalid', message: `rows cannot be stored: ${firstLine(err)}` } : { status: 'retryable', message: `storage is unavailable: ${firstLine(err)}` };
    if (batch.length === 1 || !isDataError(batchError)) return batch.map(() => classify(batchError));
    const results: SubmitResult[] = [];
    for (const w of batch) {
      try {
        await this.insert([...w.rows]);
        results.push({ status: 'accepted' });
      } catch (err) {
        results.push(classify(err));
      }
    }
    return results;
  }

  private updateStats(): void {
    this.stats.queuedRows = this.waitingRows;
    this.stats.inFlightRows = this.inFlightRows;
  }

  /** Stops taking rows and waits until every queued row was written (or refused). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.inFlight === 0 && this.waiting.length === 0) return;
    const drained = new Promise<void>((resolve) => this.idle.add(resolve));
    this.flush();
    await drained;
  }
}
