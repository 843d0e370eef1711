/**
 * Overload: a tiny ingest queue and clients far above the sustainable rate. Every request must be answered with
 * an acknowledgement or a retryable refusal that says when to retry; what was acknowledged is stored exactly
 * once, nothing refused is stored, the process stays up and its memory stays bounded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { compare } from './crash-scenario.ts';
import { type FaultlineProcess, sampleMemory, startProcess, storedSpanCounts } from './faultline-process.ts';
import { Ledger, grpcSender, httpSender, runClient } from './load-clients.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-overload-'));
let proc: FaultlineProcess | undefined;
afterAll(async () => {
  await proc?.kill9();
  rmSync(dataDir, { recursive: true, force: true });
});

const CLIENTS_PER_TRANSPORT = 12;
const SPANS_PER_BATCH = 400;
const RUN_MS = 8_000;
/** Headroom over the idle process: the queue bounds rows, so load may not grow memory much beyond this. */
const MAX_RSS_GROWTH_MB = 768;

test('overload: 2xx or a timed retryable refusal, acknowledged = stored exactly, bounded RSS', async () => {
  const started = await startProcess({
    dataDir,
    env: {
      FAULTLINE_QUEUE_MAX_ROWS: '2000',
      FAULTLINE_BATCH_MAX_ROWS: '1000',
      FAULTLINE_BATCH_MAX_DELAY_MS: '50',
      FAULTLINE_RETRY_AFTER_SECONDS: '1',
    },
  });
  proc = started;
  const idle = started.memory();
  const memory = sampleMemory(started);
  const ledger = new Ledger();
  const service = `overload-${Date.now()}`;
  const grpcClients = Array.from({ length: CLIENTS_PER_TRANSPORT }, () => grpcSender(started.otlpGrpc, started.key));
  const senders = [
    ...Array.from({ length: CLIENTS_PER_TRANSPORT }, () => httpSender(started.otlpHttp, started.key)),
    ...grpcClients.map((g) => g.send),
  ];
  const until = Date.now() + RUN_MS;
  // No retries: a refused batch is dropped, so storage must hold exactly the acknowledged ids.
  await Promise.all(
    senders.map((send, i) =>
      runClient({
        client: i + 1,
        service,
        spansPerBatch: SPANS_PER_BATCH,
        send,
        ledger,
        running: () => Date.now() < until,
        retryUntil: false,
        backoffMs: 10,
      }),
    ),
  );
  for (const g of grpcClients) g.close();
  const { maxRssMb, peakMb } = memory.stop();

  expect((await fetch(`${proc.otlpHttp}/healthz`)).status, 'still up').toBe(200);
  expect(await proc.stop()).toBe(0);
  const stored = await storedSpanCounts(dataDir, service);
  const result = compare(ledger, stored);
  const offered = Math.round((ledger.attempts.size / RUN_MS) * 1000);
  const accepted = Math.round((ledger.acked.size / RUN_MS) * 1000);
  console.log(`[overload] ${ledger.summary()}`);
  console.log(
    `[overload] offered ${offered} spans/s, acknowledged ${accepted} spans/s; stored ${stored.size}; RSS idle ${idle?.rssMb} MB, max ${maxRssMb} MB, VmHWM ${peakMb} MB`,
  );

  const labels = [...ledger.answers.keys()];
  expect(
    labels.filter((l) => !['http 200', 'http 503', 'http 429', 'grpc 0', 'grpc 14', 'grpc 8'].includes(l)),
    'only acks and retryable refusals',
  ).toEqual([]);
  expect(ledger.fatal).toEqual([]);
  expect(ledger.untimedRefusals, 'every refusal says when to retry').toBe(0);
  expect(ledger.droppedBatches, 'the run must actually overload the collector').toBeGreaterThan(0);
  expect(ledger.acked.size).toBeGreaterThan(0);
  expect(result.lost).toEqual([]);
  expect(result.phantom).toEqual([]);
  expect(result.storedUnacked, 'refused spans must not be stored').toBe(0);
  expect(result.duplicates).toBe(0);
  expect(maxRssMb - (idle?.rssMb ?? 0)).toBeLessThan(MAX_RSS_GROWTH_MB);
}, 180_000);
