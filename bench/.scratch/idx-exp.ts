import { Session } from 'chdb';
import { buildBatches } from '../lib/raw-insert.ts';
const dir = process.argv[2]!;
const batches = buildBatches({ rows: 60_000, batchRows: 10_000, requests: 32, spansPerRequest: 512, errorRate: 0.02, seed: 1 });
const payloads = batches.map((b) => Buffer.from(b.map((r) => JSON.stringify(r)).join('\n')));
const s = new Session(dir);
const q = (x: string) => s.queryAsync(x, { format: 'CSV' }).then((r) => r.text());
await q('CREATE DATABASE IF NOT EXISTS exp');
const all = ['idx_trace_id','idx_timestamp','idx_res_attr_key','idx_res_attr_value','idx_span_attr_key','idx_span_attr_value','idx_duration'];
for (const keep of ['none', 'none', ...all, 'none', 'all']) {
  await q(`DROP TABLE IF EXISTS exp.t`);
  await q('CREATE TABLE exp.t AS faultline.spans');
  for (const i of all) if (i !== keep && keep !== 'all') await q(`ALTER TABLE exp.t DROP INDEX ${i}`);
  const t0 = performance.now();
  for (const p of payloads) await s.insert({ table: `exp.t`, values: p, format: 'JSONEachRow' });
  const sec = (performance.now() - t0) / 1000;
  console.log('only', keep, Math.round(60000 / sec), 'rows/s');
}
await q('DROP DATABASE exp');
s.close();
