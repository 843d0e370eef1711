/**
 * `faultline start` as a real child process (so it can be SIGKILLed), restartable on the same ports and data
 * directory, plus a direct look into the data directory once it is stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { openDatabase, sql } from '@faultline/storage';
import { TEST_KEY, TEST_TOKEN, eventually } from '../harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Ports {
  grpc: number;
  http: number;
  api: number;
}

export interface FaultlineProcess {
  child: ChildProcess;
  ports: Ports;
  otlpHttp: string;
  otlpGrpc: string;
  api: string;
  key: string;
  output(): string;
  /** Current and peak resident memory of the process in MB (from /proc), or null once it is gone. */
  memory(): { rssMb: number; peakMb: number } | null;
  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  kill9(): Promise<void>;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  dataDir: string;
  ports?: Ports;
  env?: Record<string, string>;
}

export async function allocatePorts(): Promise<Ports> {
  return { grpc: await freePort(), http: await freePort(), api: await freePort() };
}

/** Starts `node bin/faultline.ts start` and waits until it is ready (chDB start and migrations included). */
export async function startProcess(options: StartOptions): Promise<FaultlineProcess> {
  const ports = options.ports ?? (await allocatePorts());
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'faultline.ts'), 'start'], {
    env: {
      PATH: process.env.PATH,
      FAULTLINE_DATA_DIR: options.dataDir,
      FAULTLINE_OTLP_GRPC_PORT: String(ports.grpc),
      FAULTLINE_OTLP_HTTP_PORT: String(ports.http),
      FAULTLINE_HTTP_PORT: String(ports.api),
      FAULTLINE_BOOTSTRAP_INGEST_KEY: TEST_KEY,
      FAULTLINE_BOOTSTRAP_ADMIN_TOKEN: TEST_TOKEN,
      FAULTLINE_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // Keep only the tail: a long overload run logs a lot.
  const append = (d: Buffer) => (out = (out + d.toString()).slice(-200_000));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await eventually(async () => {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`faultline exited during start:\n${out}`);
    try {
      return (await fetch(`http://127.0.0.1:${ports.api}/readyz`)).status === 200 ? true : null;
    } catch {
      return null;
    }
  }, 90_000).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    child,
    ports,
    otlpHttp: `http://127.0.0.1:${ports.http}`,
    otlpGrpc: `127.0.0.1:${ports.grpc}`,
    api: `http://127.0.0.1:${ports.api}`,
    key: TEST_KEY,
    output: () => out,
    memory: () => processMemory(child.pid),
    kill9: () => signal('SIGKILL'),
    async stop() {
      await signal('SIGTERM');
      return child.exitCode;
    },
  };
}

function processMemory(pid: number | undefined): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/** Samples the process's memory every 250 ms until stopped; the highest RSS seen is the figure to report. */
export function sampleMemory(proc: FaultlineProcess): { stop(): { maxRssMb: number; peakMb: number } } {
  let maxRssMb = 0;
  let peakMb = 0;
  const take = () => {
    const m = proc.memory();
    if (m) [maxRssMb, peakMb] = [Math.max(maxRssMb, m.rssMb), Math.max(peakMb, m.peakMb)];
  };
  const timer = setInterval(take, 250);
  return {
    stop() {
      take();
      clearInterval(timer);
      return { maxRssMb, peakMb };
    },
  };
}

/**
 * Stored spans per span id, read straight from the data directory of a STOPPED server (chDB allows one
 * process per directory). Counting in storage, not through the API, sees duplicates too.
 */
export async function storedSpanCounts(dataDir: string, serviceName: string): Promise<Map<string, number>> {
  const db = await openDatabase({
    dataDir,
    clickhouseUrl: '',
    cluster: '',
    database: 'faultline',
    retentionDays: 14,
    queryTimeoutSeconds: 60,
    maxResultRows: 50_000_000,
  });
  try {
    const rows = await db.query<{ id: string; n: number }>(
      sql`SELECT SpanId AS id, toUInt32(count()) AS n FROM ${db.table('spans')} WHERE ServiceName = ${serviceName} GROUP BY SpanId`,
    );
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  } finally {
    await db.close();
  }
}
