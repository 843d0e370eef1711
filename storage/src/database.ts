import { createEmbeddedClient, type EmbeddedClient } from './embedded.ts';
import { FlushGate } from './flush-gate.ts';
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { ident, sql, type Ident, type Sql } from './sql.ts';

/** How storage is reached and limited. Parsed from the environment once, in the CLI's config. */
export interface StorageOptions {
  /** Embedded chDB data directory, used when `clickhouseUrl` is empty. */
  dataDir: string;
  /** `http://user:pass@host:8123/db` of a ClickHouse server; empty = embedded chDB. */
  clickhouseUrl: string;
  /** Cluster name: DDL runs `ON CLUSTER` with Replicated engines. Empty = single node. */
  cluster: string;
  /** Database name when the URL names none (embedded: always this). */
  database: string;
  /** Days of telemetry kept (TTL on every telemetry table). */
  retentionDays: number;
  /** ClickHouse `max_execution_time` for reads, in seconds. */
  queryTimeoutSeconds: number;
  /** ClickHouse `max_result_rows` for reads. */
  maxResultRows: number;
}

export type TableName =
  | 'projects'
  | 'ingest_keys'
  | 'api_tokens'
  | 'ended_sessions'
  | 'spans'
  | 'trace_index'
  | 'logs'
  | 'schema_migrations'
  | 'error_events'
  | 'issue_stats'
  | 'issue_hourly'
  | 'issue_status'
  | 'issue_activity'
  | 'releases'
  | 'metric_points'
  | 'sessions'
  | 'user_feedback'
  | 'source_files'
  | 'span_metrics_1m'
  | 'span_metrics_1h'
  | 'service_metrics_1h'
  | 'service_metrics_1m'
  | 'service_edges'
  | 'service_edge_calls'
  | 'alert_rules'
  | 'alert_firings'
  | 'saved_searches'
  | 'release_users';

/** Rollups filled by views at insert time, buffered on embedded chDB (migration 0013). */
export type RollupTable = 'span_metrics_1m' | 'span_metrics_1h' | 'service_metrics_1m' | 'service_metrics_1h' | 'releases' | 'release_users';

/** The one handle to ClickHouse that every reader and writer uses. */
export interface Database {
  readonly kind: 'embedded' | 'server';
  readonly databaseName: string;
  readonly options: StorageOptions;
  /** A fully qualified, quoted table identifier for use inside `sql` templates. */
  table(name: TableName): Ident;
  /**
   * The table a reader of a rollup reads: on embedded chDB its Buffer table (migration 0013), which answers from
   * the buffered rows and the table together; else the table.
   */
  rollup(name: RollupTable): Ident;
  query<T>(statement: Sql, settings?: ClickHouseSettings): Promise<T[]>;
  command(statement: Sql | string, settings?: ClickHouseSettings): Promise<void>;
  insert(table: TableName, rows: readonly object[]): Promise<void>;
  /**
   * Writes `rows` rows of RowBinary for `columns` (embedded chDB only: `null` on a server, where callers insert
   * row objects instead).
   */
  readonly insertRowBinary: ((table: TableName, columns: readonly string[], payload: Buffer, rows: number) => Promise<void>) | null;
  ping(): Promise<boolean>;
  /** Writes the rows held in the rollup Buffer tables (embedded) into their tables; nothing to do on a server. */
  flushBuffers(): Promise<void>;
  close(): Promise<void>;
}

interface Endpoint {
  url: string;
  username: string;
  password: string;
  database: string;
}

/** Splits the contract's `http://user:pass@host:8123/db` form into client options. */
export function parseClickHouseUrl(raw: string, fallbackDatabase: string): Endpoint {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`FAULTLINE_CLICKHOUSE_URL must be http(s)://…, got ${url.protocol}`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, '')) || fallbackDatabase;
  const endpoint = {
    url: `${url.protocol}//${url.host}`,
    username: decodeURIComponent(url.username) || 'default',
    password: decodeURIComponent(url.password),
    database,
  };
  return endpoint;
}

/** One batch may hold old and new telemetry: days are partitions, and a replayed backlog spans many. */
// chDB keeps settings for its session, so the reads' max_execution_time would otherwise limit writes too.
// The views on spans (trace index, RED, releases) run in parallel: measured +15 % ingest on 2 cores.
const INSERT_SETTINGS = { max_partitions_per_insert_block: '0', max_execution_time: '0', parallel_view_processing: '1' };

