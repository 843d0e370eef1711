import { openDatabase, sql, typed, nanosToDateTime64, type Sql } from '@faultline/storage';
import { Sql as S } from '@faultline/storage';
const raw = (s: string) => new S([s], []);
const db = await openDatabase({ dataDir: process.argv[2]!, clickhouseUrl: '', cluster: '', database: 'faultline', retentionDays: 14, queryTimeoutSeconds: 60, maxResultRows: 1_000_000 });
const N = 40;
const ops = await db.query<{ s: string; o: string }>(sql`SELECT ServiceName AS s, SpanName AS o FROM faultline.spans WHERE toDate(Timestamp) = '2026-12-01' GROUP BY s, o ORDER BY cityHash64(s, o) LIMIT 200`);
const [mm] = await db.query<{ lo: string; hi: string }>(sql`SELECT toString(toUnixTimestamp64Milli(min(Timestamp))) lo, toString(toUnixTimestamp64Milli(max(Timestamp))) hi FROM faultline.spans`);
const lo = Number(mm!.lo), hi = Number(mm!.hi);
const ev = async () => new Map((await db.query<{ event: string; value: string }>(sql`SELECT event, value FROM system.events`)).map((r) => [r.event, Number(r.value)]));
const DT9 = "DateTime64(9, 'UTC')";
function q(i: number, proj: boolean, extra = ''): Sql {
  const op = ops[i % ops.length]!;
  const s0 = lo + ((i * 7919 * 1000003) % (hi - lo - 3_600_000));
  const start = typed(nanosToDateTime64(BigInt(s0) * 1_000_000n), DT9), end = typed(nanosToDateTime64(BigInt(s0 + 3_600_000) * 1_000_000n), DT9);
  return sql`SELECT TraceId, toString(toUnixTimestamp64Nano(Timestamp)) AS k FROM faultline.spans
    WHERE ${proj ? sql`ProjectId = ${typed(1, 'UInt32')} AND` : sql``} toStartOfHour(Timestamp) >= toStartOfHour(${start}) AND toStartOfHour(Timestamp) <= toStartOfHour(${end})
    AND Timestamp >= ${start} AND Timestamp <= ${end} AND ServiceName = ${op.s} AND SpanName = ${op.o}
    ORDER BY Timestamp DESC LIMIT 84 ${raw(extra)}`;
}
const variants: Record<string, (i: number) => Sql> = {
  cur: (i) => q(i, true),
  noProject: (i) => q(i, false),
  threads1: (i) => q(i, true, 'SETTINGS max_threads = 1'),
  noMultiStep: (i) => q(i, true, 'SETTINGS enable_multiple_prewhere_read_steps = 0'),
  noPrewhere: (i) => q(i, true, 'SETTINGS optimize_move_to_prewhere = 0'),
};
for (let rep = 0; rep < 2; rep++) for (const [name, f] of Object.entries(variants)) {
  for (let i = 0; i < 3; i++) await db.query(f(1000 + i));
  const e0 = await ev(); const ws: number[] = [];
  for (let i = 0; i < N; i++) { const t0 = performance.now(); await db.query(f(i)); ws.push(performance.now() - t0); }
  const e1 = await ev(); ws.sort((a, b) => a - b);
  console.log(name.padEnd(12), 'p50', ws[N >> 1]!.toFixed(1), ...['QueryTimeMicroseconds', 'SelectedRows', 'CompressedReadBufferBytes'].map((k) => `${k}=${(((e1.get(k) ?? 0) - (e0.get(k) ?? 0)) / N).toFixed(0)}`));
}
await db.close();
