import { Session } from 'chdb';
import { buildBatches } from '../lib/raw-insert.ts';
const dir = process.argv[2]!;
const batches = buildBatches({ rows: 100_000, batchRows: 10_000, requests: 32, spansPerRequest: 512, errorRate: 0.02, seed: 1 });
const payloads = batches.map((b) => Buffer.from(b.map((r) => JSON.stringify(r)).join('\n')));
console.log('bytes/row', Math.round(payloads[0]!.length / 10000));
const s = new Session(dir);
const q = (x: string) => s.queryAsync(x, { format: 'CSV' }).then((r) => r.text());
await q('CREATE DATABASE IF NOT EXISTS exp');
const variants: Record<string, string> = {
  full: 'CREATE TABLE exp.full AS faultline.spans',
  noidx: 'CREATE TABLE exp.noidx AS faultline.spans',
  memory_null: 'CREATE TABLE exp.memory_null AS faultline.spans ENGINE = Null',
};
for (const [name, ddl] of Object.entries(variants)) {
  await q(`DROP TABLE IF EXISTS exp.${name}`);
  await q(ddl);
  if (name === 'noidx') for (const i of ['idx_trace_id','idx_timestamp','idx_res_attr_key','idx_res_attr_value','idx_span_attr_key','idx_span_attr_value','idx_duration']) await q(`ALTER TABLE exp.noidx DROP INDEX ${i}`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const p of payloads) await s.insert({ table: `exp.${name}`, values: p, format: 'JSONEachRow' });
  const sec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(name, Math.round(100000 / sec), 'rows/s', 'cpu', ((cpu.user + cpu.system) / 1e6 / sec * 100).toFixed(0) + '%');
}
s.close();
