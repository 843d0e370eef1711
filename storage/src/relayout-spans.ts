import type { Database } from './database.ts';
import { sql } from './sql.ts';

/**
 * Installs created before spans were sorted by trace (migration 0002 changed in place, since ClickHouse cannot
 * change a sorting key) get their spans copied into the current layout on start. Each step is safe to repeat:
 * a crash before the exchange starts the copy again, a crash after it only recreates views and drops the copy.
 *
 * Only single-node databases are converted; a cluster needs the documented manual procedure
 * (docs/storage.md), since the copy must run per shard with ingest stopped.
 */
export async function relayoutSpans(db: Database, statements: readonly string[]): Promise<'current' | 'converted' | 'skipped'> {
  if (db.options.cluster) return 'skipped';
  const database = db.databaseName;
  const rows = await db.query<{ key: string }>(
    sql`SELECT sorting_key AS key FROM system.tables WHERE database = ${database} AND name = 'spans'`,
  );
  const key = rows[0]?.key;
  if (key === undefined) return 'skipped';
  const create = statements.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS \`${database}\`.spans `));
  if (!create) throw new Error('the spans table definition is missing from the migrations');
  const views = viewsReadingSpans(statements, database);
  const staging = `\`${database}\`.spans_relayout`;
  const converted = !isCurrentLayout(key);
  if (converted) {
    // Views are dropped first so rows copied into the new table are not counted a second time.
    for (const view of views) await db.command(`DROP VIEW IF EXISTS ${view.name}`);
    await db.command(`DROP TABLE IF EXISTS ${staging}`);
    await db.command(create.replace(`\`${database}\`.spans `, `${staging} `));
    await db.command(`INSERT INTO ${staging} SELECT * FROM \`${database}\`.spans`, { max_insert_threads: '2' });
    await db.command(`EXCHANGE TABLES \`${database}\`.spans AND ${staging}`);
  }
  for (const view of views) await db.command(view.statement);
  await db.command(`DROP TABLE IF EXISTS ${staging}`);
  return converted ? 'converted' : 'current';
}

export function isCurrentLayout(sortingKey: string): boolean {
  return /^ProjectId, toStartOfHour\(Timestamp\), TraceId/.test(sortingKey);
}

function viewsReadingSpans(statements: readonly string[], database: string): Array<{ name: string; statement: string }> {
  const out: Array<{ name: string; statement: string }> = [];
  const reads = new RegExp(`FROM \`${database.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`\\.spans(?!\\w)`);
  for (const statement of statements) {
    const view = /^CREATE MATERIALIZED VIEW IF NOT EXISTS (`[^`]+`\.\w+)/.exec(statement);
    if (view && reads.test(statement)) out.push({ name: view[1] as string, statement });
  }
  return out;
}
