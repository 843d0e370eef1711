/**
 * Cluster layout (FAULTLINE_CLICKHOUSE_CLUSTER): our migrations are written for one node; this turns each
 * statement into its cluster form.
 * - Telemetry tables become `<name>_local` (Replicated, one replica set per shard) plus a Distributed table
 *   under the original name, sharded so that what is aggregated together lives together: spans and the
 *   trace index by trace id, error events and issue aggregates by issue id, the rest at random.
 * - Small administrative tables are replicated to every node of every shard (a replication path without
 *   `{shard}`), since each node must see every project, key, token and workflow state.
 * - Materialized views read and write the local tables; reads and inserts go through the Distributed ones.
 * - Columns added to a telemetry table are added to its local and its Distributed table; storage settings,
 *   TTLs and sorting keys go to the local table only.
 */
export const GLOBAL_TABLES = new Set(['projects', 'ingest_keys', 'api_tokens', 'issue_status', 'issue_activity', 'schema_migrations', 'source_files', 'alert_rules', 'alert_firings', 'saved_searches']);

const SHARD_KEYS: Record<string, string> = {
  spans: 'cityHash64(TraceId)',
  trace_index: 'cityHash64(TraceId)',
  logs: 'cityHash64(TraceId)',
  error_events: 'cityHash64(IssueId)',
  issue_stats: 'cityHash64(IssueId)',
  issue_hourly: 'cityHash64(IssueId)',
};

const CREATE_TABLE = /^CREATE TABLE IF NOT EXISTS `([^`]+)`\.(\w+) ON CLUSTER `([^`]+)`/;
const ENGINE = /ENGINE = Replicated(\w*)MergeTree(?:\(([^)]*)\))?/;
const ALTER_TABLE = /^ALTER TABLE `([^`]+)`\.(\w+) ON CLUSTER `([^`]+)`/;
const VIEW = /^CREATE MATERIALIZED VIEW IF NOT EXISTS `([^`]+)`\.(\w+) ON CLUSTER `([^`]+)` TO `[^`]+`\.(\w+)/;

/** Buffer tables (migration 0013) are per node: each buffers what its node's views write into its shard. */
function isBuffer(table: string): boolean {
  return table.endsWith('_buffer');
}

function localName(table: string): string {
  return GLOBAL_TABLES.has(table) || isBuffer(table) ? table : `${table}_local`;
}

/** A node-local Buffer table in front of the shard's local table (not a Distributed one). */
function bufferTable(statement: string, db: string): string {
  return statement
    .replace(/ AS `([^`]+)`\.(\w+)/, (_m, d: string, t: string) => ` AS \`${d}\`.${localName(t)}`)
    .replace(/Buffer\(`([^`]+)`, (\w+),/, (_m, d: string, t: string) => (d === db ? `Buffer(\`${d}\`, ${localName(t)},` : _m));
}

function createTable(statement: string, db: string, table: string, cluster: string): string[] {
  if (GLOBAL_TABLES.has(table)) {
    return [
      statement.replace(ENGINE, (_m, kind: string, args: string | undefined) => {
        const rest = args ? `, ${args}` : '';
        return `ENGINE = Replicated${kind}MergeTree('/clickhouse/tables/{database}/${table}/global', '{replica}'${rest})`;
      }),
    ];
  }
  const local = statement.replace(CREATE_TABLE, `CREATE TABLE IF NOT EXISTS \`${db}\`.${table}_local ON CLUSTER \`${cluster}\``);
  const distributed = `CREATE TABLE IF NOT EXISTS \`${db}\`.${table} ON CLUSTER \`${cluster}\` AS \`${db}\`.${table}_local ENGINE = Distributed(\`${cluster}\`, \`${db}\`, ${table}_local, ${SHARD_KEYS[table] ?? 'rand()'})`;
  return [local, distributed];
}

function createView(statement: string, db: string): string {
  // Source and target of a view are the shard-local tables.
  return statement
    .replace(/ TO `([^`]+)`\.(\w+)/, (_m, d: string, t: string) => ` TO \`${d}\`.${localName(t)}`)
    .replace(/FROM `([^`]+)`\.(\w+)/g, (_m, d: string, t: string) => (d === db ? `FROM \`${d}\`.${localName(t)}` : _m));
}

/** The cluster form of one single-node statement (already macro-expanded with ON CLUSTER and Replicated). */
export function clusterize(statement: string): string[] {
  const table = CREATE_TABLE.exec(statement);
  if (table && isBuffer(table[2] as string)) return [bufferTable(statement, table[1] as string)];
  if (table) return createTable(statement, table[1] as string, table[2] as string, table[3] as string);
  const view = VIEW.exec(statement);
  if (view) return [createView(statement, view[1] as string)];
  // A column added to a sharded table goes to the shards' tables first, then to the Distributed one in front.
  const alter = ALTER_TABLE.exec(statement);
  if (alter && localName(alter[2] as string) !== alter[2]) {
    const [, db, name, cluster] = alter as unknown as [string, string, string, string];
    const local = statement.replace(ALTER_TABLE, `ALTER TABLE \`${db}\`.${name}_local ON CLUSTER \`${cluster}\``);
    // Storage settings and TTLs belong to the shards' MergeTree tables; a Distributed table has neither. A column
    // appended to the sorting key is added to both, the key changed on the shards only.
    if (/\bMODIFY (SETTING|TTL)\b/.test(statement)) return [local];
    return [local, statement.replace(/, MODIFY ORDER BY \([^)]*\)/, '')];
  }
  return [statement];
}

/** The table a TTL change must go to in the cluster layout. */
export function ttlTarget(table: string, cluster: string): string {
  return cluster ? localName(table) : table;
}