/**
 * Rollup buffers on embedded chDB are flushed by this process, not by the engine's timer (migration 0024 set it to a
 * minute, a fallback): a read of a Buffer table during its flush can miss the rows being flushed, so flushes and
 * those reads take turns (FlushGate). Every second when something was inserted, as the engine did before.
 */
const BUFFER_FLUSH_INTERVAL_MS = 1000;
/** How long a flush waits for the buffer reads already running before it lets them be and tries again. */
const BUFFER_FLUSH_PATIENCE_MS = 250;
/** Reads of the rollup buffers (`db.rollup()` names them `<table>_buffer`). */
const READS_BUFFER = /_buffer\b/;

/**
 * Rows of one batch share their keys (one row builder per table), so they go as JSONCompactEachRow arrays
 * under a column list: no key repeated per row for JSON.stringify to write and ClickHouse to parse.
 */
export function toCompact(rows: readonly object[]): { columns: string[]; lines: string } {
  const columns = Object.keys(rows[0] ?? {});
  const parts: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown>;
    parts[i] = JSON.stringify(columns.map((c) => row[c]));
  }
  return { columns, lines: parts.join('\n') };
}

/** Opens embedded chDB or a ClickHouse server and creates the database if needed. */
export async function openDatabase(options: StorageOptions): Promise<Database> {
  const embedded = options.clickhouseUrl === '';
  const endpoint = embedded ? null : parseClickHouseUrl(options.clickhouseUrl, options.database);
  const databaseName = endpoint?.database ?? options.database;
  const embeddedClient = endpoint ? null : await createEmbeddedClient(options.dataDir);
  const client = !endpoint
    ? (embeddedClient as EmbeddedClient).writer
    : createClient({
        url: endpoint.url,
        username: endpoint.username,
        password: endpoint.password,
        request_timeout: (options.queryTimeoutSeconds + 30) * 1000,
        compression: { request: false, response: true },
        // Every failure reaches its caller as a thrown error, which the caller logs (as one JSON line); the client's
        // own log printed each one again as a multi-line text dump.
        log: { level: ClickHouseLogLevel.OFF },
      });

  const readSettings: ClickHouseSettings = {
    max_execution_time: options.queryTimeoutSeconds,
    max_result_rows: String(options.maxResultRows),
    result_overflow_mode: 'throw',
    output_format_json_quote_64bit_integers: 0,
    // `TraceId IN (SELECT …)` against a table keyed by trace id (trace_index, spans) analyses the key with the
    // subquery's whole set: with hundreds of thousands of ids that analysis cost more than the scan it saved
    // (measured at 10M spans: a 24 h search for method=POST sorted by duration 4.1 s → 1.2 s with this limit, a rare
    // user id unchanged at ~70 ms, because small sets still use the key).
    use_index_for_in_with_subqueries_max_values: '10000',
  };

  // Used on embedded storage only: on a server the views write the rollup tables directly (no buffers to flush).
  const gate = new FlushGate(BUFFER_FLUSH_PATIENCE_MS);
  /** Whether something was inserted since the last flush of the rollup buffers (the views fill them on insert). */
  let inserted = false;
  let flushing: Promise<void> | null = null;
  const flushTick = async (): Promise<void> => {
    if (!embeddedClient || !inserted || flushing) return;
    inserted = false;
    flushing = gate
      .exclusive(() => flushBufferTables(embeddedClient.flusher, databaseName))
      .then(
        (done) => {
          if (!done) inserted = true;
        },
        () => {
          // Tried again next second; the engine's own one-minute flush remains behind it.
          inserted = true;
        },
      );
    await flushing;
    flushing = null;
  };
  const flushTimer = embeddedClient ? setInterval(() => void flushTick(), BUFFER_FLUSH_INTERVAL_MS) : null;
  flushTimer?.unref();

  const db: Database = {
    kind: embedded ? 'embedded' : 'server',
    databaseName,
    options,
    table: (name) => ident(databaseName, name),
    rollup: (name) => ident(databaseName, embedded ? `${name}_buffer` : name),
    async query<T>(statement: Sql, settings?: ClickHouseSettings): Promise<T[]> {
      const { query, params } = statement.render();
      const wanted = { ...readSettings, ...settings };
      const run = async (c: ClickHouseClient, clickhouse_settings: ClickHouseSettings) => {
        const result = await c.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings });
        return result.json<T>();
      };
      if (!embeddedClient) return run(client, wanted);
      const read = () => embeddedClient.read(wanted, run);
      return READS_BUFFER.test(query) ? gate.shared(read) : read();
    },
    async command(statement: Sql | string, settings?: ClickHouseSettings): Promise<void> {
      const { query, params } = typeof statement === 'string' ? { query: statement, params: {} } : statement.render();
      await client.command({ query, query_params: params, clickhouse_settings: { max_execution_time: 0, ...settings } });
    },
    async insert(table: TableName, rows: readonly object[]): Promise<void> {
      if (rows.length === 0) return;
      if (embeddedClient) {
        // chDB's raw insert: the payload goes to the engine's parser as bytes (measured faster than the
        // connection's insert path, which also mishandles Buffers). We check the rows it reports written.
        const { columns, lines } = toCompact(rows);
        const summary = await embeddedClient
          .rawInsert({ table: `${databaseName}.${table}`, columns, values: Buffer.from(lines), format: 'JSONCompactEachRow', settings: INSERT_SETTINGS })
          .finally(() => (inserted = true)); // once its views' rows are in the buffers (a flush must follow them)
        if (summary.rowsWritten < rows.length) throw new Error(`insert into ${table} wrote ${summary.rowsWritten} of ${rows.length} rows`);
        return;
      }
      await client.insert({
        table: `${databaseName}.${table}`,
        values: rows as object[],
        format: 'JSONEachRow',
        // On a cluster the insert returns only once every shard has its rows: an ack means durable.
        clickhouse_settings: {
          max_partitions_per_insert_block: '0',
          max_execution_time: 0,
          ...(options.cluster ? { distributed_foreground_insert: 1 } : {}),
        },
      });
    },
    insertRowBinary: embeddedClient
      ? (table, columns, payload, rows) =>
          embeddedClient.binary.insert(`${databaseName}.${table}`, columns, payload, rows, INSERT_SETTINGS).finally(() => (inserted = true))
      : null,
    async ping(): Promise<boolean> {
      try {
        const rows = await db.query<{ ok: number }>(sql`SELECT 1 AS ok`);
        return rows[0]?.ok === 1;
      } catch {
        return false;
      }
    },
    async flushBuffers(): Promise<void> {
      // On the writer: the process's timer flushes on its own connection, and may be running.
      if (embeddedClient) await flushBufferTables(embeddedClient.writer, databaseName);
    },
    async close(): Promise<void> {
      // chDB does not flush Buffer tables when its connections close (measured: the rows were gone after a
      // reopen); OPTIMIZE does. A server flushes its own at shutdown.
      if (flushTimer) clearInterval(flushTimer);
      await flushing;
      try {
        await db.flushBuffers();
      } finally {
        if (embeddedClient) await embeddedClient.closeAll();
        else await client.close();
      }
      if (embedded) {
        const chdb = await import('chdb');
        await chdb.drainPending();
      }
    },
  };
  const onCluster = options.cluster ? sql` ON CLUSTER ${ident(options.cluster)}` : sql``;
  try {
    await db.command(sql`CREATE DATABASE IF NOT EXISTS ${ident(databaseName)}${onCluster}`);
  } catch (err) {
    // An unreachable server: its keep-alive sockets (or the engine) would keep the failed process alive.
    await (embeddedClient ? embeddedClient.closeAll() : client.close()).catch(() => undefined);
    throw err;
  }
  return db;
}

/**
 * OPTIMIZE on each Buffer table of the database: its rows go into its table. A flush is one insert block per table,
 * and a second of a replayed backlog may span many days (no partition limit).
 */
async function flushBufferTables(client: ClickHouseClient, database: string): Promise<void> {
  const list = sql`SELECT name FROM system.tables WHERE database = ${database} AND engine = 'Buffer' ORDER BY name`.render();
  const found = await client.query({ query: list.query, query_params: list.params, format: 'JSONEachRow' });
  for (const { name } of await found.json<{ name: string }>()) {
    const { query, params } = sql`OPTIMIZE TABLE ${ident(database, name)}`.render();
    await client.command({ query, query_params: params, clickhouse_settings: { max_partitions_per_insert_block: '0', max_execution_time: 0 } });
  }
}

