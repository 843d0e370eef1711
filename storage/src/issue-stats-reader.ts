import type { Database } from './database.ts';
import { sql, typed } from './sql.ts';

/** Hourly-or-coarser event counts of one or more issues (sparklines), buckets with no events included. */
export async function issueSeries(
  db: Database,
  projectId: number,
  issueIds: readonly string[],
  startMs: number,
  endMs: number,
  stepSeconds: number,
): Promise<Map<string, Array<{ time: string; events: number; users: number }>>> {
  const step = typed(stepSeconds, 'UInt32');
  const rows = await db.query<{ issueId: string; t: number; events: number; users: number }>(sql`
    SELECT IssueId AS issueId, toUInt32(toStartOfInterval(Hour, toIntervalSecond(${step}))) AS t,
      toUInt64(sum(Events)) AS events, toUInt64(uniqMerge(Users)) AS users
    FROM ${db.table('issue_hourly')}
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND IssueId IN ${[...issueIds]}
      AND Hour >= toStartOfHour(toDateTime(intDiv(${typed(startMs, 'Int64')}, 1000), 'UTC'))
      AND Hour <= toDateTime(intDiv(${typed(endMs, 'Int64')}, 1000), 'UTC')
    GROUP BY IssueId, t`);
  const first = Math.floor(startMs / 1000 / stepSeconds) * stepSeconds;
  const count = Math.max(1, Math.ceil((endMs / 1000 - first) / stepSeconds));
  const out = new Map<string, Array<{ time: string; events: number; users: number }>>();
  for (const id of issueIds) {
    out.set(id, Array.from({ length: count }, (_, i) => ({ time: new Date((first + i * stepSeconds) * 1000).toISOString(), events: 0, users: 0 })));
  }
  for (const r of rows) {
    const bucket = out.get(r.issueId)?.[Math.floor((r.t - first) / stepSeconds)];
    if (bucket) {
      bucket.events = r.events;
      bucket.users = r.users;
    }
  }
  return out;
}

/** Top values per tag key of an issue's events (plus release, environment, service and level). */
export async function issueTags(db: Database, projectId: number, issueId: string, topN: number): Promise<Array<{ key: string; total: number; values: Array<{ value: string; count: number }> }>> {
  const rows = await db.query<{ key: string; value: string; count: number; total: number }>(sql`
    SELECT key, value, toUInt64(count()) AS count, toUInt64(sum(count()) OVER (PARTITION BY key)) AS total
    FROM (
      SELECT arrayJoin(arrayConcat(
        arrayZip(mapKeys(Tags), mapValues(Tags)),
        [('release', toString(Release)), ('environment', toString(Environment)), ('service', toString(ServiceName)), ('level', toString(Level))]
      )) AS kv, kv.1 AS key, kv.2 AS value
      FROM ${db.table('error_events')}
      WHERE ProjectId = ${typed(projectId, 'UInt32')} AND IssueId = ${issueId}
    )
    WHERE value != ''
    GROUP BY key, value
    ORDER BY key, count DESC, value
    LIMIT ${typed(topN, 'UInt32')} BY key`);
  const byKey = new Map<string, { key: string; total: number; values: Array<{ value: string; count: number }> }>();
  for (const r of rows) {
    const entry = byKey.get(r.key) ?? { key: r.key, total: r.total, values: [] };
    entry.values.push({ value: r.value, count: r.count });
    byKey.set(r.key, entry);
  }
  return [...byKey.values()];
}
