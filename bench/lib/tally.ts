/** Per-transport counters of the load generator, for the whole run and for the measurement window. */
import type { Outcome, SendResult, Transport } from './transports.ts';

export interface Counts {
  requests: number;
  okRequests: number;
  ackedSpans: number;
  refusedRequests: number;
  refusedSpans: number;
  failedRequests: number;
  /** Open-loop mode only: sends skipped because the client already had its maximum in flight. */
  skipped: number;
}

export interface Latency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface TransportReport {
  clients: number;
  total: Counts;
  window: Counts;
  /** Latency (ms) of the accepted requests that completed inside the window. */
  latency: Latency;
  errors: string[];
}

export type LoadReport = Record<Transport, TransportReport>;

function zero(): Counts {
  return { requests: 0, okRequests: 0, ackedSpans: 0, refusedRequests: 0, refusedSpans: 0, failedRequests: 0, skipped: 0 };
}

function add(c: Counts, outcome: Outcome, spans: number, result: SendResult): void {
  c.requests++;
  if (outcome === 'ok') {
    c.okRequests++;
    c.ackedSpans += result.accepted;
  } else if (outcome === 'refused') {
    c.refusedRequests++;
    c.refusedSpans += spans;
  } else {
    c.failedRequests++;
  }
}

export function percentiles(values: number[]): Latency {
  if (values.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

export class Tally {
  private readonly total = { grpc: zero(), http: zero() };
  private readonly window = { grpc: zero(), http: zero() };
  private readonly latencies: Record<Transport, number[]> = { grpc: [], http: [] };
  private readonly errors: Record<Transport, string[]> = { grpc: [], http: [] };
  private readonly clients: Record<Transport, number> = { grpc: 0, http: 0 };
  windowStart = Infinity;
  windowEnd = Infinity;

  addClient(transport: Transport): void {
    this.clients[transport]++;
  }

  record(transport: Transport, spans: number, result: SendResult, latencyMs: number, finishedAt: number): void {
    add(this.total[transport], result.outcome, spans, result);
    if (result.outcome !== 'ok' && this.errors[transport].length < 5 && !this.errors[transport].includes(result.detail)) {
      this.errors[transport].push(result.detail);
    }
    if (finishedAt < this.windowStart || finishedAt >= this.windowEnd) return;
    add(this.window[transport], result.outcome, spans, result);
    if (result.outcome === 'ok') this.latencies[transport].push(latencyMs);
  }

  skip(transport: Transport, now: number): void {
    this.total[transport].skipped++;
    if (now >= this.windowStart && now < this.windowEnd) this.window[transport].skipped++;
  }

  report(): LoadReport {
    const one = (t: Transport): TransportReport => ({
      clients: this.clients[t],
      total: this.total[t],
      window: this.window[t],
      latency: percentiles(this.latencies[t]),
      errors: this.errors[t],
    });
    return { grpc: one('grpc'), http: one('http') };
  }
}

export function sum(report: LoadReport, pick: (r: TransportReport) => number): number {
  return pick(report.grpc) + pick(report.http);
}
