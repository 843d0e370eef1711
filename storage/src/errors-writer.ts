import type { ErrorEvent, SessionUpdate } from '@faultline/proto';
import type { Database } from './database.ts';
import { millisToDateTime64, nanosToDateTime64 } from './time.ts';

/** What grouping decided for an event (computed by the collector). */
export interface EventGrouping {
  issueId: string;
  fingerprint: string;
  strategy: string;
  title: string;
  culprit: string;
  type: string;
  value: string;
}

/** '' for an absent or empty object: most events have no extra or modules, and '' costs nothing to store. */
function jsonOrEmpty(v: Record<string, unknown> | undefined): string {
  return v && Object.keys(v).length > 0 ? JSON.stringify(v) : '';
}

export function errorEventRow(projectId: number, event: ErrorEvent, grouping: EventGrouping): Record<string, unknown> {
  const user = event.user;
  return {
    ProjectId: projectId,
    Timestamp: nanosToDateTime64(event.timeUnixNano),
    EventId: event.eventId,
    IssueId: grouping.issueId,
    Fingerprint: grouping.fingerprint,
    GroupingStrategy: grouping.strategy,
    Level: event.level,
    Platform: event.platform,
    SdkName: event.sdk.name,
    SdkVersion: event.sdk.version,
    Source: event.source,
    Title: grouping.title,
    Culprit: grouping.culprit,
    ExceptionType: grouping.type,
    ExceptionValue: grouping.value,
    Message: event.message,
    Exceptions: JSON.stringify(event.exceptions),
    Contexts: JSON.stringify(event.contexts),
    Breadcrumbs: JSON.stringify(event.breadcrumbs),
    Request: event.request ? JSON.stringify(event.request) : '',
    Extra: jsonOrEmpty(event.extra),
    Modules: jsonOrEmpty(event.modules),
    Release: event.release,
    Environment: event.environment,
    ServerName: event.serverName,
    ServiceName: event.serviceName,
    Transaction: event.transaction,
    UserId: user.id,
    UserEmail: user.email,
    UserName: user.username,
    UserIp: user.ipAddress,
    UserKey: user.id || user.email || user.ipAddress,
    Tags: event.tags,
    TraceId: event.traceId,
    SpanId: event.spanId,
  };
}

export async function insertErrorEvents(db: Database, rows: readonly Record<string, unknown>[]): Promise<void> {
  await db.insert('error_events', rows);
}

/** A Sentry session update (release health). */
export function sessionRow(projectId: number, s: SessionUpdate): Record<string, unknown> {
  return {
    ProjectId: projectId,
    Timestamp: millisToDateTime64(s.timestampMs),
    Started: millisToDateTime64(s.startedMs),
    SessionId: s.sessionId,
    DistinctId: s.distinctId,
    Status: s.status,
    Errors: s.errors,
    Release: s.release,
    Environment: s.environment,
    Init: s.init,
    Quantity: s.quantity,
  };
}

export async function insertSessions(db: Database, rows: readonly Record<string, unknown>[]): Promise<void> {
  await db.insert('sessions', rows);
}
