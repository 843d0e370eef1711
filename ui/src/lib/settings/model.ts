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
