import type { Database } from './database.ts';
import { sql, type Sql } from './sql.ts';

/** How far back from the newest insert a crash may have cut views short. */
const RECENT_SECONDS = 120;

/**
 * The tables whose views write trace_index, with the bounds those views write (migrations 0002 and 0027: change
 * both together).
 */
const SOURCES: ReadonlyArray<{ table: 'spans' | 'error_events' | 'logs'; source: string; end: Sql; where: Sql }> = [
  { table: 'spans', source: 'span', end: sql`addNanoseconds(Timestamp, Duration)`, where: sql`1` },
  { table: 'error_events', source: 'error', end: sql`Timestamp`, where: sql`TraceId != ''` },
  { table: 'logs', source: 'log', end: sql`Timestamp`, where: sql`TraceId != ''` },
];

/**
 * Re-derives `trace_index` from the newest inserted parts of `spans`, `error_events` and `logs` (embedded storage,
 * at start); returns how many of their rows it read.
 *
 * An insert writes the table's part and the parts of its views one after another: a kill -9 between them leaves
 * records that no index row points to (a request that was never acknowledged, but whose spans a search then lists
 * and trace-by-id answers 404 for, or whose error events the trace view would not look for). The index holds
 * min / max bounds per trace and source, so writing them again changes nothing: the repair reads the level-0
 * (freshly inserted, never merged) parts of the last two minutes before each table's newest one and writes their
 * traces' bounds again, whether or not the last stop was clean. Other views hold sums (rollups), where writing
 * twice would count twice: their last second may be lost (docs/storage.md).
 */
export async function repairTraceIndex(db: Database): Promise<number> {
  if (db.kind !== 'embedded') return 0;
  let repaired = 0;
  for (const { table, source, end, where } of SOURCES) {
    const parts = sql`SELECT name FROM system.parts
      WHERE database = ${db.databaseName} AND table = ${table} AND active AND level = 0
        AND modification_time >= (
          SELECT max(modification_time) FROM system.parts WHERE database = ${db.databaseName} AND table = ${table} AND active
        ) - toIntervalSecond(${RECENT_SECONDS})`;
    const [row] = await db.query<{ n: string | number }>(sql`SELECT count() AS n FROM ${db.table(table)} WHERE _part IN (${parts})`);
    const rows = Number(row?.n ?? 0);
    if (rows === 0) continue;
    await db.command(sql`
      INSERT INTO ${db.table('trace_index')} (ProjectId, TraceId, Source, Start, End)
      SELECT ProjectId, TraceId, ${source}, min(toDateTime64(Timestamp, 3)), max(toDateTime64(${end}, 3) + toIntervalMillisecond(1))
      FROM ${db.table(table)}
      WHERE _part IN (${parts}) AND ${where}
      GROUP BY ProjectId, TraceId`);
    repaired += rows;
  }
  return repaired;
}
