import type { Database } from './database.ts';
import { sql } from './sql.ts';

/** How far back from the newest insert a crash may have cut views short. */
const RECENT_SECONDS = 120;

/**
 * Re-derives `trace_index` from the newest inserted parts of `spans` (embedded storage, at start).
 *
 * An insert writes the spans part and the parts of its views one after another: a kill -9 between them leaves
 * spans that no index row points to (a request that was never acknowledged, but whose spans a search then lists
 * and trace-by-id answers 404 for). The index holds min / max bounds per trace, so writing a trace's bounds again
 * changes nothing: the repair reads the level-0 (freshly inserted, never merged) parts of the last two minutes
 * before the newest one and writes their traces' bounds again, whether or not the last stop was clean. Other
 * views hold sums (rollups), where writing twice would count twice: their last second may be lost (docs/storage.md).
 */
export async function repairTraceIndex(db: Database): Promise<number> {
  if (db.kind !== 'embedded') return 0;
  const parts = sql`SELECT name FROM system.parts
    WHERE database = ${db.databaseName} AND table = 'spans' AND active AND level = 0
      AND modification_time >= (
        SELECT max(modification_time) FROM system.parts WHERE database = ${db.databaseName} AND table = 'spans' AND active
      ) - toIntervalSecond(${RECENT_SECONDS})`;
  const [row] = await db.query<{ n: string | number }>(sql`SELECT count() AS n FROM ${db.table('spans')} WHERE _part IN (${parts})`);
  const rows = Number(row?.n ?? 0);
  if (rows === 0) return 0;
  // The same bounds as trace_index_mv (migrations/0002_spans.sql): change both together.
  await db.command(sql`
    INSERT INTO ${db.table('trace_index')} (ProjectId, TraceId, Start, End)
    SELECT ProjectId, TraceId, min(toDateTime64(Timestamp, 3)),
      max(toDateTime64(addNanoseconds(Timestamp, Duration), 3) + toIntervalMillisecond(1))
    FROM ${db.table('spans')}
    WHERE _part IN (${parts})
    GROUP BY ProjectId, TraceId`);
  return rows;
}
