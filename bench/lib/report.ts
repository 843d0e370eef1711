/** Console summary and JSON file of an ingest benchmark run. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileSummary } from './cpu-profile.ts';
import type { PhaseResult } from './phase.ts';
import type { RawResult } from './raw-insert.ts';
import { sum, type TransportReport } from './tally.ts';

export interface Verification {
  acknowledged: number;
  stored: number;
  ok: boolean;
}

export interface OverloadResult {
  offeredSpansPerSecond: number;
  queueRows: number;
  phase: PhaseResult;
  verification: Verification;
}

export interface RunResult {
  startedAt: string;
  options: Record<string, unknown>;
  ingest: PhaseResult;
  verification: Verification;
  raw: RawResult;
  ratio: number;
  overload: OverloadResult | null;
  profile: ProfileSummary | null;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function transportLine(name: string, r: TransportReport, seconds: number): string {
  const w = r.window;
  return (
    `  ${name.padEnd(4)} ${r.clients} clients: ${fmt(w.ackedSpans / seconds)} spans/s, ${(w.okRequests / seconds).toFixed(1)} req/s, ` +
    `p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ` +
    `refused ${w.refusedRequests} req, failed ${w.failedRequests} req` +
    (w.skipped ? `, skipped ${w.skipped}` : '') +
    (r.errors.length ? `\n       errors: ${r.errors.join(' | ')}` : '')
  );
}

export function verify(phase: PhaseResult, stored: number): Verification {
  const acknowledged = sum(phase.load, (r) => r.total.ackedSpans);
  return { acknowledged, stored, ok: acknowledged === stored };
}

function verificationLine(v: Verification, label: string): string {
  const line = `${label}: SELECT count() FROM faultline.spans = ${fmt(v.stored)}, acknowledged spans = ${fmt(v.acknowledged)}`;
  return v.ok ? `${line}  OK` : `FAIL ${line} (difference ${fmt(v.stored - v.acknowledged)})`;
}

function phaseLines(p: PhaseResult): string[] {
  const latency = (t: TransportReport): number[] => [t.latency.p50, t.latency.p99];
  const [g50, g99] = latency(p.load.grpc);
  const [h50, h99] = latency(p.load.http);
  const both = p.load.grpc.latency.count > 0 && p.load.http.latency.count > 0;
  return [
    `ingest: ${fmt(p.ackedSpansPerSecond)} spans/s (p50 ${both ? `${g50}/${h50}` : g50 || h50} ms, p99 ${both ? `${g99}/${h99}` : g99 || h99} ms${both ? ' gRPC/HTTP' : ''}), ` +
      `${p.requestsPerSecond} req/s over ${p.windowSeconds} s`,
    transportLine('grpc', p.load.grpc, p.windowSeconds),
    transportLine('http', p.load.http, p.windowSeconds),
    `  server RSS: ${p.server.rssIdleMb} MB idle, ${p.server.rssPeakMb} MB peak, ${p.server.rssWindowEndMb} MB at window end; ` +
      `server CPU ${p.server.cpuPercent} % of one core (${p.server.threads} threads) = ${p.server.cpuUsPerSpan} µs/span; load generator CPU ${p.loadCpuPercent} %`,
    `  other processes on the machine: ${p.otherCpuPercent} % of one core` +
      (p.otherCpuPercent > 15 ? '  WARN: the machine was not quiet, figures are pessimistic' : ''),
    `  batched inserts in the window (spans + error events): ${p.inserts.count}, avg ${fmt(p.inserts.avgRows)} rows, ` +
      `${p.inserts.seconds} s inserting = ${p.inserts.busyPercent} % of the window`,
  ];
}

function profileLines(p: ProfileSummary): string[] {
  return [
    '',
    `== server main thread (V8 CPU profile over the whole run, ${p.seconds} s, busy ${p.busyPercent} %) ==`,
    `  by area: ${p.byArea.map((a) => `${a.area} ${a.percent} %`).join(', ')}`,
    ...p.topFunctions.map((f) => `  ${String(f.percent).padStart(5)} %  ${f.name}`),
  ];
}

function rawLines(raw: RawResult): string[] {
  const json = raw.jsonEachRow;
  const lines = [
    `raw JSONEachRow insert: ${fmt(json.rowsPerSecond)} rows/s, ${json.cpuUsPerRow} µs CPU/row (same spanRow objects, ` +
      `${fmt(json.rows)} rows: JSON.stringify + chdb Session.insert of a Buffer in 10k-row inserts into bench_raw.spans_json = ` +
      `CREATE TABLE … AS faultline.spans; encode ${fmt(json.rows / json.encodeSeconds)} rows/s, insert ${fmt(json.rows / json.insertSeconds)} rows/s)`,
    `  the collector's insert (RowBinary of the decoded spans) into another copy: ${fmt(raw.storage.rowsPerSecond)} rows/s, ` +
      `${raw.storage.cpuUsPerRow} µs CPU/row`,
    `  the same into faultline.spans itself (views fire: ${raw.withViews.views.join(', ') || 'none'}): ` +
      `${fmt(raw.withViews.rowsPerSecond)} rows/s, ${raw.withViews.cpuUsPerRow} µs CPU/row`,
    `  other processes while measuring raw inserts: ${raw.otherCpuPercent} % of one core` +
      (raw.otherCpuPercent > 15 ? '  WARN: the machine was not quiet' : '') +
      `; measured after the server's pending merges finished (${raw.mergeWaitSeconds} s)`,
  ];
  const figures = [
    ['jsonEachRow', json],
    ['storage', raw.storage],
    ['withViews', raw.withViews],
  ] as const;
  for (const [name, f] of figures) {
    if (f.stored !== f.rows) lines.push(`FAIL raw ${name}: inserted ${fmt(f.rows)} rows, table holds ${fmt(f.stored)}`);
  }
  return lines;
}

export function printSummary(result: RunResult): string[] {
  const { raw } = result;
  const acked = result.ingest.ackedSpansPerSecond;
  const lines = [
    '',
    '== results ==',
    ...phaseLines(result.ingest),
    verificationLine(result.verification, 'stored'),
    ...rawLines(raw),
    `ratio: ${fmt(acked)}/${fmt(raw.jsonEachRow.rowsPerSecond)} = ${result.ratio.toFixed(2)}× (target ≥ 1.0×; ` +
      `vs the collector's insert path ${(acked / raw.storage.rowsPerSecond).toFixed(2)}×)`,
  ];
  const o = result.overload;
  if (o) {
    const p = o.phase;
    const refused = sum(p.load, (r) => r.window.refusedSpans);
    lines.push(
      '',
      `== overload: offered ${fmt(o.offeredSpansPerSecond)} spans/s, FAULTLINE_QUEUE_MAX_ROWS=${fmt(o.queueRows)} ==`,
      ...phaseLines(p),
      `  acknowledged ${fmt(sum(p.load, (r) => r.window.ackedSpans))} spans, refused (retryable) ${fmt(refused)} spans in the window`,
      verificationLine(o.verification, 'overload stored'),
    );
  }
  if (result.profile) lines.push(...profileLines(result.profile));
  for (const line of lines) console.log(line);
  return lines;
}

export function writeJson(root: string, result: RunResult): string {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `ingest-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
