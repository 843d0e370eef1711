/** What bench/query.ts prints (the header and the timing table) and the results file it writes. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { CaseResult } from './measure.ts';
import type { Options } from './options.ts';
import { fmtN, log, totalSeconds } from './progress.ts';
import type { SeedState } from './seeding.ts';
import type { StorageReport } from './storage-report.ts';

/** Everything the results file records beyond options and machine; filled in as the run goes. */
export interface RunRecord extends SeedState {
  storage: StorageReport | null;
  results: CaseResult[];
  explains: Record<string, unknown>;
}

export function printHeader(o: Options, dataDir: string, load0: number[]): void {
  log('Faultline query benchmark');
  log(
    `  data:    ${fmtN(o.spans)} spans / ${fmtN(o.spans / 10)} traces (2–18 spans, 11 span + 8 resource attributes, 1.5 % errors, last 24 h),`,
  );
  log(`           ${fmtN(o.errors)} error events in ~${o.issues} issues (last 7 days); service edges of the same spans`);
  log(
    `  timing:  ${o.rounds} rounds (+${o.warmup} warm-up) per endpoint; each round calls the API, the storage reader and the hand-written SQL`,
  );
  log(
    `  machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, load average ${load0.map((x) => x.toFixed(2)).join(' ')}; node ${process.version}`,
  );
  log(`  store:   embedded chDB in this process, data dir ${dataDir}`);
}

export function printResults(results: CaseResult[]): void {
  const cell = (r: CaseResult, v: 'api' | 'reader' | 'sql') => {
    const s = r.stats[v];
    const c = r.cpu[v];
    return s && c ? `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} (${c.p50.toFixed(0)})` : '–';
  };
  const line = (r: CaseResult) => {
    const target = r.targetMs === null ? '' : `≤ ${r.targetMs}`;
    const verdict = r.pass === null ? '' : r.pass ? 'PASS' : 'MISS';
    log(
      `  ${r.title.padEnd(46)} ${target.padStart(6)}  ${cell(r, 'api').padStart(22)}  ${cell(r, 'reader').padStart(22)}  ${cell(r, 'sql').padStart(22)}  ${(r.apiOverSql === null ? '–' : `${r.apiOverSql}×`).padStart(6)}  ${verdict.padEnd(4)}  ${r.reference ?? ''}`,
    );
  };
  log('');
  log('  wall ms p50 / p95 (CPU ms p50 of this process: chDB + Node; unlike wall time it does not grow with other load)');
  log(
    `  ${'endpoint'.padEnd(46)} ${'target'.padStart(6)}  ${'API'.padStart(22)}  ${'storage reader'.padStart(22)}  ${'hand-written SQL'.padStart(22)}  ${'API÷SQL'.padStart(6)}`,
  );
  for (const r of results.filter((x) => x.primary)) line(r);
  const extra = results.filter((x) => !x.primary);
  if (extra.length > 0) {
    log('  — extra context —');
    for (const r of extra) line(r);
  }
  log('  answer sizes (mean spans / traces / rows per call): ' + results.map((r) => `${r.id} ${JSON.stringify(r.sizes)}`).join('; '));
  for (const r of results) if (r.note) log(`  note, ${r.title}: ${r.note}`);
}

/** Writes the results JSON into `dir` and prints where it went. */
export function writeResults(dir: string, o: Options, run: RunRecord, load0: number[]): void {
  const load1 = loadavg();
  const out = {
    benchmark: 'query',
    at: new Date().toISOString(),
    rerun: `npm run bench:query -- ${process.argv.slice(2).join(' ')}`.trim(),
    options: o,
    machine: {
      cores: cpus().length,
      memoryGB: Math.round(totalmem() / 2 ** 30),
      loadavgStart: load0,
      loadavgEnd: load1,
      node: process.version,
    },
    dataNow: run.meta ? new Date(run.meta.nowMs).toISOString() : null,
    seeding: run.seedTimes,
    storage: run.storage,
    results: run.results,
    explains: run.explains,
    totalSeconds: totalSeconds(),
  };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `query-${out.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  log('');
  log(`results: ${file}   (load average now ${load1.map((x) => x.toFixed(2)).join(' ')}; total ${out.totalSeconds} s)`);
}
