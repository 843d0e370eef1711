/**
 * The embedded engine: chDB in this process, reached through several connections to one data directory.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
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
  /** Reads, each to the connection with the fewest statements running. */
  read<T>(run: (client: ClickHouseClient) => Promise<T>): Promise<T>;
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
}

/**
 * A read on the connection with the fewest statements, one statement at a time per connection. A chDB connection
 * whose statement fails midway (a timeout, the result row limit, an exception in a later block) keeps the rows it
 * had produced and hands them to its next statement ahead of that one's own — another request's, maybe another
 * project's. So a failed read retires its connection: the statements queued behind it run on a fresh one.
 */
async function readOn<T>(pool: readonly Reader[], open: () => ClickHouseClient, run: (client: ClickHouseClient) => Promise<T>): Promise<T> {
  const reader = pool.reduce((a, b) => (b.running < a.running ? b : a));
  reader.running++;
  const result = reader.tail.then(() => run(reader.client));
  reader.tail = result.then(
    () => undefined,
    async () => {
      const failed = reader.client;
      reader.client = open();
      await failed.close().catch(() => undefined);
    },
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
  const readers: Reader[] = Array.from({ length: READ_CONNECTIONS }, () => ({ client: open().client, running: 0, tail: Promise.resolve() }));
  // Binary inserts get two connections: a RowBinary insert parses in one thread, so two at once use both cores.
  const inserters = sessions.map((session) => ({ session, running: 0 }));
  const binary = new BinaryInserter(insertBufferDir(dataDir), (statement) => onLeastBusy(inserters, (i) => i.session.queryAsync(statement)));
  return {
    writer: writer.client,
    read: (run) => readOn(readers, () => open().client, run),
    rawInsert: (params) => writer.connection.chdb.rawInsert(params),
    binary,
    async closeAll() {
      await Promise.all(readers.map((r) => r.tail));
      for (const c of [writer, ...readers]) await c.client.close();
      for (const session of sessions) session.close();
      removeInsertBuffers(binary);
    },
  };
}
