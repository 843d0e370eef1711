/**
 * Source maps and minified sources uploaded per project and release. The collector reads them to symbolicate
 * minified JavaScript frames; the API writes, lists and deletes them. Rows are versioned (ReplacingMergeTree),
 * so a re-upload replaces a file and a delete is a tombstone version.
 */
import { createHash } from 'node:crypto';
import type { Database } from './database.ts';
import { sql, typed } from './sql.ts';
import { millisToDateTime64 } from './time.ts';

export type SourceFileKind = 'source_map' | 'minified_source';

export interface SourceFileInfo {
  /** Stable per (release, name), so a file can be addressed without its (URL-shaped) name. */
  id: string;
  name: string;
  kind: SourceFileKind;
  /** Bytes of content (UTF-8). */
  size: number;
  uploadedAt: string;
}

export interface SourceFileContent {
  kind: SourceFileKind;
  content: string;
}

export interface NewSourceFile {
  projectId: number;
  release: string;
  name: string;
  kind: SourceFileKind;
  content: string;
}

export function sourceFileId(release: string, name: string): string {
  return createHash('sha256').update(`${release}\u0000${name}`).digest('hex').slice(0, 16);
}

function version(): string {
  return String(process.hrtime.bigint() + BigInt(Date.now()) * 1_000_000n);
}

export async function putSourceFile(db: Database, file: NewSourceFile): Promise<SourceFileInfo> {
  const now = Date.now();
  const size = Buffer.byteLength(file.content, 'utf8');
  await db.insert('source_files', [
    {
      ProjectId: file.projectId,
      Release: file.release,
      Name: file.name,
      Kind: file.kind,
      Content: file.content,
      Size: size,
      UploadedAt: millisToDateTime64(now),
      Deleted: 0,
      Version: version(),
    },
  ]);
  return { id: sourceFileId(file.release, file.name), name: file.name, kind: file.kind, size, uploadedAt: new Date(now).toISOString() };
}

/** The release's files without their content. */
export async function listSourceFiles(db: Database, projectId: number, release: string): Promise<SourceFileInfo[]> {
  const rows = await db.query<Omit<SourceFileInfo, 'id'>>(sql`
    SELECT Name AS name, toString(Kind) AS kind, Size AS size, formatDateTime(UploadedAt, '%Y-%m-%dT%H:%i:%S.%fZ') AS uploadedAt
    FROM ${db.table('source_files')} FINAL
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND Release = ${release} AND Deleted = 0
    ORDER BY Name`);
  return rows.map((row) => ({ id: sourceFileId(release, row.name), ...row, size: Number(row.size) }));
}

/** Contents of those of `names` the release has; absent names are simply missing from the map. */
export async function getSourceFiles(db: Database, projectId: number, release: string, names: readonly string[]): Promise<Map<string, SourceFileContent>> {
  const out = new Map<string, SourceFileContent>();
  if (names.length === 0) return out;
  const rows = await db.query<{ name: string; kind: SourceFileKind; content: string }>(sql`
    SELECT Name AS name, toString(Kind) AS kind, Content AS content
    FROM ${db.table('source_files')} FINAL
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND Release = ${release} AND Name IN ${[...names]} AND Deleted = 0`);
  for (const row of rows) out.set(row.name, { kind: row.kind, content: row.content });
  return out;
}

/** Bytes of the files a project keeps (every release), what its quota counts. */
export async function sourceFileBytes(db: Database, projectId: number): Promise<number> {
  const [row] = await db.query<{ bytes: string }>(sql`
    SELECT toString(sum(Size)) AS bytes FROM ${db.table('source_files')} FINAL
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND Deleted = 0`);
  return Number(row?.bytes ?? 0);
}

/** The row that deletes a file: a newer version with no content. */
function tombstone(projectId: number, release: string, file: { name: string; kind: SourceFileKind }, atMs: number) {
  return { ProjectId: projectId, Release: release, Name: file.name, Kind: file.kind, Content: '', Size: 0, UploadedAt: millisToDateTime64(atMs), Deleted: 1, Version: version() };
}

/** Deletes every file of a release (one insert); the number deleted. */
export async function deleteReleaseFiles(db: Database, projectId: number, release: string): Promise<number> {
  const files = await listSourceFiles(db, projectId, release);
  if (files.length === 0) return 0;
  const now = Date.now();
  await db.insert('source_files', files.map((f) => tombstone(projectId, release, f, now)));
  return files.length;
}

/** Deletes a file by id or name; false when the release has no such file. */
export async function deleteSourceFile(db: Database, projectId: number, release: string, idOrName: string): Promise<boolean> {
  const file = (await listSourceFiles(db, projectId, release)).find((f) => f.id === idOrName || f.name === idOrName);
  if (!file) return false;
  await db.insert('source_files', [tombstone(projectId, release, file, Date.now())]);
  return true;
}
