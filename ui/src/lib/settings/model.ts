// Project settings, ingest key and token wire types of /api/v1 and their normalization. Pure.
import { num, str } from '../format/metrics.ts';

export interface ProjectSettings {
  scrubPii?: boolean;
  scrubExtraKeys?: string[];
  scrubSafeKeys?: string[];
  rateLimitPerSecond?: number;
}

export interface ProjectDetail {
  id: number;
  slug: string;
  name: string;
  settings: ProjectSettings;
}

export interface IngestKey {
  id: string;
  key: string;
  createdAt: string;
  revoked: boolean;
}

export type TokenRole = 'admin' | 'read';

export interface CreatedToken {
  id: string;
  token: string;
  role: TokenRole;
  label: string;
}

/** A listed API token: never the secret itself (the server stores only its hash). */
export interface ApiToken {
  id: string;
  role: TokenRole;
  /** Who or what holds it ('' when unnamed). */
  label: string;
  createdAt: string;
  revoked: boolean;
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

export function normalizeProject(raw: unknown): ProjectDetail {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const s = (typeof r.settings === 'object' && r.settings !== null ? r.settings : {}) as Record<string, unknown>;
  const settings: ProjectSettings = {};
  if (typeof s.scrubPii === 'boolean') settings.scrubPii = s.scrubPii;
  const extra = strings(s.scrubExtraKeys);
  if (extra) settings.scrubExtraKeys = extra;
  const safe = strings(s.scrubSafeKeys);
  if (safe) settings.scrubSafeKeys = safe;
  if (typeof s.rateLimitPerSecond === 'number' && Number.isFinite(s.rateLimitPerSecond)) {
    settings.rateLimitPerSecond = s.rateLimitPerSecond;
  }
  return { id: num(r.id), slug: str(r.slug), name: str(r.name), settings };
}

/** Any role other than 'read' is shown as admin: a listing never understates what a token may do. */
export function tokenRole(v: unknown): TokenRole {
  return v === 'read' ? 'read' : 'admin';
}

/** GET …/tokens: rows without an id (nothing to revoke) and repeated ids (keyed list) are dropped. */
export function normalizeTokens(raw: unknown): ApiToken[] {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const seen = new Set<string>();
  const out: ApiToken[] = [];
  for (const t of Array.isArray(body.tokens) ? body.tokens : []) {
    const r = (typeof t === 'object' && t !== null ? t : {}) as Record<string, unknown>;
    const id = str(r.id);
    if (id === '' || seen.has(id)) continue;
    seen.add(id);
    out.push({ id, role: tokenRole(r.role), label: str(r.label), createdAt: str(r.createdAt), revoked: r.revoked === true });
  }
  return out;
}
