/** kill -9 during ~10 s of sustained ingest over OTLP/HTTP and OTLP/gRPC; see crash-scenario.ts. */
import { expect, test } from 'vitest';
import { crashDuringIngest, describeCrash } from './crash-scenario.ts';

test('SIGKILL mid-stream: every acknowledged span survives the restart; duplicates only from retries', async () => {
  const report = await crashDuringIngest({ ingestMs: 10_000, killAfterMs: 5_000, httpClients: 4, grpcClients: 4, spansPerBatch: 50 });
  console.log(describeCrash(report));
  expect(report.ackedBeforeKill, 'the kill must land mid-stream').toBeGreaterThan(0);
  expect(report.ackedAfterRestart, 'ingest must resume after the restart').toBeGreaterThan(0);
  expect(report.lost).toEqual([]);
  expect(report.phantom).toEqual([]);
  expect(report.unexplainedDuplicates).toEqual([]);
  expect(report.ledger.fatal).toEqual([]);
  expect(report.exitCode).toBe(0);
}, 240_000);
