// The conditions an issue search turns into (issues-reader.ts): event fields and tags by their Sentry names,
// issue-field comparisons, and the counts of a release or environment scope.
import type { Database } from './database.ts';
import type { IssueQuery } from './issues-reader.ts';
import { join, sql, typed, type Sql } from './sql.ts';

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
 * are listed. Otherwise they are the issue's totals from issue_stats.
 */
export function countsScope(db: Database, q: IssueQuery): { columns: Sql; join: Sql } {
  if (!q.release && !q.environment) {
    return {
      columns: sql`allCount AS count, allUsers AS userCount, allFirstSeen AS firstSeenRaw, allLastSeen AS lastSeenRaw`,
      join: sql``,
    };
  }
  const where: Sql[] = [sql`ProjectId = ${typed(q.projectId, 'UInt32')}`];
  if (q.release) where.push(sql`Release = ${q.release}`);
  if (q.environment) where.push(sql`Environment = ${q.environment}`);
  return {
    columns: sql`sc.events AS count, sc.users AS userCount, sc.first AS firstSeenRaw, sc.last AS lastSeenRaw`,
    join: sql`INNER JOIN (
      SELECT IssueId, toUInt64(count()) AS events, toUInt64(uniqIf(UserKey, UserKey != '')) AS users, min(Timestamp) AS first, max(Timestamp) AS last
      FROM ${db.table('error_events')} WHERE ${join(where, ' AND ')} GROUP BY IssueId
    ) AS sc ON sc.IssueId = s.IssueId`,
  };
}
