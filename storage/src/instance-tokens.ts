/**
 * Instance-wide API tokens (project 0, role instance_admin) and the lookups the bootstrap needs: whether a configured
 * secret was ever stored, revoked or not, so a revoked bootstrap secret is not brought back by the next start.
 */
import type { Database } from './database.ts';
import { hashToken, revokeTokenRows, type TokenRow } from './projects.ts';
import { sql, typed } from './sql.ts';

export type SecretState = 'active' | 'revoked' | null;

function stateOf(row: { active: number | string; total: number | string } | undefined): SecretState {
  if (!row || Number(row.total) === 0) return null;
  return Number(row.active) > 0 ? 'active' : 'revoked';
}

/** An ingest key's state: usable, revoked (every row of it), or never stored. */
export async function ingestKeyState(db: Database, key: string): Promise<SecretState> {
  const rows = await db.query<{ active: number; total: number }>(sql`
    SELECT countIf(RevokedAt IS NULL) AS active, count() AS total FROM ${db.table('ingest_keys')} FINAL WHERE Key = ${key}`);
  return stateOf(rows[0]);
}

/** An API token's state by its secret: usable, revoked, or never stored. */
export async function apiTokenState(db: Database, token: string): Promise<SecretState> {
  const rows = await db.query<{ active: number; total: number }>(sql`
    SELECT countIf(RevokedAt IS NULL) AS active, count() AS total FROM ${db.table('api_tokens')} FINAL WHERE TokenHash = ${hashToken(token)}`);
  return stateOf(rows[0]);
}

const revokeRows = (db: Database, rows: readonly TokenRow[]): Promise<void> => revokeTokenRows(db, 0, rows);

const ACTIVE_INSTANCE_ROWS = sql`SELECT Id, toString(Role) AS Role, TokenHash, Label, toString(CreatedAt) AS CreatedAt`;

/**
 * Revokes the usable instance tokens labelled `label` other than the one whose secret hashes to `keepHash` (the
 * bootstrap's rotation). By hash, not by id: two processes starting at once may each store the new secret, and
 * neither may revoke the other's copy. Returns the ids revoked.
 */
export async function revokeInstanceTokensLabelled(db: Database, label: string, keepHash: string): Promise<string[]> {
  const rows = await db.query<TokenRow>(sql`
    ${ACTIVE_INSTANCE_ROWS} FROM ${db.table('api_tokens')} FINAL
    WHERE ProjectId = ${typed(0, 'UInt32')} AND RevokedAt IS NULL AND Label = ${label} AND TokenHash != ${keepHash}`);
  await revokeRows(db, rows);
  return rows.map((r) => r.Id);
}

export type InstanceRevocation = 'revoked' | 'not_found' | 'last_admin';

/**
 * Revokes an instance-wide token (every stored copy of its secret), unless no other usable instance admin token would
 * be left: nobody could administer the instance (create projects, rotate tokens) any more.
 */
export async function revokeInstanceToken(db: Database, tokenId: string): Promise<InstanceRevocation> {
  // One at a time in this process: two revocations checking "another admin is left" at once could each see the
  // other's token and leave none. (Across query processes the check can still race; revocations are rare.)
  const turn = revocations.then(() => revokeChecked(db, tokenId));
  revocations = turn.catch(() => undefined);
  return turn;
}

let revocations: Promise<unknown> = Promise.resolve();

async function revokeChecked(db: Database, tokenId: string): Promise<InstanceRevocation> {
  const instance = sql`ProjectId = ${typed(0, 'UInt32')} AND RevokedAt IS NULL`;
  const target = (
    await db.query<TokenRow>(sql`${ACTIVE_INSTANCE_ROWS} FROM ${db.table('api_tokens')} FINAL WHERE Id = ${tokenId} AND ${instance}`)
  )[0];
  if (!target) return 'not_found';
  const others = await db.query<{ n: number | string }>(sql`
    SELECT uniqExact(TokenHash) AS n FROM ${db.table('api_tokens')} FINAL
    WHERE ${instance} AND Role = 'instance_admin' AND TokenHash != ${target.TokenHash}`);
  if (target.Role === 'instance_admin' && Number(others[0]?.n ?? 0) === 0) return 'last_admin';
  const copies = await db.query<TokenRow>(sql`
    ${ACTIVE_INSTANCE_ROWS} FROM ${db.table('api_tokens')} FINAL WHERE ${instance} AND TokenHash = ${target.TokenHash}`);
  await revokeRows(db, copies);
  return 'revoked';
}
