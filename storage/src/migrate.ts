import { readdirSync, readFileSync } from 'node:fs';
import { millisToDateTime64 } from './time.ts';
import { join } from 'node:path';
import { clusterize, ttlTarget } from './cluster-ddl.ts';
import { relayoutTables } from './relayout.ts';
import { sql } from './sql.ts';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = join(import.meta.dirname, '..', 'migrations');

export interface Migration {
  version: number;
  name: string;
  statements: string[];
  /** A MergeTree setting the engine must know (`-- requires setting: NAME`); see loadMigrations. */
  requiresSetting?: string;
}

export interface MigrationContext {
  database: string;
  cluster: string;
  retentionDays: number;
  /**
   * Embedded chDB: rollup views write through Buffer tables (every part costs the most there), and migrations
   * marked `-- scope: embedded` apply (they tune what the engine config of `embedded.ts` decides).
   */
  embedded: boolean;
}

/**
 * Expands the few macros our .sql files use. They are code-level names and validated numbers, never
 * request data, so plain substitution is safe here.
 */
export function expandMacros(text: string, ctx: MigrationContext): string {
  if (!Number.isInteger(ctx.retentionDays) || ctx.retentionDays < 1) {
    throw new Error(`retention days must be a positive integer, got ${ctx.retentionDays}`);
  }
  return text
    .replaceAll('{{db}}', `\`${ctx.database}\``)
    .replaceAll('{{on_cluster}}', ctx.cluster ? `ON CLUSTER \`${ctx.cluster}\`` : '')
    .replaceAll('{{replicated}}', ctx.cluster ? 'Replicated' : '')
    .replaceAll('{{ttl_days}}', String(ctx.retentionDays))
    .replaceAll('{{rollup_buffer}}', ctx.embedded ? '_buffer' : '');
}

/**
 * Reads `NNNN_name.sql` files in order; statements end with `;` at the end of a line. A file whose first line is
 * `-- scope: embedded` has no statements on a server or cluster (it is still recorded there, so it never runs
 * later against tables it was not written for). A file whose first line is `-- requires setting: NAME` tunes a
 * MergeTree setting older ClickHouse servers do not have: `migrate` leaves it unapplied and unrecorded on those,
 * so it applies at the first start after the server is upgraded.
 */
export function loadMigrations(ctx: MigrationContext, dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const source = readFileSync(join(dir, file), 'utf8');
      const skip = !ctx.embedded && source.startsWith('-- scope: embedded\n');
      const text = skip ? '' : expandMacros(source, ctx);
      const statements = text
        .split(/;\s*$/m)
        .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
        .filter((s) => s.length > 0)
        .flatMap((s) => (ctx.cluster ? clusterize(s) : [s]));
      const requiresSetting = /^-- requires setting: (\w+)\n/.exec(source)?.[1];
      return { version: Number(file.slice(0, 4)), name: file.slice(5, -4), statements, ...(requiresSetting ? { requiresSetting } : {}) };
    });
}

/**
 * Applies migrations not yet recorded in `schema_migrations`. Statements are idempotent (IF NOT EXISTS), so a
 * crash between a statement and its record only repeats harmless work on the next start.
 */
export async function migrate(db: Database): Promise<number[]> {
  const ctx: MigrationContext = {
    database: db.databaseName,
    cluster: db.options.cluster,
    retentionDays: db.options.retentionDays,
    embedded: db.kind === 'embedded',
  };
  const onCluster = ctx.cluster ? `ON CLUSTER \`${ctx.cluster}\`` : '';
  const ledger = `CREATE TABLE IF NOT EXISTS \`${ctx.database}\`.schema_migrations ${onCluster}
     (Version UInt32, Name String, AppliedAt DateTime64(3, 'UTC'))
     ENGINE = ${ctx.cluster ? 'Replicated' : ''}ReplacingMergeTree ORDER BY Version`;
  for (const statement of ctx.cluster ? clusterize(ledger) : [ledger]) await db.command(statement);
  const done = await db.query<{ Version: number }>(
    sql`SELECT Version FROM ${db.table('schema_migrations')} FINAL`,
  );
  const applied = new Set(done.map((r) => r.Version));
  const newlyApplied: number[] = [];
  const migrations = loadMigrations(ctx);
  const known = await knownSettings(db, migrations.filter((m) => !applied.has(m.version)));
  for (const migration of pendingMigrations(migrations, applied, known)) {
    for (const statement of migration.statements) await db.command(statement);
    await db.insert('schema_migrations', [
      { Version: migration.version, Name: migration.name, AppliedAt: millisToDateTime64(Date.now()) },
    ]);
    newlyApplied.push(migration.version);
  }
  const inForce = migrations.filter((m) => applied.has(m.version) || newlyApplied.includes(m.version));
  await relayoutTables(db, inForce.flatMap((m) => m.statements));
  await applyRetention(db, ctx);
  return newlyApplied;
}

