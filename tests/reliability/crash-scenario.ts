/**
 * "Nothing acknowledged is ever lost": concurrent OTLP/HTTP and OTLP/gRPC clients stream spans into a real
 * `faultline start` process, which is SIGKILLed mid-stream and restarted on the same data directory while the
 * clients keep retrying (as SDKs do). Then storage is compared with the clients' books.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FaultlineProcess, allocatePorts, startProcess, storedSpanCounts } from './faultline-process.ts';
import { Ledger, grpcSender, httpSender, runClient, type Sender } from './load-clients.ts';

export interface CrashOptions {
  /** Total time clients start new batches, ms. */
  ingestMs: number;
  /** When the SIGKILL lands, ms after the clients started. */
  killAfterMs: number;
  httpClients: number;
  grpcClients: number;
  spansPerBatch: number;
}

export interface CrashReport {
  ledger: Ledger;
  stored: Map<string, number>;
  ackedBeforeKill: number;
  ackedAfterRestart: number;
  restartMs: number;
  exitCode: number | null;
  /** Acknowledged span ids missing from storage: must be empty. */
  lost: string[];
  /** Stored ids no client ever sent, or stored more often than sent: must be empty. */
  phantom: string[];
  /** Stored more than once although sent only once: must be empty. */
  unexplainedDuplicates: string[];
  /** Span ids stored more than once, all from retried requests (allowed: at-least-once). */
  duplicates: number;
  /** Requests those duplicates came from (span ids are client + sequence + index). */
  duplicatedRequests: number;
  /** Written but never acknowledged (the ack was lost with the process): allowed. */
  storedUnacked: number;
  /** Neither acknowledged nor stored (refused or in flight at the kill): allowed. */
  unackedMissing: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function crashDuringIngest(options: CrashOptions): Promise<CrashReport> {
  const dataDir = mkdtempSync(join(tmpdir(), 'faultline-crash-'));
  const service = `crash-${Date.now()}`;
  const env = { FAULTLINE_BATCH_MAX_DELAY_MS: '10' };
  let proc: FaultlineProcess | undefined;
  let sending = true;
  let stoppedAt = Infinity;
  try {
    const ports = await allocatePorts();
    proc = await startProcess({ dataDir, ports, env });
    const { otlpGrpc, otlpHttp, key } = proc;
    const ledger = new Ledger();
    const grpcClients = Array.from({ length: options.grpcClients }, () => grpcSender(otlpGrpc, key));
    const senders: Sender[] = [
      ...Array.from({ length: options.httpClients }, () => httpSender(otlpHttp, key)),
      ...grpcClients.map((g) => g.send),
    ];
    const runs = senders.map((send, i) =>
      runClient({
        client: i + 1,
        service,
        spansPerBatch: options.spansPerBatch,
        send,
        ledger,
        running: () => sending,
        // Keep retrying through the restart; after the end, give an unacknowledged batch 30 s more.
        retryUntil: () => stoppedAt + 30_000,
        backoffMs: 100,
      }),
    );
    const started = Date.now();
    await sleep(options.killAfterMs);
    const ackedBeforeKill = ledger.acked.size;
    await proc.kill9();
    const killedAt = Date.now();
    proc = await startProcess({ dataDir, ports, env });
    const restartMs = Date.now() - killedAt;
    // Ingest on after the restart until the planned end, and at least 2 s.
    await sleep(Math.max(2_000, options.ingestMs - (Date.now() - started)));
    sending = false;
    stoppedAt = Date.now();
    await Promise.all(runs);
    for (const g of grpcClients) g.close();
    const ackedAfterRestart = ledger.acked.size - ackedBeforeKill;
    const exitCode = await proc.stop();
    const stored = await storedSpanCounts(dataDir, service);
    return { ...compare(ledger, stored), ledger, stored, ackedBeforeKill, ackedAfterRestart, restartMs, exitCode };
  } finally {
    // On a failure half-way: stop the clients and never leave a server behind.
    [sending, stoppedAt] = [false, 0];
    await proc?.kill9();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type Comparison = Pick<
  CrashReport,
  'lost' | 'phantom' | 'unexplainedDuplicates' | 'duplicates' | 'duplicatedRequests' | 'storedUnacked' | 'unackedMissing'
>;

/** Storage against the books. Used by the overload test too (there: no retries, so no duplicates at all). */
export function compare(ledger: Ledger, stored: Map<string, number>): Comparison {
  const lost = [...ledger.acked].filter((id) => !stored.has(id));
  const phantom: string[] = [];
  const unexplainedDuplicates: string[] = [];
  const duplicated = new Set<string>();
  let storedUnacked = 0;
  for (const [id, count] of stored) {
    const sent = ledger.attempts.get(id) ?? 0;
    if (count > sent) phantom.push(`${id} stored ${count}× but sent ${sent}×`);
    if (count > 1 && sent === 1) unexplainedDuplicates.push(id);
    if (count > 1) duplicated.add(id);
    if (!ledger.acked.has(id)) storedUnacked++;
  }
  let unackedMissing = 0;
  for (const id of ledger.attempts.keys()) if (!ledger.acked.has(id) && !stored.has(id)) unackedMissing++;
  const duplicatedRequests = new Set([...duplicated].map((id) => id.slice(0, 12))).size;
  return { lost, phantom, unexplainedDuplicates, duplicates: duplicated.size, duplicatedRequests, storedUnacked, unackedMissing };
}

export function describeCrash(r: CrashReport): string {
  return [
    `[crash] ${r.ledger.summary()}`,
    `[crash] acked before kill ${r.ackedBeforeKill}, after restart ${r.ackedAfterRestart}; restart took ${r.restartMs} ms; final SIGTERM exit ${r.exitCode}`,
    `[crash] stored ${r.stored.size} distinct ids; lost acked ${r.lost.length}; phantom ${r.phantom.length}; duplicated ids ${r.duplicates} from ${r.duplicatedRequests} retried requests (unexplained ${r.unexplainedDuplicates.length}); stored-but-unacked ${r.storedUnacked}; unacked-and-missing ${r.unackedMissing}`,
  ].join('\n');
}
