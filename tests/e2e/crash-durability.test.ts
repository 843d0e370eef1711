/**
 * Quick kill -9 durability check for the default suite (~5 s of ingest); the longer run is
 * tests/reliability/crash-durability.reliability.ts (`npm run test:reliability`).
 */
import { expect, test } from 'vitest';
import { crashDuringIngest, describeCrash } from '../reliability/crash-scenario.ts';

test('SIGKILL during ingest loses no acknowledged span', async () => {
  const report = await crashDuringIngest({ ingestMs: 5_000, killAfterMs: 2_500, httpClients: 2, grpcClients: 2, spansPerBatch: 50 });
  console.log(describeCrash(report));
  expect(report.ackedBeforeKill).toBeGreaterThan(0);
  expect(report.ackedAfterRestart).toBeGreaterThan(0);
  expect(report.lost).toEqual([]);
  expect(report.phantom).toEqual([]);
  expect(report.unexplainedDuplicates).toEqual([]);
  expect(report.ledger.fatal).toEqual([]);
}, 120_000);
