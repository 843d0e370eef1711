/** Latency sampling for bench/query.ts: each case's variants run in turn on the same parameter. */
import { performance } from 'node:perf_hooks';
import type { Sql } from '@faultline/storage';

export type VariantName = 'api' | 'reader' | 'sql';

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

/** One endpoint: how to call it through HTTP, through the storage readers, and as hand-written SQL. */
export interface Case<P> {
  id: string;
  title: string;
  /** The target for the API's p50, ms (null: informational). */
  targetMs: number | null;
  /** Published figure to print beside it, e.g. "Jaeger-ClickHouse 101 ms". */
  reference?: string;
  /** Counted in the headline table (the six endpoints); others are extra context. */
  primary: boolean;
  /** What the hand-written SQL covers, when it is not the whole response. */
  note?: string;
  params: P[];
  /** The hand-written SQL for a parameter (EXPLAIN'ed after the timings). */
  sqlOf?: (p: P) => Sql;
  /** Each returns a size (rows, spans, traces…) so the variants' answers can be compared. */
  variants: Partial<Record<VariantName, (p: P) => Promise<number>>>;
}

export interface CaseResult {
  id: string;
  title: string;
  targetMs: number | null;
  reference?: string;
  primary: boolean;
  note?: string;
  stats: Partial<Record<VariantName, Stats>>;
  /**
   * CPU time of this whole process per call, ms (chDB runs in it, so this is the query's CPU plus Node's HTTP and
   * JSON work): unlike wall time it does not grow when other processes compete for the cores.
   */
  cpu: Partial<Record<VariantName, Stats>>;
  /** API p50 ÷ hand-written SQL p50. */
  apiOverSql: number | null;
  /** Mean result size per variant (spans, traces, rows), to show they answer alike. */
  sizes: Partial<Record<VariantName, number>>;
  pass: boolean | null;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    min: round(sorted[0] ?? 0),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

/**
 * Runs `warmup + iterations` rounds (fewer, but at least 20, once the case has run `maxSeconds`); round r uses params[r % params.length] and runs every variant once, the
 * order rotating so that no variant is always the first to touch a parameter's data (cold marks, page cache).
 */
export async function runCase<P>(
  c: Case<P>,
  iterations: number,
  warmup: number,
  maxSeconds: number,
  log: (s: string) => void,
): Promise<CaseResult> {
  const names = (['api', 'reader', 'sql'] as const).filter((v) => c.variants[v] !== undefined);
  const samples: Record<string, number[]> = {};
  const cpuSamples: Record<string, number[]> = {};
  const sizes: Record<string, number[]> = {};
  for (const n of names) {
    samples[n] = [];
    cpuSamples[n] = [];
    sizes[n] = [];
  }
  const started = performance.now();
  const minRounds = Math.min(iterations, 20);
  for (let r = 0; r < warmup + iterations; r++) {
    // A time cap per case keeps a 10M run bounded: at least 20 timed rounds, then stop once over budget.
    if (r >= warmup + minRounds && performance.now() - started > maxSeconds * 1000) break;
    const p = c.params[r % c.params.length] as P;
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length] as VariantName;
      const run = c.variants[name]!;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const size = await run(p);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      if (r >= warmup) {
        samples[name]!.push(ms);
        cpuSamples[name]!.push((cpu.user + cpu.system) / 1000);
        sizes[name]!.push(size);
      }
    }
  }
  const result: CaseResult = {
    id: c.id,
    title: c.title,
    targetMs: c.targetMs,
    reference: c.reference,
    primary: c.primary,
    note: c.note,
    stats: {},
    cpu: {},
    apiOverSql: null,
    sizes: {},
    pass: null,
  };
  for (const n of names) {
    result.stats[n] = stats(samples[n]!);
    result.cpu[n] = stats(cpuSamples[n]!);
    const s = sizes[n]!;
    result.sizes[n] = Math.round((s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) * 10) / 10;
  }
  const api = result.stats.api;
  const raw = result.stats.sql;
  if (api && raw && raw.p50 > 0) result.apiOverSql = Math.round((api.p50 / raw.p50) * 100) / 100;
  const headline = api ?? raw;
  if (c.targetMs !== null && headline) result.pass = headline.p50 <= c.targetMs;
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  const fmt = (v: VariantName) => {
    const s = result.stats[v];
    const cpu = result.cpu[v];
    return s && cpu ? `${s.p50.toFixed(1)}/${s.p95.toFixed(1)} (cpu ${cpu.p50.toFixed(1)})` : '–';
  };
  log(
    `  ${c.title.padEnd(44)} api ${fmt('api').padStart(25)}  reader ${fmt('reader').padStart(25)}  sql ${fmt('sql').padStart(25)}  (${secs} s)`,
  );
  return result;
}
