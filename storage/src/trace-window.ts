import type { Database } from './database.ts';
import { sql, typed, type Sql } from './sql.ts';

/**
 * A trace's extent from trace_index: its first span's start (rounded down to the millisecond) and its last span's
 * end (rounded up), as ClickHouse `DateTime64(3)` text in UTC. Readers of one trace take it as constants, so the
 * lookup runs once per request instead of once per statement.
 */
export interface TraceWindow {
  start: string;
  end: string;
}

const DT3 = "DateTime64(3, 'UTC')";

/** How far outside its spans a trace's log records and error events are looked for. */
const TRACE_MARGIN_MINUTES = 60;

/** The window of a trace; null when the project has no such trace. */
export async function traceWindow(db: Database, projectId: number, traceId: string): Promise<TraceWindow | null> {
  const [row] = await db.query<{ start: string; end: string; n: number | string }>(sql`
    SELECT toString(min(Start)) AS start, toString(max(End)) AS end, count() AS n
    FROM ${db.table('trace_index')} WHERE ProjectId = ${typed(projectId, 'UInt32')} AND TraceId = ${traceId}`);
  return row && Number(row.n) > 0 ? { start: row.start, end: row.end } : null;
}

/**
 * Rows of the window on a table sorted by hour first (spans): the hours are spelled out, as ClickHouse does not
 * derive the key's `toStartOfHour` range from a range on the column.
 */
export function spanHours(w: TraceWindow): Sql {
  const start = typed(w.start, DT3);
  const end = typed(w.end, DT3);
  return sql`toStartOfHour(Timestamp) >= toStartOfHour(${start}) AND toStartOfHour(Timestamp) <= toStartOfHour(${end})
    AND Timestamp >= ${start} AND Timestamp <= ${end}`;
}

/** The window widened by TRACE_MARGIN_MINUTES on both sides, for records written around the trace. */
export function aroundTrace(w: TraceWindow): Sql {
  const margin = typed(TRACE_MARGIN_MINUTES, 'UInt32');
  return sql`Timestamp >= ${typed(w.start, DT3)} - toIntervalMinute(${margin}) AND Timestamp <= ${typed(w.end, DT3)} + toIntervalMinute(${margin})`;
}
