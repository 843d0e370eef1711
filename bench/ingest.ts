/**
 * Ingest throughput of the all-in-one against the raw chDB insert limit, on loopback.
 * Run: npm run bench:ingest [-- --duration 30 --overload]   (npm run bench:ingest -- --help)
 *
 * 1. The server runs as `node bin/faultline.ts start` in a child process: its own event loop and its own
 *    chDB data directory, exactly as deployed. The load generator is ONE other child process with every
 *    client in it (async concurrency), so on 2 cores neither starves the other more than it would in
 *    production; this process only samples /proc and /metrics.
 * 2. After the server stopped, this process opens its data directory: the stored span count must equal the
 *    acknowledged spans, then the same spanRow objects are inserted straight into a copy of the table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeProfile } from './lib/cpu-profile.ts';
import type { LoadConfig } from './lib/load-client.ts';
import { parseOptions, USAGE, type BenchOptions } from './lib/options.ts';
import { runPhase, type PhaseResult } from './lib/phase.ts';
import { countStoredSpans, verifyAndMeasure } from './lib/raw-insert.ts';
import { printSummary, verify, writeJson, type OverloadResult, type RunResult } from './lib/report.ts';
import { startServer } from './lib/server-process.ts';

const ROOT = join(import.meta.dirname, '..');
const SEED = 20261125;

function loadConfig(options: BenchOptions, server: { otlpGrpc: string; otlpHttp: string; key: string }): LoadConfig {
  return {
    grpcTarget: server.otlpGrpc,
    httpUrl: server.otlpHttp,
    key: server.key,
    grpcClients: options.grpcClients,
    httpClients: options.clients - options.grpcClients,
    warmupMs: options.warmupSeconds * 1000,
    durationMs: options.durationSeconds * 1000,
    poolRequests: options.poolRequests,
    spansPerRequest: options.spansPerRequest,
    errorRate: options.errorRate,
    seed: SEED,
    mode: 'closed',
    targetSpansPerSecond: 0,
    maxInFlightPerClient: 1,
  };
}

/** With fewer rows in flight than one batch holds, inserts are as large as the clients make them: say so. */
function batchNote(options: BenchOptions): string | null {
  const inFlight = options.clients * options.spansPerRequest;
  const batchRows = Number(options.serverEnv.FAULTLINE_BATCH_MAX_ROWS ?? 10_000);
  if (inFlight >= batchRows) return null;
  return (
    `  note:   ${options.clients} clients × ${options.spansPerRequest} spans = ${inFlight} rows in flight < FAULTLINE_BATCH_MAX_ROWS ` +
    `${batchRows}: an insert holds at most ${inFlight} rows (the raw paths insert ${batchRows}-row batches)`
  );
}

function describe(options: BenchOptions): void {
  const http = options.clients - options.grpcClients;
  console.log('Faultline ingest benchmark (loopback)');
  console.log('  server: `node bin/faultline.ts start` in its own process (own event loop, embedded chDB, fresh temp data dir)');
  console.log(
    `          ${Object.entries(options.serverEnv)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')} (others: defaults; FAULTLINE_* from the environment are passed on)`,
  );
  console.log(
    `  load:   one child process, ${options.clients} closed-loop clients: ${options.grpcClients} gRPC (grpc-js, raw Buffer unary`,
  );
  console.log(`          TraceService/Export), ${http} HTTP/protobuf (node:http keep-alive); no retries`);
  console.log(
    `  data:   ${options.poolRequests} prebuilt requests × ${options.spansPerRequest} spans, traces of 8–20 spans, 10 span + 5 resource`,
  );
  console.log(`          attributes, an exception event on ${options.errorRate * 100} % of spans (so error events are written too)`);
  console.log(
    `  window: ${options.warmupSeconds} s warm-up, then ${options.durationSeconds} s measured${options.overload ? '; then the overload phase' : ''}`,
  );
  const note = batchNote(options);
  if (note) console.log(note);
}

async function overloadPhase(
  options: BenchOptions,
  sustained: number,
): Promise<{ result: Omit<OverloadResult, 'verification'>; dataDir: string }> {
  const queueRows = options.overloadQueueRows;
  const offered = Math.round(sustained * options.overloadFactor);
  console.log(`overload phase: offering ${offered} spans/s with FAULTLINE_QUEUE_MAX_ROWS=${queueRows} …`);
  const server = await startServer(ROOT, { ...options.serverEnv, FAULTLINE_QUEUE_MAX_ROWS: String(queueRows) });
  let phase: PhaseResult;
  try {
    const config = loadConfig(options, server);
    phase = await runPhase(server, {
      ...config,
      mode: 'open',
      durationMs: options.overloadSeconds * 1000,
      warmupMs: Math.min(config.warmupMs, 5000),
      targetSpansPerSecond: offered,
      maxInFlightPerClient: 16,
    });
  } finally {
    await server.stop();
  }
  return { result: { offeredSpansPerSecond: offered, queueRows, phase }, dataDir: server.dataDir };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const startedAt = new Date().toISOString();
  describe(options);
  const profDir = options.cpuProf ? mkdtempSync(join(tmpdir(), 'faultline-bench-prof-')) : null;
  const server = await startServer(ROOT, options.serverEnv, profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
  const dirs = [server.dataDir];
  console.log(`server pid ${server.pid}, log ${server.logFile}; warming up …`);
  let ingest: PhaseResult;
  try {
    ingest = await runPhase(server, loadConfig(options, server));
  } finally {
    const code = await server.stop();
    if (code !== 0) console.log(`WARN server exited with ${code}; see ${server.logFile}`);
  }
  let overload: Omit<OverloadResult, 'verification'> | null = null;
  if (options.overload) {
    const o = await overloadPhase(options, ingest.ackedSpansPerSecond);
    overload = o.result;
    dirs.push(o.dataDir);
  }
  console.log(`counting stored spans and measuring raw inserts (${options.rawRows} rows per path) …`);
  const { storedSpans, raw } = await verifyAndMeasure(server.dataDir, {
    rows: options.rawRows,
    batchRows: 10_000,
    maxSeconds: 20,
    requests: options.poolRequests,
    spansPerRequest: options.spansPerRequest,
    errorRate: options.errorRate,
    seed: SEED,
  });
  const overloadResult =
    overload && dirs[1] ? { ...overload, verification: verify(overload.phase, await countStoredSpans(dirs[1])) } : null;
  const result: RunResult = {
    startedAt,
    options: { ...options },
    ingest,
    verification: verify(ingest, storedSpans),
    raw,
    ratio: ingest.ackedSpansPerSecond / raw.jsonEachRow.rowsPerSecond,
    overload: overloadResult,
    profile: profDir ? summarizeProfile(profDir, ROOT) : null,
  };
  const lines = printSummary(result);
  console.log(`\nJSON: ${writeJson(ROOT, result)}`);
  if (profDir && !options.keep) rmSync(profDir, { recursive: true, force: true });
  if (!options.keep) for (const dir of dirs) for (const path of [dir, `${dir}.log`]) rmSync(path, { recursive: true, force: true });
  return lines.some((l) => l.startsWith('FAIL')) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  },
);
