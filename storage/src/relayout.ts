import type { Database } from './database.ts';
import { ident, sql } from './sql.ts';

/** The rollups holding t-digest states, read by time range (RED, the service map). */
const DIGEST_ROLLUPS = ['span_metrics_1m', 'span_metrics_1h', 'service_metrics_1m', 'service_metrics_1h', 'service_edges'] as const;

/**
 * Tables whose sorting key, partition key or granularity changed after installs existed (their migrations were
 * changed in place, since ClickHouse cannot alter those). `current` recognises the new `key` in system.tables.
 */
export const RELAYOUTS = [
  // Spans sorted by trace within the hour: a trace is one contiguous range, searches read only their hours.
  { table: 'spans', key: 'sorting_key', current: /^ProjectId, toStartOfHour\(Timestamp\), TraceId/ },
  // RED minutes sorted by hour first: the partial hours of a range are read alone, not the whole day.
  { table: 'span_metrics_1m', key: 'sorting_key', current: /^ProjectId, toStartOfHour\(Minute\), ServiceName/ },
  // Service map edges sorted by hour first, for the same reason (a 1 h map at 10M spans: 61 → 25 ms for the edges).
  { table: 'service_edges', key: 'sorting_key', current: /^ProjectId, toStartOfHour\(Minute\), Source/ },
  // The trace index by week instead of by day: a lookup by id visits every part (30 days kept: 9.8 → 5.4 ms).
  { table: 'trace_index', key: 'partition_key', current: /^toMonday\(Start\)$/ },
  // 256-row granules for rows of t-digest states: a range's partial hours decode the rows they need, not whole
  // 8,192-row granules (10M spans: a 24 h services overview 62 → 41 ms; docs/storage.md "Rollup granules").
  ...DIGEST_ROLLUPS.map((table) => ({ table, key: 'engine_full', current: /\bindex_granularity = 256\b/ }) as const),
] as const;

export type RelayoutKey = 'sorting_key' | 'partition_key' | 'engine_full';

export type RelayoutOutcome = 'current' | 'converted' | 'skipped';

/**
 * Copies a table of an older install into its current layout on start. Each step is safe to repeat: a crash
 * before the exchange starts the copy again, a crash after it only recreates views and drops the copy.
 * Views reading from the table or writing into it are dropped first (rows copied are not counted a second
 * time) and created again afterwards: a view is bound to the table it had, not to its name.
 *
 * Only single-node databases are converted; a cluster needs the documented manual procedure
 * (docs/storage.md), since the copy must run per shard with ingest stopped. That procedure drops the views of the
 * shard's local table, so on a cluster the views a node lacks are created again here.
 */
export async function relayoutTable(
  db: Database,
  statements: readonly string[],
  table: string,
  current: RegExp,
  keyColumn: RelayoutKey,
): Promise<RelayoutOutcome> {
  const database = db.databaseName;
  if (db.options.cluster) {
    const rows = await db.query<{ name: string }>(sql`SELECT name FROM system.tables WHERE database = ${database} AND engine = 'MaterializedView'`);
    const missing = missingViews(statements, `\`${database}\`.${table}_local`, new Set(rows.map((r) => r.name)));
    for (const statement of missing) await db.command(statement);
    return 'skipped';
  }
  const rows = await db.query<{ key: string }>(sql`SELECT ${ident(keyColumn)} AS key FROM system.tables WHERE database = ${database} AND name = ${table}`);
  const key = rows[0]?.key;
  if (key === undefined) return 'skipped';
  const qualified = `\`${database}\`.${table}`;
  const create = statements.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${qualified} `));
  if (!create) throw new Error(`the ${table} table definition is missing from the migrations`);
  const views = viewsOf(statements, qualified);
  const staging = `${qualified}_relayout`;
  const converted = !current.test(key);
  if (converted) {
    // Rows still in a rollup's Buffer would be flushed into the old table once copied, and lost with it at the
    // exchange (at a real start nothing is buffered yet; a process that inserted first, like a test, has some).
    await db.flushBuffers();
    for (const view of views) await db.command(`DROP VIEW IF EXISTS ${view.name}`);
    await db.command(`DROP TABLE IF EXISTS ${staging}`);
    await db.command(create.replace(`${qualified} `, `${staging} `));
    // What later migrations changed (columns, TTL, settings) is not in the CREATE: the copy gets those changes too.
    for (const alter of statements.filter((s) => s.startsWith(`ALTER TABLE ${qualified} `))) {
      await db.command(alter.replace(`${qualified} `, `${staging} `));
    }
    await db.command(`INSERT INTO ${staging} SELECT * FROM ${qualified}`, { max_insert_threads: '2' });
    await db.command(`EXCHANGE TABLES ${qualified} AND ${staging}`);
  }
  for (const view of views) await db.command(view.statement);
  await db.command(`DROP TABLE IF EXISTS ${staging}`);
  return converted ? 'converted' : 'current';
}

/** Runs every relayout in order (spans first: its views write into the RED minutes). */
export async function relayoutTables(db: Database, statements: readonly string[]): Promise<RelayoutOutcome[]> {
  const outcomes: RelayoutOutcome[] = [];
  for (const r of RELAYOUTS) outcomes.push(await relayoutTable(db, statements, r.table, r.current, r.key));
  return outcomes;
}

/** CREATE statements of the views on `qualified` (reading or writing it) that are not among `existing` names. */
export function missingViews(statements: readonly string[], qualified: string, existing: ReadonlySet<string>): string[] {
  return viewsOf(statements, qualified)
    .filter((v) => !existing.has(v.name.replace(/^`[^`]+`\./, '')))
    .map((v) => v.statement);
}

/**
 * The materialized views that read FROM the table or write TO it, with their CREATE statements. A later
 * migration may define a view again (0013 moved the rollup views onto Buffer tables): its last definition is
 * the one that counts.
 */
function viewsOf(statements: readonly string[], qualified: string): Array<{ name: string; statement: string }> {
  const latest = new Map<string, string>();
  for (const statement of statements) {
    const view = /^CREATE MATERIALIZED VIEW IF NOT EXISTS (`[^`]+`\.\w+)/.exec(statement);
    if (view) latest.set(view[1] as string, statement);
  }
  const touches = new RegExp(`(FROM|TO) ${qualified.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\w)`);
  return [...latest].filter(([, statement]) => touches.test(statement)).map(([name, statement]) => ({ name, statement }));
}
