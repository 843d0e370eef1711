/**
 * The embedded engine: chDB in this process, reached through several connections to one data directory.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { BinaryInserter, insertBufferDir, removeInsertBuffers } from './binary-insert.ts';
import { DataDirInUseError, dataDirHolder } from './data-dir-lock.ts';

type RawInsert = (params: {
  table: string;
  columns: readonly string[];
  values: Buffer;
  format: 'JSONCompactEachRow';
  settings: Record<string, string>;
}) => Promise<{ rowsWritten: number }>;

/**
 * Connections to the embedded engine for reads. One chDB connection runs one statement at a time (two at once on
 * one connection measured slower than one after the other), while connections to the same directory share the
 * engine and run in parallel (two reads: 30 ms together against 43 ms in turn). So writes (inserts and DDL) keep a
 * connection of their own, reads never queue behind a group commit, and one request's reads run side by side.
 */
const READ_CONNECTIONS = 2;

export interface EmbeddedClient {
  /** Inserts and DDL. */
  writer: ClickHouseClient;
  /** Flushes of the rollup buffers, which must not queue behind a group commit on the writer. */
  flusher: ClickHouseClient;
  /**
   * Reads, each to the connection with the fewest statements running. `run` gets the part of `settings` that
   * connection does not have in effect yet (see `changedSettings`) and must pass it with its statement.
   */
  read<T>(settings: ClickHouseSettings, run: (client: ClickHouseClient, changed: ClickHouseSettings) => Promise<T>): Promise<T>;
  rawInsert: RawInsert;
  binary: BinaryInserter;
  closeAll(): Promise<void>;
}

/**
 * The engine's config, read at start from a file given as both its config and its users file (measured: the
 * users file alone was ignored); sessions cannot change either part.
 * - The default profile, which the engine's own background work runs with. Buffer tables (migration 0013) flush
 *   with it: under the default limit of 100 partitions per insert block, a second of rows from a backlog
 *   spanning more days than that could never be flushed (and every later insert would fail behind it).
 * - The codec of columns declared `CODEC(Default)` (span attributes, migration 0014), chosen by the size of the
 *   part being written (the last matching case wins): zstd 1 below 16 MiB, zstd 9 from there on. Small parts
 *   are rewritten by every merge level above them, so compressing them at level 9 cost more CPU than anything
 *   else in ingest, while the large parts, which hold nearly all the bytes, still get level 9.
 */
const ENGINE_CONFIG = `<clickhouse>
  <profiles><default><max_partitions_per_insert_block>0</max_partitions_per_insert_block></default></profiles>
  <users><default><password></password><profile>default</profile><networks><ip>::/0</ip></networks><quota>default</quota></default></users>
  <quotas><default></default></quotas>
  <compression>
    <case><min_part_size>0</min_part_size><min_part_size_ratio>0</min_part_size_ratio><method>zstd</method><level>1</level></case>
    <case><min_part_size>16777216</min_part_size><min_part_size_ratio>0</min_part_size_ratio><method>zstd</method><level>9</level></case>
  </compression>
</clickhouse>
`;

/** Runs on the connection of the pool with the fewest statements running. */
async function onLeastBusy<C extends { running: number }, T>(pool: readonly C[], run: (connection: C) => Promise<T>): Promise<T> {
  const connection = pool.reduce((a, b) => (b.running < a.running ? b : a));
  connection.running++;
  try {
    return await run(connection);
  } finally {
    connection.running--;
  }
}

interface Reader {
  client: ClickHouseClient;
  /** Statements running or waiting on this connection. */
  running: number;
  /** The last statement given to it: the next one starts once it has settled. */
  tail: Promise<unknown>;
  /** Settings its session holds, as text: a chDB session keeps what a statement SETs for the next ones. */
  applied: Map<string, string>;
}

/**
 * The settings a read must SET on a connection: those whose value there differs. The chDB connection sends each
 * setting as a `SET` statement ahead of the query, every time (measured at 10M spans: a one-trace index lookup
 * 4.2 ms bare against 5.9 ms with the four read settings, `SELECT 1` 1.6 against 2.2 ms), while the session keeps
 * them: reads that share their settings send none after the first.
 */
