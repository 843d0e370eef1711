/**
 * Runs Faultline as `node bin/faultline.ts start` in its own process (its own event loop and chDB data
 * directory, as in production), and reads its RSS and CPU time from /proc and its /metrics endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BENCH_KEY = 'benchkey000000000000000000000001';
const BENCH_TOKEN = 'flt_bench_admin_token_000000000000000';
const CLOCK_TICKS_PER_SECOND = 100;

export interface ServerHandle {
  pid: number;
  otlpHttp: string;
  otlpGrpc: string;
  key: string;
  dataDir: string;
  logFile: string;
  /** SIGTERM (the server flushes its queues) and wait for the exit. */
  stop(): Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} during startup; log: ${logFile}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not ready after ${timeoutMs} ms; log: ${logFile}`);
}

/** Starts the all-in-one on free loopback ports with a fresh data directory; `env` is added last. */
export async function startServer(repoRoot: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerHandle> {
  const dataDir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  const logFile = `${dataDir}.log`;
  const [grpcPort, httpPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, [...nodeArgs, 'bin/faultline.ts', 'start'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      // FAULTLINE_* settings arrive through `env` (bench/lib/options.ts), the owned ones below win.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FAULTLINE_'))),
      FAULTLINE_DATA_DIR: dataDir,
      FAULTLINE_HOST: '127.0.0.1',
      FAULTLINE_OTLP_GRPC_PORT: String(grpcPort),
      FAULTLINE_OTLP_HTTP_PORT: String(httpPort),
      FAULTLINE_HTTP_PORT: String(apiPort),
      FAULTLINE_BOOTSTRAP_INGEST_KEY: BENCH_KEY,
      FAULTLINE_BOOTSTRAP_ADMIN_TOKEN: BENCH_TOKEN,
      ...env,
    },
  });
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const otlpHttp = `http://127.0.0.1:${httpPort}`;
  try {
    await waitReady(otlpHttp, child, logFile, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    pid: child.pid ?? 0,
    otlpHttp,
    otlpGrpc: `127.0.0.1:${grpcPort}`,
    key: BENCH_KEY,
    dataDir,
    logFile,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export interface ProcSample {
  rssBytes: number;
  /** user + system CPU time of all threads (chDB's included), in ms. */
  cpuMs: number;
  threads: number;
}

/** RSS (VmRSS) and CPU time of a process from /proc; null once it is gone. */
export function readProc(pid: number): ProcSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const threads = Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? 0);
    // Fields after "(comm)": state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    return { rssBytes: rssKb * 1024, cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, threads };
  } catch {
    return null;
  }
}

/** CPU time the whole machine spent busy (all cores, all processes), in ms, from /proc/stat. */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS_PER_SECOND;
}

export interface IngestMetrics {
  insertSeconds: number;
  inserts: number;
  batchRows: number;
}

/** The collector's batch histograms (all batchers together: spans and error events) from /metrics. */
export async function scrapeMetrics(otlpHttp: string): Promise<IngestMetrics> {
  const text = await (await fetch(`${otlpHttp}/metrics`)).text();
  const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    insertSeconds: value('faultline_storage_insert_seconds_sum'),
    inserts: value('faultline_storage_insert_seconds_count'),
    batchRows: value('faultline_storage_batch_rows_sum'),
  };
}