/** The migrations to apply now, in order: not recorded yet, and not waiting for a setting this engine lacks. */
export function pendingMigrations(migrations: readonly Migration[], applied: ReadonlySet<number>, knownSettings: ReadonlySet<string>): Migration[] {
  return migrations.filter((m) => !applied.has(m.version) && (!m.requiresSetting || knownSettings.has(m.requiresSetting)));
}

/** Which of the settings the pending migrations require this engine knows (no query when none requires one). */
async function knownSettings(db: Database, pending: Migration[]): Promise<Set<string>> {
  const names = pending.flatMap((m) => (m.requiresSetting ? [m.requiresSetting] : []));
  if (names.length === 0) return new Set();
  const rows = await db.query<{ name: string }>(sql`SELECT name FROM system.merge_tree_settings WHERE has(${names}, name)`);
  return new Set(rows.map((r) => r.name));
}

/** Raw telemetry expires counting from the later of its own time and its arrival (migration 0022). */
const timeOrArrival = (column: string): string => `greatest(toDateTime(${column}), InsertedAt)`;

/** What each telemetry table's TTL counts from. */
const TTL_TABLES: ReadonlyArray<{ table: 'spans' | 'trace_index' | 'logs' | 'error_events' | 'issue_hourly' | 'metric_points' | 'sessions' | 'user_feedback' | 'span_metrics_1m' | 'span_metrics_1h' | 'service_metrics_1m' | 'service_metrics_1h' | 'service_edges' | 'release_users'; from: string }> = [
  { table: 'spans', from: timeOrArrival('Timestamp') },
  { table: 'error_events', from: timeOrArrival('Timestamp') },
  { table: 'issue_hourly', from: 'toDateTime(Hour)' },
  { table: 'trace_index', from: timeOrArrival('Start') },
  { table: 'logs', from: timeOrArrival('Timestamp') },
  { table: 'metric_points', from: timeOrArrival('Timestamp') },
  { table: 'sessions', from: timeOrArrival('Timestamp') },
  { table: 'user_feedback', from: timeOrArrival('Timestamp') },
  { table: 'span_metrics_1m', from: 'toDateTime(Minute)' },
  { table: 'span_metrics_1h', from: 'toDateTime(Minute)' },
  { table: 'service_metrics_1m', from: 'toDateTime(Minute)' },
  { table: 'service_metrics_1h', from: 'toDateTime(Minute)' },
  { table: 'service_edges', from: 'toDateTime(Minute)' },
  { table: 'release_users', from: 'toDateTime(Hour)' },
];

/** Brings every telemetry table's TTL in line with the configured retention when it changed. */
async function applyRetention(db: Database, ctx: MigrationContext): Promise<void> {
  const rows = await db.query<{ name: string; create_table_query: string }>(
    sql`SELECT name, create_table_query FROM system.tables WHERE database = ${ctx.database}`,
  );
  for (const { table, from } of TTL_TABLES) {
    const target = ttlTarget(table, ctx.cluster);
    const current = rows.find((r) => r.name === target)?.create_table_query ?? '';
    const match = /toIntervalDay\((\d+)\)/.exec(current);
    if (!match || Number(match[1]) === ctx.retentionDays) continue;
    await db.command(
      `ALTER TABLE \`${ctx.database}\`.${target} ${ctx.cluster ? `ON CLUSTER \`${ctx.cluster}\`` : ''}
       MODIFY TTL ${from} + toIntervalDay(${ctx.retentionDays})`,
      // Existing parts get the new TTL too (a background mutation; with ttl_only_drop_parts it drops whole parts).
      { materialize_ttl_after_modify: 1 },
    );
  }
}
