/**
 * RowBinary inserts into embedded chDB. Parsing RowBinary costs the engine far less than JSON (measured at
 * 10k-span inserts into `spans`: ~25 against ~40 µs of CPU per row, encoding included, docs/ingest.md), but
 * chDB's in-memory insert entry accepts text formats only: handed binary bytes it cut some payloads short
 * (reproduced: rows whose bytes held two consecutive newlines failed with CANNOT_READ_ALL_DATA). So the payload
 * goes through a file: `INSERT … FROM INFILE`, which clickhouse-local reads with its ordinary file reader.
 * Files are reused (one per insert running at once), so steady ingest allocates no new inodes.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const COLUMN_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
const TABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

/** Runs one statement and reports the rows the engine read from the file. */
export type RunStatement = (statement: string) => Promise<{ rowsRead: number }>;

/** A ClickHouse string literal (backslash escapes), for the one value that cannot be a parameter here. */
function stringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function infileStatement(table: string, columns: readonly string[], path: string, settings: Record<string, string>): string {
  if (!TABLE_PATTERN.test(table)) throw new Error(`invalid table for a binary insert: ${table}`);
  for (const c of columns) if (!COLUMN_PATTERN.test(c)) throw new Error(`invalid column for a binary insert: ${c}`);
  const settingList = Object.entries(settings).map(([k, v]) => {
    if (!/^[a-z_]+$/.test(k) || !/^[0-9]+$/.test(v)) throw new Error(`invalid insert setting ${k}=${v}`);
    return `${k} = ${v}`;
  });
  const [db, name] = table.split('.');
  return (
    `INSERT INTO \`${db}\`.\`${name}\` (${columns.map((c) => `\`${c}\``).join(', ')}) FROM INFILE ${stringLiteral(path)}` +
    `${settingList.length > 0 ? ` SETTINGS ${settingList.join(', ')}` : ''} FORMAT RowBinary`
  );
}

let opened = 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A directory of its own for each opened database (a process may open one data directory twice), named by
 * process id so that the directories a crashed process left are removed: their files hold batches that were
 * never acknowledged, so there is nothing in them to recover.
 */
export function insertBufferDir(dataDir: string): string {
  const root = join(dataDir, 'insert-buffers');
  mkdirSync(root, { recursive: true });
  for (const name of readdirSync(root)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(join(root, name), { recursive: true, force: true });
  }
  return join(root, `${process.pid}-${opened++}`);
}

export class BinaryInserter {
  private readonly run: RunStatement;
  private readonly free: string[] = [];
  private created = 0;

  readonly dir: string;

  constructor(dir: string, run: RunStatement) {
    mkdirSync(dir, { recursive: true });
    this.dir = dir;
    this.run = run;
  }

  /** Writes `rows` rows of RowBinary `payload` into `table` (`db.name`); fails unless the engine read them all. */
  async insert(table: string, columns: readonly string[], payload: Buffer, rows: number, settings: Record<string, string>): Promise<void> {
    const path = this.free.pop() ?? join(this.dir, `batch-${this.created++}.bin`);
    try {
      await writeFile(path, payload);
      const { rowsRead } = await this.run(infileStatement(table, columns, path, settings));
      if (rowsRead < rows) throw new Error(`insert into ${table} read ${rowsRead} of ${rows} rows`);
    } finally {
      this.free.push(path);
    }
  }
}

/** Removes the files of a closed database. */
export function removeInsertBuffers(inserter: BinaryInserter): void {
  rmSync(inserter.dir, { recursive: true, force: true });
}