export function changedSettings(applied: ReadonlyMap<string, string>, wanted: ClickHouseSettings): ClickHouseSettings {
  const changed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(wanted)) {
    if (value !== undefined && applied.get(name) !== String(value)) changed[name] = value;
  }
  return changed as ClickHouseSettings;
}

/** Replaces the reader's connection by a fresh one (no rows pending, no settings) and closes the old one. */
async function retire(reader: Reader, open: () => ClickHouseClient): Promise<void> {
  const old = reader.client;
  reader.client = open();
  reader.applied = new Map();
  await old.close().catch(() => undefined);
}

/**
 * A read on the connection with the fewest statements, one statement at a time per connection. A chDB connection
 * whose statement fails midway (a timeout, the result row limit, an exception in a later block) keeps the rows it
 * had produced and hands them to its next statement ahead of that one's own — another request's, maybe another
 * project's. So a failed read retires its connection: the statements queued behind it run on a fresh one.
 */
async function readOn<T>(
  pool: readonly Reader[],
  open: () => ClickHouseClient,
  settings: ClickHouseSettings,
  run: (client: ClickHouseClient, changed: ClickHouseSettings) => Promise<T>,
): Promise<T> {
  const reader = pool.reduce((a, b) => (b.running < a.running ? b : a));
  reader.running++;
  const result = reader.tail.then(async () => {
    // A setting an earlier read SET that this one does not name would stay in effect for it: it cannot be
    // unset, so this read gets a fresh session (no read names settings beyond the shared ones today).
    if ([...reader.applied.keys()].some((name) => !(name in settings))) await retire(reader, open);
    const changed = changedSettings(reader.applied, settings);
    const out = await run(reader.client, changed);
    for (const [name, value] of Object.entries(changed)) reader.applied.set(name, String(value));
    return out;
  });
  reader.tail = result.then(
    () => undefined,
    // Which of its SETs took effect before the failure is unknown; a fresh session has none.
    () => retire(reader, open),
  );
  try {
    return await result;
  } finally {
    reader.running--;
  }
}

export async function createEmbeddedClient(dataDir: string): Promise<EmbeddedClient> {
  mkdirSync(dataDir, { recursive: true });
  // Asked before the engine starts, which would print its own multi-line refusal to stderr.
  const holder = dataDirHolder(dataDir);
  if (holder) throw new DataDirInUseError(dataDir, holder.pid);
  // Loaded lazily so a server deployment never maps the 550 MB engine into memory.
  const { Session } = await import('chdb');
  const { createChdbConnection } = await import('chdb/connection');
  // The first connection of the process starts the engine, so it carries the engine's arguments.
  const engineConfig = join(dataDir, 'faultline-engine.xml');
  writeFileSync(engineConfig, ENGINE_CONFIG);
  rmSync(join(dataDir, 'faultline-engine-users.xml'), { force: true }); // the file's former name
  let sessions: InstanceType<typeof Session>[];
  try {
    sessions = [new Session(dataDir, { connectionArgs: [`--config-file=${engineConfig}`, `--users_config=${engineConfig}`] }), new Session(dataDir)];
  } catch (err) {
    const holder = dataDirHolder(dataDir, false);
    throw holder ? new DataDirInUseError(dataDir, holder.pid) : err;
  }
  const open = () => {
    const connection = createChdbConnection({ path: dataDir });
    return { connection, client: createClient({ connection } as Parameters<typeof createClient>[0]) };
  };
  const writer = open();
  const flusher = open();
  const readers: Reader[] = Array.from({ length: READ_CONNECTIONS }, () => ({ client: open().client, running: 0, tail: Promise.resolve(), applied: new Map() }));
  // Binary inserts get two connections: a RowBinary insert parses in one thread, so two at once use both cores.
  const inserters = sessions.map((session) => ({ session, running: 0 }));
  const binary = new BinaryInserter(insertBufferDir(dataDir), (statement) => onLeastBusy(inserters, (i) => i.session.queryAsync(statement)));
  return {
    writer: writer.client,
    flusher: flusher.client,
    read: (settings, run) => readOn(readers, () => open().client, settings, run),
    rawInsert: (params) => writer.connection.chdb.rawInsert(params),
    binary,
    async closeAll() {
      await Promise.all(readers.map((r) => r.tail));
      for (const c of [writer, flusher, ...readers]) await c.client.close();
      for (const session of sessions) session.close();
      removeInsertBuffers(binary);
    },
  };
}
