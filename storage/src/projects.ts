import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { millisToDateTime64 } from './time.ts';
import type { Database } from './database.ts';
import { sql, typed } from './sql.ts';

export interface Project {
  id: number;
  slug: string;
  name: string;
}

export type TokenRole = 'instance_admin' | 'admin' | 'read';

export interface TokenInfo {
  id: string;
  /** 0 for an instance-wide token. */
  projectId: number;
  role: TokenRole;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Uniform random `[a-z0-9]` text (rejection sampling keeps every character equally likely). */
export function randomKey(length = 32): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 252 && out.length < length) out += ALPHABET[byte % 36];
    }
  }
  return out;
}

export function newToken(): string {
  return `flt_${randomKey(40)}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A slug has at least one letter: `{project}` in a URL is an id when it is all digits, so a slug like "5" would
 * shadow project 5 (or be shadowed by it).
 */
export const SLUG_PATTERN = /^(?=[a-z0-9-]*[a-z])[a-z0-9][a-z0-9-]{0,49}$/;
export const SLUG_RULE = '1-50 characters of a-z, 0-9 and -, starting with a letter or digit and holding at least one letter';
export const INGEST_KEY_PATTERN = /^[a-z0-9]{32}$/;

/** Version of a new row of a ReplacingMergeTree admin table: later writes win. */
export function rowVersion(): string {
  return String(process.hrtime.bigint() + BigInt(Date.now()) * 1_000_000n);
}

export async function listProjects(db: Database): Promise<Project[]> {
  return db.query<Project>(sql`
    SELECT Id AS id, Slug AS slug, Name AS name FROM ${db.table('projects')} FINAL WHERE Deleted = 0 ORDER BY Id`);
}

/** Resolves a numeric id (all digits) or else a slug. */
export async function findProject(db: Database, idOrSlug: string): Promise<Project | null> {
  const match = /^\d+$/.test(idOrSlug)
    ? sql`Id = ${typed(/^\d{1,9}$/.test(idOrSlug) ? Number(idOrSlug) : -1, 'Int64')}`
    : sql`Slug = ${idOrSlug}`;
  const rows = await db.query<Project>(sql`
    SELECT Id AS id, Slug AS slug, Name AS name FROM ${db.table('projects')} FINAL
    WHERE Deleted = 0 AND ${match} LIMIT 1`);
  return rows[0] ?? null;
}

/** Creates a project; `id` is for the bootstrap project (1), otherwise the next free id. */
export async function createProject(db: Database, slug: string, name: string, id?: number): Promise<Project> {
  if (!SLUG_PATTERN.test(slug)) throw new Error(`slug must be ${SLUG_RULE}`);
  let projectId = id;
  if (projectId === undefined) {
    const rows = await db.query<{ next: number }>(sql`SELECT toUInt32(max(Id) + 1) AS next FROM ${db.table('projects')}`);
    projectId = Math.max(rows[0]?.next ?? 1, 1);
  }
  await db.insert('projects', [{ Id: projectId, Slug: slug, Name: name, CreatedAt: millisToDateTime64(Date.now()), Version: rowVersion() }]);
  return { id: projectId, slug, name };
}

export interface IngestKey {
  id: string;
  projectId: number;
  key: string;
  createdAt: string;
  revoked: boolean;
}

export async function createIngestKey(db: Database, projectId: number, key = randomKey()): Promise<IngestKey> {
  if (!INGEST_KEY_PATTERN.test(key)) throw new Error('an ingest key is 32 characters of [a-z0-9]');
  const id = randomUUID();
  const now = new Date();
  await db.insert('ingest_keys', [{ Id: id, ProjectId: projectId, Key: key, CreatedAt: millisToDateTime64(now.getTime()), RevokedAt: null, Version: rowVersion() }]);
  return { id, projectId, key, createdAt: now.toISOString(), revoked: false };
}

export async function listIngestKeys(db: Database, projectId?: number): Promise<IngestKey[]> {
  const filter = projectId === undefined ? sql`1` : sql`ProjectId = ${typed(projectId, 'UInt32')}`;
  return db.query<IngestKey>(sql`
    SELECT Id AS id, ProjectId AS projectId, Key AS key,
      formatDateTime(CreatedAt, '%Y-%m-%dT%H:%i:%S.%fZ') AS createdAt, toBool(RevokedAt IS NOT NULL) AS revoked
    FROM ${db.table('ingest_keys')} FINAL WHERE ${filter} ORDER BY CreatedAt`);
}

/** Marks a key revoked; returns false when the project has no such key. */
export async function revokeIngestKey(db: Database, projectId: number, keyId: string): Promise<boolean> {
  const rows = await db.query<{ Key: string; CreatedAt: string }>(sql`
    SELECT Key, toString(CreatedAt) AS CreatedAt FROM ${db.table('ingest_keys')} FINAL
    WHERE Id = ${keyId} AND ProjectId = ${typed(projectId, 'UInt32')} AND RevokedAt IS NULL`);
  const row = rows[0];
  if (!row) return false;
  await db.insert('ingest_keys', [{ Id: keyId, ProjectId: projectId, Key: row.Key, CreatedAt: row.CreatedAt, RevokedAt: millisToDateTime64(Date.now()), Version: rowVersion() }]);
  return true;
}

/** Every usable key → its project, for the collector's cache. */
export async function activeIngestKeys(db: Database): Promise<Map<string, number>> {
  const rows = await db.query<{ Key: string; ProjectId: number }>(sql`
    SELECT Key, ProjectId FROM ${db.table('ingest_keys')} FINAL WHERE RevokedAt IS NULL`);
  return new Map(rows.map((r) => [r.Key, r.ProjectId]));
}

/** `label` names who or what holds the token (shown for the changes it makes, e.g. in an issue's activity). */
export async function createApiToken(
  db: Database,
  projectId: number,
  role: TokenRole,
  token = newToken(),
  label = '',
): Promise<{ id: string; token: string; role: TokenRole; label: string }> {
  const id = randomUUID();
  await db.insert('api_tokens', [
    { Id: id, ProjectId: projectId, Role: role, TokenHash: hashToken(token), Label: label, CreatedAt: millisToDateTime64(Date.now()), RevokedAt: null, Version: rowVersion() },
  ]);
  return { id, token, role, label };
}

export interface ApiTokenListing {
  id: string;
  role: TokenRole;
  label: string;
  createdAt: string;
  revoked: boolean;
}

/** A project's tokens, oldest first; never their hashes. */
export async function listApiTokens(db: Database, projectId: number): Promise<ApiTokenListing[]> {
  return db.query<ApiTokenListing>(sql`
    SELECT Id AS id, toString(Role) AS role, Label AS label, formatDateTime(CreatedAt, '%Y-%m-%dT%H:%i:%S.%fZ') AS createdAt,
      toBool(RevokedAt IS NOT NULL) AS revoked
    FROM ${db.table('api_tokens')} FINAL WHERE ProjectId = ${typed(projectId, 'UInt32')} ORDER BY CreatedAt, Id`);
}

/** A stored token row, as revoking one rewrites it. */
export interface TokenRow {
  Id: string;
  Role: string;
  TokenHash: string;
  Label: string;
  CreatedAt: string;
}

/** Writes revoked versions of token rows of a project (0: instance-wide); their sessions end with them. */
export async function revokeTokenRows(db: Database, projectId: number, rows: readonly TokenRow[]): Promise<void> {
  if (rows.length === 0) return;
  const revokedAt = millisToDateTime64(Date.now());
  await db.insert(
    'api_tokens',
    rows.map((r) => ({ ...r, ProjectId: projectId, RevokedAt: revokedAt, Version: rowVersion() })),
  );
}

/** Marks a project's token revoked (its sessions end with it); false when the project has no such live token. */
export async function revokeApiToken(db: Database, projectId: number, tokenId: string): Promise<boolean> {
  const rows = await db.query<TokenRow>(sql`
    SELECT Id, toString(Role) AS Role, TokenHash, Label, toString(CreatedAt) AS CreatedAt FROM ${db.table('api_tokens')} FINAL
    WHERE Id = ${tokenId} AND ProjectId = ${typed(projectId, 'UInt32')} AND RevokedAt IS NULL`);
  if (rows.length === 0) return false;
  await revokeTokenRows(db, projectId, rows.slice(0, 1));
  return true;
}

/** The labels of tokens by id (revoked ones too: their past changes keep their name); unlabelled ones are left out. */
export async function tokenLabels(db: Database, tokenIds: readonly string[]): Promise<Map<string, string>> {
  if (tokenIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; label: string }>(sql`
    SELECT Id AS id, Label AS label FROM ${db.table('api_tokens')} FINAL WHERE Id IN ${[...tokenIds]} AND Label != ''`);
  return new Map(rows.map((r) => [r.id, r.label]));
}

/** Looks a presented token up by its hash; null when unknown or revoked. */
export async function findApiToken(db: Database, token: string): Promise<TokenInfo | null> {
  const rows = await db.query<TokenInfo>(sql`
    SELECT Id AS id, ProjectId AS projectId, toString(Role) AS role FROM ${db.table('api_tokens')} FINAL
    WHERE TokenHash = ${hashToken(token)} AND RevokedAt IS NULL LIMIT 1`);
  return rows[0] ?? null;
}


/** A token by id with its hash, for verifying session cookies derived from it. */
export async function findApiTokenById(db: Database, id: string): Promise<(TokenInfo & { hash: string }) | null> {
  const rows = await db.query<TokenInfo & { hash: string }>(sql`
    SELECT Id AS id, ProjectId AS projectId, toString(Role) AS role, TokenHash AS hash FROM ${db.table('api_tokens')} FINAL
    WHERE Id = ${id} AND RevokedAt IS NULL LIMIT 1`);
  return rows[0] ?? null;
}

/** Ends a signed-out session before its cookie expires (`signature` identifies the cookie). */
export async function endSession(db: Database, signature: string, expiresMs: number): Promise<void> {
  await db.insert('ended_sessions', [{ Signature: signature, ExpiresAt: Math.ceil(expiresMs / 1000) }]);
}

export async function isSessionEnded(db: Database, signature: string): Promise<boolean> {
  const rows = await db.query<{ n: number | string }>(sql`
    SELECT count() AS n FROM ${db.table('ended_sessions')} WHERE Signature = ${signature}`);
  return Number(rows[0]?.n ?? 0) > 0;
}

/** Per-project settings, stored as JSON on the project row; absent fields fall back to the instance config. */
export interface ProjectSettings {
  scrubPii?: boolean;
  scrubExtraKeys?: string[];
  scrubSafeKeys?: string[];
  /** Items per second; 0 = unlimited for this project. */
  rateLimitPerSecond?: number;
}

export async function projectSettings(db: Database): Promise<Map<number, ProjectSettings>> {
  const rows = await db.query<{ id: number; settings: string }>(sql`
    SELECT Id AS id, Settings AS settings FROM ${db.table('projects')} FINAL WHERE Deleted = 0`);
  const out = new Map<number, ProjectSettings>();
  for (const r of rows) {
    try {
      out.set(r.id, JSON.parse(r.settings || '{}') as ProjectSettings);
    } catch {
      out.set(r.id, {});
    }
  }
  return out;
}

/** Writes a new version of the project row with a new name and/or settings. */
export async function updateProject(db: Database, project: Project, change: { name?: string; settings?: ProjectSettings }): Promise<void> {
  const rows = await db.query<{ created: string; settings: string }>(sql`
    SELECT toString(CreatedAt) AS created, Settings AS settings FROM ${db.table('projects')} FINAL WHERE Id = ${typed(project.id, 'UInt32')}`);
  const current = rows[0];
  if (!current) throw new Error(`project ${project.id} vanished`);
  await db.insert('projects', [
    {
      Id: project.id,
      Slug: project.slug,
      Name: change.name ?? project.name,
      Settings: JSON.stringify(change.settings ?? (JSON.parse(current.settings || '{}') as ProjectSettings)),
      CreatedAt: current.created,
      Version: rowVersion(),
    },
  ]);
}
