/**
 * User feedback (Sentry's `feedback` and `user_report` items): rows in, pages out with each entry's issue found
 * through the error event it is about.
 */
import type { UserFeedback } from '@faultline/proto';
import type { Database } from './database.ts';
import { join, sql, typed, type Sql } from './sql.ts';
import { millisToDateTime64 } from './time.ts';

export function feedbackRow(projectId: number, f: UserFeedback): Record<string, unknown> {
  return {
    ProjectId: projectId,
    Timestamp: millisToDateTime64(f.timestampMs),
    FeedbackId: f.feedbackId,
    EventId: f.associatedEventId,
    Name: f.name,
    Email: f.email,
    Message: f.message,
    Url: f.url,
    Source: f.source,
    Release: f.release,
    Environment: f.environment,
    UserId: f.userId,
    TraceId: f.traceId,
    Tags: f.tags,
  };
}

export async function insertFeedback(db: Database, rows: readonly Record<string, unknown>[]): Promise<void> {
  await db.insert('user_feedback', rows);
}

/** A feedback entry as read back: the wire fields under the API's names, with the issue of its event. */
export type StoredFeedback = Omit<UserFeedback, 'feedbackId' | 'timestampMs' | 'associatedEventId'> & {
  id: string;
  /** ISO-8601. */
  timestamp: string;
  /** The error event it is about, '' for general feedback. */
  eventId: string;
  /** That event's issue; null for general feedback or while the event has not arrived. */
  issueId: string | null;
};

export interface FeedbackQuery {
  projectId: number;
  /** Only feedback about events of this issue. */
  issueId?: string;
  startMs?: number;
  endMs?: number;
  limit: number;
}

type Row = Omit<StoredFeedback, 'issueId'>;

function conditions(db: Database, q: FeedbackQuery): Sql[] {
  const project = typed(q.projectId, 'UInt32');
  const where = [sql`ProjectId = ${project}`];
  if (q.startMs !== undefined) where.push(sql`Timestamp >= ${typed(millisToDateTime64(q.startMs), "DateTime64(3, 'UTC')")}`);
  if (q.endMs !== undefined) where.push(sql`Timestamp <= ${typed(millisToDateTime64(q.endMs), "DateTime64(3, 'UTC')")}`);
  if (q.issueId !== undefined) {
    where.push(sql`EventId IN (SELECT EventId FROM ${db.table('error_events')} WHERE ProjectId = ${project} AND IssueId = ${q.issueId})`);
  }
  return where;
}

/** Issue of each event id (events a retry stored twice have one issue). */
async function issuesOf(db: Database, projectId: number, eventIds: string[]): Promise<Map<string, string>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db.query<{ eventId: string; issueId: string }>(sql`
    SELECT EventId AS eventId, any(IssueId) AS issueId FROM ${db.table('error_events')}
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND EventId IN ${eventIds}
    GROUP BY EventId`);
  return new Map(rows.map((r) => [r.eventId, r.issueId]));
}

/** Feedback newest first; a resent entry once. */
export async function listFeedback(db: Database, q: FeedbackQuery): Promise<StoredFeedback[]> {
  const rows = await db.query<Row>(sql`
    SELECT FeedbackId AS id, formatDateTime(Timestamp, '%Y-%m-%dT%H:%i:%S.%fZ') AS timestamp, EventId AS eventId, Name AS name,
      Email AS email, Message AS message, Url AS url, toString(Source) AS source, toString(Release) AS release,
      toString(Environment) AS environment, UserId AS userId, TraceId AS traceId, Tags AS tags
    FROM ${db.table('user_feedback')}
    WHERE ${join(conditions(db, q), ' AND ')}
    ORDER BY Timestamp DESC, FeedbackId DESC
    LIMIT 1 BY FeedbackId
    LIMIT ${typed(q.limit, 'UInt32')}`);
  const issues =
    q.issueId !== undefined ? null : await issuesOf(db, q.projectId, [...new Set(rows.map((r) => r.eventId).filter((id) => id !== ''))]);
  return rows.map((r) => ({ ...r, issueId: r.eventId === '' ? null : issues ? (issues.get(r.eventId) ?? null) : (q.issueId ?? null) }));
}
