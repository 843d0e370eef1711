// The conditions an issue search turns into (issues-reader.ts): event fields and tags by their Sentry names,
// issue-field comparisons, and the counts of a release or environment scope.
import type { Database } from './database.ts';
import type { IssueQuery } from './issues-reader.ts';
import { join, sql, typed, type Sql } from './sql.ts';
import { millisToDateTime64 } from './time.ts';

export type Comparison = '=' | '>' | '>=' | '<' | '<=';

/** A whitelisted comparison operator as SQL (the operand is always a parameter). */
export function compare(left: Sql, op: Comparison, right: unknown): Sql {
  switch (op) {
    case '>':
      return sql`${left} > ${right}`;
    case '>=':
      return sql`${left} >= ${right}`;
    case '<':
      return sql`${left} < ${right}`;
    case '<=':
      return sql`${left} <= ${right}`;
    default:
      return sql`${left} = ${right}`;
  }
}

/** The event columns that the tags list shows beside the SDK's tags (as `issueTags` does). */
const TAG_COLUMNS: Record<string, Sql> = {
  release: sql`Release`,
  environment: sql`Environment`,
  service: sql`ServiceName`,
  level: sql`toString(Level)`,
};

/** Event fields searchable by their Sentry names (not listed as tags). */
const FIELD_COLUMNS: Record<string, Sql> = {
  ...TAG_COLUMNS,
  'user.id': sql`UserId`,
  'user.email': sql`UserEmail`,
  'user.username': sql`UserName`,
  'user.ip': sql`UserIp`,
  user: sql`UserKey`,
  transaction: sql`Transaction`,
  'error.type': sql`ExceptionType`,
  'error.value': sql`ExceptionValue`,
  server_name: sql`ServerName`,
  platform: sql`toString(Platform)`,
  'sdk.name': sql`toString(SdkName)`,
  'sdk.version': sql`toString(SdkVersion)`,
  'trace.id': sql`TraceId`,
  trace: sql`TraceId`,
};

function fieldOf(key: string): Sql {
  const column = Object.hasOwn(FIELD_COLUMNS, key) ? FIELD_COLUMNS[key] : undefined;
  return column ?? sql`Tags[${key}]`;
}

/** `*` in a value matches any text (Sentry's wildcard); everything else is literal. */
export function eventTag(t: { key: string; value: string }): Sql {
  if (!t.value.includes('*')) return sql`${fieldOf(t.key)} = ${t.value}`;
  const pattern = t.value.replace(/[\\%_]/g, (c) => `\\${c}`).replaceAll('*', '%');
  return sql`${fieldOf(t.key)} LIKE ${pattern}`;
}

export function eventHas(key: string): Sql {
  return Object.hasOwn(FIELD_COLUMNS, key) ? sql`${fieldOf(key)} != ''` : sql`mapContains(Tags, ${key})`;
}

/**
 * The counts an issue list shows. Filtered by release or environment they are that scope's (as Sentry's are): events,
 * users, first and last seen of the issue's events there, read from error_events; only issues with such events
 * are listed. Otherwise they are the issue's totals from issue_stats. A period (Sentry's time range) then counts
 * events and users in it alone and lists only the issues with events in it; first and last seen stay the issue's.
 */
export function countsScope(db: Database, q: IssueQuery): { columns: Sql; join: Sql } {
  const project = typed(q.projectId, 'UInt32');
  const joins: Sql[] = [];
  let counts = sql`allCount AS count, allUsers AS userCount`;
  let seen = sql`allFirstSeen AS firstSeenRaw, allLastSeen AS lastSeenRaw`;
  if (q.release || q.environment) {
    joins.push(sql`INNER JOIN (
      SELECT IssueId, toUInt64(count()) AS events, toUInt64(uniqIf(UserKey, UserKey != '')) AS users, min(Timestamp) AS first, max(Timestamp) AS last
      FROM ${db.table('error_events')} WHERE ${join([sql`ProjectId = ${project}`, ...scopeConditions(q)], ' AND ')} GROUP BY IssueId
    ) AS sc ON sc.IssueId = s.IssueId`);
    counts = sql`sc.events AS count, sc.users AS userCount`;
    seen = sql`sc.first AS firstSeenRaw, sc.last AS lastSeenRaw`;
  }
  if (q.period) {
    joins.push(sql`INNER JOIN (${periodCounts(db, q, q.period)}) AS pc ON pc.IssueId = s.IssueId`);
    counts = sql`pc.events AS count, pc.users AS userCount`;
  }
  return { columns: sql`${counts}, ${seen}`, join: join(joins, '\n') };
}

function scopeConditions(q: IssueQuery): Sql[] {
  const where: Sql[] = [];
  if (q.release) where.push(sql`Release = ${q.release}`);
  if (q.environment) where.push(sql`Environment = ${q.environment}`);
  return where;
}

const HOUR_MS = 3_600_000;

/**
 * Events and users per issue in [startMs, endMs]: the whole hours from issue_hourly, the partial hours at both
 * ends from error_events (so the counts are exact without reading every event of a long range). The hourly
 * user states merge with the events' own, so a user seen in both counts once.
 */
function periodCounts(db: Database, q: IssueQuery, period: { startMs: number; endMs: number }): Sql {
  const project = typed(q.projectId, 'UInt32');
  const scope = scopeConditions(q);
  const wholeStart = Math.ceil(period.startMs / HOUR_MS) * HOUR_MS;
  const wholeEnd = Math.floor((period.endMs + 1) / HOUR_MS) * HOUR_MS;
  const dt3 = (ms: number) => typed(millisToDateTime64(ms), "DateTime64(3, 'UTC')");
  const events = [sql`ProjectId = ${project}`, sql`Timestamp >= ${dt3(period.startMs)}`, sql`Timestamp <= ${dt3(period.endMs)}`, ...scope];
  const parts: Sql[] = [];
  if (wholeEnd > wholeStart) {
    const hourBounds = sql`Hour >= toDateTime(${typed(wholeStart / 1000, 'UInt32')}, 'UTC') AND Hour < toDateTime(${typed(wholeEnd / 1000, 'UInt32')}, 'UTC')`;
    parts.push(sql`SELECT IssueId, sum(Events) AS events, uniqMergeState(Users) AS users
      FROM ${db.table('issue_hourly')} WHERE ${join([sql`ProjectId = ${project}`, hourBounds, ...scope], ' AND ')} GROUP BY IssueId`);
    events.push(sql`NOT (Timestamp >= ${dt3(wholeStart)} AND Timestamp < ${dt3(wholeEnd)})`);
  }
  parts.push(sql`SELECT IssueId, toUInt64(count()) AS events, CAST(uniqIfState(UserKey, UserKey != ''), 'AggregateFunction(uniq, String)') AS users
    FROM ${db.table('error_events')} WHERE ${join(events, ' AND ')} GROUP BY IssueId`);
  return sql`SELECT IssueId, toUInt64(sum(events)) AS events, toUInt64(uniqMerge(users)) AS users
    FROM (${join(parts, ' UNION ALL ')}) GROUP BY IssueId`;
}
