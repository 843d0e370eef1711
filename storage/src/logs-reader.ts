import { decodeAttributes, type ApiAttributeValue } from './attributes.ts';
import type { Database } from './database.ts';
import { sql, typed } from './sql.ts';

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
  attributes: Record<string, ApiAttributeValue>;
}

interface LogRowOut {
  TimeNs: string;
  ObservedNs: string;
  SpanId: string;
  SeverityText: string;
  SeverityNumber: number;
  ServiceName: string;
  EventName: string;
  Body: string;
  BodyType: string;
  LogAttributes: Record<string, string>;
  LogAttributeTypes: Record<string, string>;
}

/**
 * How far before its first span and after its last one a trace's log records are looked for. Records are found
 * through the bloom filter on `TraceId`; the window only keeps the lookup from visiting every day of retention.
 */
export const TRACE_LOG_MARGIN_MINUTES = 60;

/**
 * Log records carrying this trace id, oldest first, at most `maxLogs` (plus whether more exist). The trace's time
 * window comes from trace_index, so a trace without spans has no logs here either (the trace is unknown).
 */
export async function logsForTrace(
  db: Database,
  projectId: number,
  traceId: string,
  maxLogs: number,
): Promise<{ logs: TraceLog[]; truncated: boolean }> {
  const project = typed(projectId, 'UInt32');
  const margin = typed(TRACE_LOG_MARGIN_MINUTES, 'UInt32');
  const rows = await db.query<LogRowOut>(
    sql`WITH (SELECT (min(Start), max(End)) FROM ${db.table('trace_index')} WHERE ProjectId = ${project} AND TraceId = ${traceId}) AS window
      SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS TimeNs, toString(toUnixTimestamp64Nano(ObservedTimestamp)) AS ObservedNs,
        SpanId, SeverityText, SeverityNumber, ServiceName, EventName, Body, BodyType, LogAttributes, LogAttributeTypes
      FROM ${db.table('logs')}
      WHERE ProjectId = ${project} AND TraceId = ${traceId}
        AND Timestamp >= window.1 - toIntervalMinute(${margin}) AND Timestamp <= window.2 + toIntervalMinute(${margin})
      ORDER BY Timestamp, ObservedTimestamp, SpanId
      LIMIT ${typed(maxLogs + 1, 'UInt32')}`,
    { max_result_rows: String(maxLogs + 2) },
  );
  const logs = rows.slice(0, maxLogs).map((r) => ({
    timeUnixNano: r.TimeNs,
    observedTimeUnixNano: r.ObservedNs,
    spanId: r.SpanId,
    severityText: r.SeverityText,
    severityNumber: Number(r.SeverityNumber),
    serviceName: r.ServiceName,
    eventName: r.EventName,
    // Bodies use the attribute encoding; a plain string body is stored with type 'string', which means "no type".
    body: decodeAttributes({ body: r.Body }, r.BodyType === 'string' ? {} : { body: r.BodyType }).body ?? r.Body,
    attributes: decodeAttributes(r.LogAttributes, r.LogAttributeTypes),
  }));
  return { logs, truncated: rows.length > maxLogs };
}
