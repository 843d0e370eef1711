import { decodeAttributes, type ApiAttributeValue } from './attributes.ts';
import type { Database } from './database.ts';
import { sql, typed } from './sql.ts';
import { within, type TraceWindow } from './trace-window.ts';

export interface TraceLog {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  spanId: string;
  severityText: string;
  severityNumber: number;
  serviceName: string;
  eventName: string;
  /** The body with its OTLP type: a string, number, boolean, array or map. */
  body: ApiAttributeValue;
  /** The body was longer than MAX_BODY_CHARS: `body` is then its first characters, as text. */
  bodyTruncated: boolean;
  attributes: Record<string, ApiAttributeValue>;
}

/**
 * Characters of a body returned by the readers. The collector stores bodies whole (a body is not an attribute, so
 * the attribute length limit does not cut it); a list of records must not grow with them.
 */
export const MAX_BODY_CHARS = 16_384;

export interface LogRowOut {
  TimeNs: string;
  ObservedNs: string;
  SpanId: string;
  SeverityText: string;
  SeverityNumber: number;
  ServiceName: string;
  EventName: string;
  BodyText: string;
  BodyCut: number | boolean;
  BodyType: string;
  LogAttributes: Record<string, string>;
  LogAttributeTypes: Record<string, string>;
}

export function toTraceLog(r: LogRowOut): TraceLog {
  const cut = r.BodyCut === true || Number(r.BodyCut) === 1;
  return {
    timeUnixNano: r.TimeNs,
    observedTimeUnixNano: r.ObservedNs,
    spanId: r.SpanId,
    severityText: r.SeverityText,
    severityNumber: Number(r.SeverityNumber),
    serviceName: r.ServiceName,
    eventName: r.EventName,
    // Bodies use the attribute encoding; a plain string body is stored with type 'string', which means "no type".
    // A cut body is no longer valid JSON, so it stays text.
    body: cut ? r.BodyText : (decodeAttributes({ body: r.BodyText }, r.BodyType === 'string' ? {} : { body: r.BodyType }).body ?? r.BodyText),
    bodyTruncated: cut,
    attributes: decodeAttributes(r.LogAttributes, r.LogAttributeTypes),
  };
}

/** The columns `toTraceLog` reads. */
export const LOG_COLUMNS = sql`toString(toUnixTimestamp64Nano(Timestamp)) AS TimeNs, toString(toUnixTimestamp64Nano(ObservedTimestamp)) AS ObservedNs,
  SpanId, SeverityText, SeverityNumber, ServiceName, EventName,
  substringUTF8(Body, 1, ${typed(MAX_BODY_CHARS, 'UInt32')}) AS BodyText, lengthUTF8(Body) > ${typed(MAX_BODY_CHARS, 'UInt32')} AS BodyCut,
  BodyType, LogAttributes, LogAttributeTypes`;

/**
 * Log records carrying this trace id, oldest first, at most `maxLogs` (plus whether more exist). They are found
 * through the bloom filter on `TraceId` inside `window`, their extent from trace_index (`traceExtent(…).logs`), which
 * keeps the read from visiting every day of retention.
 */
export async function logsForTrace(
  db: Database,
  projectId: number,
  traceId: string,
  maxLogs: number,
  window: TraceWindow,
): Promise<{ logs: TraceLog[]; truncated: boolean }> {
  const rows = await db.query<LogRowOut>(
    sql`SELECT ${LOG_COLUMNS}
      FROM ${db.table('logs')}
      WHERE ProjectId = ${typed(projectId, 'UInt32')} AND TraceId = ${traceId} AND ${within(window)}
      ORDER BY Timestamp, ObservedTimestamp, SpanId
      LIMIT ${typed(maxLogs + 1, 'UInt32')}`,
    { max_result_rows: String(maxLogs + 2) },
  );
  const logs = rows.slice(0, maxLogs).map(toTraceLog);
  return { logs, truncated: rows.length > maxLogs };
}
