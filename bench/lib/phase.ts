/**
 * One load phase: fork the load generator, let it warm up, and around its measurement window sample the
 * server process (RSS, CPU) and scrape its batch metrics. The parent stays idle apart from that sampling.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ChildMessage, LoadConfig, ParentMessage } from './load-client.ts';
import { machineBusyMs, readProc, scrapeMetrics, type IngestMetrics, type ProcSample, type ServerHandle } from './server-process.ts';
import { sum, type LoadReport } from './tally.ts';

export interface PhaseResult {
  windowSeconds: number;
  requestBytes: number;
  load: LoadReport;
  ackedSpansPerSecond: number;
  requestsPerSecond: number;
  /** Load generator CPU over the window, % of one core. */
  loadCpuPercent: number;
  /** CPU used by every other process on the machine during the window, % of one core (noise). */
  otherCpuPercent: number;
  server: { rssIdleMb: number; rssPeakMb: number; rssWindowEndMb: number; cpuPercent: number; cpuUsPerSpan: number; threads: number };
  /** Batched inserts during the window (spans and error events), from the server's /metrics. */
  inserts: { count: number; seconds: number; busyPercent: number; avgRows: number };
}

const mb = (bytes: number): number => Math.round(bytes / 1048576);

interface Window {
  proc?: ProcSample;
  metrics?: IngestMetrics;
  at: number;
  machineMs: number;
  selfMs: number;
}

async function mark(server: ServerHandle): Promise<Window> {
  const metrics = await scrapeMetrics(server.otlpHttp).catch(() => undefined);
  const self = process.cpuUsage();
  const at = performance.now();
  return { proc: readProc(server.pid) ?? undefined, metrics, at, machineMs: machineBusyMs(), selfMs: (self.user + self.system) / 1000 };
}

function summarize(
  report: LoadReport,
  start: Window,
  end: Window,
  cpuMs: number,
  peakRss: number,
  idleRss: number,
  requestBytes: number,
): PhaseResult {
  const seconds = (end.at - start.at) / 1000;
  const acked = sum(report, (r) => r.window.ackedSpans);
  const inserts = (end.metrics?.inserts ?? 0) - (start.metrics?.inserts ?? 0);
  const insertSeconds = (end.metrics?.insertSeconds ?? 0) - (start.metrics?.insertSeconds ?? 0);
  const rows = (end.metrics?.batchRows ?? 0) - (start.metrics?.batchRows ?? 0);
  const serverCpu = (end.proc?.cpuMs ?? 0) - (start.proc?.cpuMs ?? 0);
  const other = end.machineMs - start.machineMs - serverCpu - cpuMs - (end.selfMs - start.selfMs);
  return {
    windowSeconds: Math.round(seconds * 10) / 10,
    requestBytes,
    load: report,
    ackedSpansPerSecond: Math.round(acked / seconds),
    requestsPerSecond: Math.round((sum(report, (r) => r.window.okRequests) / seconds) * 10) / 10,
    loadCpuPercent: Math.round((cpuMs / 1000 / seconds) * 100),
    otherCpuPercent: Math.max(0, Math.round((other / 1000 / seconds) * 100)),
    server: {
      rssIdleMb: mb(idleRss),
      rssPeakMb: mb(peakRss),
      rssWindowEndMb: mb(end.proc?.rssBytes ?? 0),
      cpuPercent: Math.round((serverCpu / 1000 / seconds) * 100),
      cpuUsPerSpan: acked > 0 ? Math.round((serverCpu * 10000) / acked) / 10 : 0,
      threads: end.proc?.threads ?? 0,
    },
    inserts: {
      count: inserts,
      seconds: Math.round(insertSeconds * 10) / 10,
      busyPercent: Math.round((insertSeconds / seconds) * 100),
      avgRows: inserts > 0 ? Math.round(rows / inserts) : 0,
    },
  };
}

/** Runs the load generator against `server` and resolves when it reported. */
export async function runPhase(server: ServerHandle, config: LoadConfig): Promise<PhaseResult> {
  const idleRss = readProc(server.pid)?.rssBytes ?? 0;
  let peakRss = idleRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, readProc(server.pid)?.rssBytes ?? 0);
  }, 250);
  const child = fork(join(import.meta.dirname, 'load-client.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const send = (m: ParentMessage): void => void child.send(m);
  let requestBytes = 0;
  let start: Promise<Window> | undefined;
  let end: Promise<Window> | undefined;
  try {
    const done = await new Promise<Extract<ChildMessage, { type: 'done' }>>((resolve, reject) => {
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'ready') {
          requestBytes = m.requestBytes;
          send({ type: 'start' });
        } else if (m.type === 'window-start') start = mark(server);
        else if (m.type === 'window-end') end = mark(server);
        else resolve(m);
      });
      child.once('exit', (code) => reject(new Error(`load generator exited with ${code} before reporting`)));
      send({ type: 'config', config });
    });
    const [s, e] = await Promise.all([start, end]);
    if (!s || !e) throw new Error('load generator did not mark its window');
    return summarize(done.report, s, e, done.cpuMs, peakRss, idleRss, requestBytes);
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null) child.kill();
  }
}
