import { attributeEquals, decodeAttributes, type ApiAttributeValue } from './attributes.ts';
import type { Database } from './database.ts';
import { LOG_COLUMNS, toTraceLog, type LogRowOut, type TraceLog } from './logs-reader.ts';
import { INT64_MAX, UINT64_MAX, join, sql, typed, type Sql } from './sql.ts';
import { nanosToDateTime64 } from './time.ts';

/** Which records: shared by the search and the histogram. */
export interface LogFilter {
  projectId: number;
  /** Unix nanoseconds, inclusive. */
  startNs: bigint;
  endNs: bigint;
  service?: string;
  /** Records at this OTLP severity number or above (9 = info, 13 = warn, 17 = error). */
  minSeverity?: number;
  /** Case-insensitive substring of the body. */
  text?: string;
  traceId?: string;
  /** Equality on a record attribute or, failing that, a resource attribute. */
  attributes: Array<{ key: string; value: string }>;
}

export interface LogQuery extends LogFilter {
  cursor?: string;
  limit: number;
}

export interface LogEntry extends TraceLog {
  traceId: string;
  resource: Record<string, ApiAttributeValue>;
}

export class InvalidLogCursorError extends Error {}

const DT9 = "DateTime64(9, 'UTC')";

/** Pages are ordered by time, then by a fingerprint of the record, newest first: the cursor is the last pair. */
function decodeCursor(raw: string): { t: string; f: string } {
  const m = /^(\d{1,20})\.(\d{1,20})$/.exec(raw);
  if (!m?.[1] || !m[2] || BigInt(m[1]) > INT64_MAX || BigInt(m[2]) > UINT64_MAX) throw new InvalidLogCursorError('cursor is not one this API returned');
  return { t: m[1], f: m[2] };
}

const FINGERPRINT = sql`cityHash64(TraceId, SpanId, Body, toUnixTimestamp64Nano(ObservedTimestamp), ServiceName)`;

/** The WHERE conditions of a filter (every log reader builds them here, nowhere else). */
export function logFilterConditions(q: LogFilter): Sql[] {
  const where: Sql[] = [
    sql`ProjectId = ${typed(q.projectId, 'UInt32')}`,
    sql`Timestamp >= ${typed(nanosToDateTime64(q.startNs), DT9)} AND Timestamp <= ${typed(nanosToDateTime64(q.endNs), DT9)}`,
  ];
  if (q.service !== undefined) where.push(sql`ServiceName = ${q.service}`);
  if (q.minSeverity !== undefined) where.push(sql`SeverityNumber >= ${typed(q.minSeverity, 'UInt8')}`);
  if (q.text !== undefined) where.push(sql`positionCaseInsensitiveUTF8(Body, ${q.text}) > 0`);
  if (q.traceId !== undefined) where.push(sql`TraceId = ${q.traceId}`);
  for (const { key, value } of q.attributes) {
    where.push(sql`(${attributeEquals(sql`LogAttributes`, key, value)} OR ${attributeEquals(sql`ResourceAttributes`, key, value)})`);
  }
  return where;
}

function filters(q: LogQuery): Sql[] {
  const where = logFilterConditions(q);
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor);
    where.push(sql`(toUnixTimestamp64Nano(Timestamp), ${FINGERPRINT}) < (${typed(c.t, 'Int64')}, ${typed(c.f, 'UInt64')})`);
  }
  return where;
}

/** Log records of a time range, newest first, every filter applied before the limit; `nextCursor` pages on. */
export async function searchLogs(db: Database, q: LogQuery): Promise<{ logs: LogEntry[]; nextCursor: string | null }> {
  const rows = await db.query<
    LogRowOut & { TraceId: string; ResourceAttributes: Record<string, string>; ResourceAttributeTypes: Record<string, string>; Fp: string }
  >(sql`
    SELECT ${LOG_COLUMNS}, TraceId, ResourceAttributes, ResourceAttributeTypes, toString(${FINGERPRINT}) AS Fp
    FROM ${db.table('logs')}
    WHERE ${join(filters(q), ' AND ')}
    ORDER BY Timestamp DESC, ${FINGERPRINT} DESC
    LIMIT ${typed(q.limit + 1, 'UInt32')}`);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    logs: page.map((r) => ({
      ...toTraceLog(r),
      traceId: r.TraceId,
      resource: decodeAttributes(r.ResourceAttributes, r.ResourceAttributeTypes),
    })),
    nextCursor: rows.length > q.limit && last ? `${last.TimeNs}.${last.Fp}` : null,
  };
}
