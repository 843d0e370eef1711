/** Bytes on disk per span: Faultline's spans + trace_index beside the OpenTelemetry exporter's tables. */
import { sql, type Database } from '@faultline/storage';

export interface TableBytes {
  database: string;
  table: string;
  rows: number;
  parts: number;
  /** Column data, compressed. */
  dataCompressed: number;
  dataUncompressed: number;
  /** Skip indexes (bloom filters, minmax), compressed. */
  skipIndexes: number;
  /** Everything in the part directories: data, marks, primary index, skip indexes, checksums. */
  onDisk: number;
}

export interface ColumnBytes {
  table: string;
  column: string;
  compressed: number;
  uncompressed: number;
}

export interface StorageReport {
  tables: TableBytes[];
  faultline: { spans: number; bytesOnDisk: number; perSpan: number; dataPerSpan: number; indexesPerSpan: number };
  otel: { spans: number; bytesOnDisk: number; perSpan: number; dataPerSpan: number; indexesPerSpan: number } | null;
  /** Faultline ÷ otel_traces, bytes on disk per span (target ≤ 0.6). */
  ratio: number | null;
  columns: ColumnBytes[];
}

export async function storageReport(db: Database, otelDatabase: string | null): Promise<StorageReport> {
  const dbs = otelDatabase ? [db.databaseName, otelDatabase] : [db.databaseName];
  const tables = await db.query<TableBytes>(sql`
    SELECT database, table, toUInt64(sum(rows)) AS rows, toUInt32(count()) AS parts,
      toUInt64(sum(data_compressed_bytes)) AS dataCompressed, toUInt64(sum(data_uncompressed_bytes)) AS dataUncompressed,
      toUInt64(sum(secondary_indices_compressed_bytes)) AS skipIndexes, toUInt64(sum(bytes_on_disk)) AS onDisk
    FROM system.parts
    WHERE active AND database IN ${dbs}
    GROUP BY database, table ORDER BY database, onDisk DESC`);
  // (the qualified name is built here: an alias named `table` would shadow the column in WHERE)
  const columns = (
    await db.query<ColumnBytes & { database: string }>(sql`
      SELECT database, table, name AS column, toUInt64(data_compressed_bytes) AS compressed, toUInt64(data_uncompressed_bytes) AS uncompressed
      FROM system.columns
      WHERE (database = ${db.databaseName} AND table = 'spans') OR (database = ${otelDatabase ?? ''} AND table = 'otel_traces')
      ORDER BY database, table, compressed DESC`)
  ).map(({ database, ...c }) => ({ ...c, table: `${database}.${c.table}` }));
  const find = (d: string, t: string) => tables.find((x) => x.database === d && x.table === t);
  const summarize = (main: TableBytes | undefined, index: TableBytes | undefined) => {
    const spans = main?.rows ?? 0;
    const bytesOnDisk = (main?.onDisk ?? 0) + (index?.onDisk ?? 0);
    const per = (n: number) => (spans === 0 ? 0 : Math.round((n / spans) * 100) / 100);
    return {
      spans,
      bytesOnDisk,
      perSpan: per(bytesOnDisk),
      dataPerSpan: per((main?.dataCompressed ?? 0) + (index?.dataCompressed ?? 0)),
      indexesPerSpan: per((main?.skipIndexes ?? 0) + (index?.skipIndexes ?? 0)),
    };
  };
  const faultline = summarize(find(db.databaseName, 'spans'), find(db.databaseName, 'trace_index'));
  const otel = otelDatabase ? summarize(find(otelDatabase, 'otel_traces'), find(otelDatabase, 'otel_traces_trace_id_ts')) : null;
  const ratio = otel && otel.perSpan > 0 ? Math.round((faultline.perSpan / otel.perSpan) * 1000) / 1000 : null;
  return { tables, faultline, otel, ratio, columns };
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

export function printStorage(r: StorageReport, log: (s: string) => void): void {
  log('Storage (active parts, after OPTIMIZE FINAL unless --no-optimize):');
  log(
    `  ${'table'.padEnd(40)} ${'rows'.padStart(11)} ${'parts'.padStart(5)} ${'on disk'.padStart(10)} ${'data'.padStart(10)} ${'skip idx'.padStart(10)} ${'B/row'.padStart(7)}`,
  );
  for (const t of r.tables) {
    if (t.rows === 0) continue;
    log(
      `  ${`${t.database}.${t.table}`.padEnd(40)} ${String(t.rows).padStart(11)} ${String(t.parts).padStart(5)} ${mb(t.onDisk).padStart(10)} ${mb(t.dataCompressed).padStart(10)} ${mb(t.skipIndexes).padStart(10)} ${(t.onDisk / t.rows).toFixed(1).padStart(7)}`,
    );
  }
  const f = r.faultline;
  log(
    `  Faultline spans + trace_index:           ${f.perSpan} B/span on disk (${f.dataPerSpan} column data, ${f.indexesPerSpan} skip indexes)`,
  );
  if (r.otel) {
    const o = r.otel;
    log(
      `  otel_traces + otel_traces_trace_id_ts:   ${o.perSpan} B/span on disk (${o.dataPerSpan} column data, ${o.indexesPerSpan} skip indexes)`,
    );
    log(`  ratio Faultline / otel_traces: ${r.ratio}× (target ≤ 0.6×)`);
  }
  const top = (table: string) =>
    r.columns
      .filter((c) => c.table === table)
      .slice(0, 8)
      .map((c) => `${c.column} ${(c.compressed / Math.max(1, f.spans)).toFixed(1)}`)
      .join(', ');
  const spansTable = r.columns.find((c) => c.table.endsWith('.spans'))?.table;
  if (spansTable) log(`  largest columns, B/span — spans: ${top(spansTable)}`);
  const otelTable = r.columns.find((c) => c.table.endsWith('.otel_traces'))?.table;
  if (otelTable) log(`  largest columns, B/span — otel_traces: ${top(otelTable)}`);
}
