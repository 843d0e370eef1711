// Project settings, ingest keys and API tokens of /api/v1 (admin tokens only, except GET project).
import { ApiError, getJson, send } from './client.ts';
import { session } from '../session.svelte.ts';
import { str } from '../format/metrics.ts';
import {
  normalizeProject,
  normalizeTokens,
  tokenRole,
  type ApiToken,
  type CreatedToken,
  type IngestKey,
  type ProjectDetail,
  type ProjectSettings,
  type TokenRole,
} from '../settings/model.ts';

export type { ApiToken, CreatedToken, IngestKey, ProjectDetail, ProjectSettings, TokenRole } from '../settings/model.ts';

const seg = encodeURIComponent;
const base = (project: string): string => `/projects/${seg(project)}`;

export async function getProject(project: string, signal?: AbortSignal): Promise<ProjectDetail> {
  return normalizeProject(await getJson<unknown>(base(project), signal));
}

/** PATCH name and settings; the settings object replaces the stored one. 403 for read-only tokens. */
export async function updateProject(
  project: string,
  change: { name?: string; settings?: ProjectSettings },
): Promise<ProjectDetail> {
  const res = await send(base(project), { method: 'PATCH', body: change });
  return normalizeProject(await res.json());
}

export async function listKeys(project: string, signal?: AbortSignal): Promise<IngestKey[]> {
  const body = await getJson<{ keys?: unknown }>(`${base(project)}/keys`, signal);
  return (Array.isArray(body.keys) ? body.keys : []).map((k) => {
    const r = (typeof k === 'object' && k !== null ? k : {}) as Record<string, unknown>;
    return { id: str(r.id), key: str(r.key), createdAt: str(r.createdAt), revoked: r.revoked === true };
  });
}

export async function createKey(project: string): Promise<{ id: string; key: string }> {
  const res = await send(`${base(project)}/keys`, { method: 'POST', body: {} });
  const body = (await res.json()) as Record<string, unknown>;
  return { id: str(body.id), key: str(body.key) };
}

export async function revokeKey(project: string, keyId: string): Promise<void> {
  await send(`${base(project)}/keys/${seg(keyId)}`, { method: 'DELETE' });
}

export async function createToken(project: string, role: TokenRole, label = ''): Promise<CreatedToken> {
  const res = await send(`${base(project)}/tokens`, { method: 'POST', body: { role, label } });
  const body = (await res.json()) as Record<string, unknown>;
  return { id: str(body.id), token: str(body.token), role: tokenRole(body.role), label: str(body.label) };
}

/** The project's API tokens, oldest first (403 for read-only tokens). */
export async function listTokens(project: string, signal?: AbortSignal): Promise<ApiToken[]> {
  return normalizeTokens(await getJson<unknown>(`${base(project)}/tokens`, signal));
}

/** Revoke a token: it and the UI sessions signed in with it are refused within seconds (404 when unknown or already revoked). */
export async function revokeToken(project: string, tokenId: string): Promise<void> {
  await send(`${base(project)}/tokens/${seg(tokenId)}`, { method: 'DELETE' });
}

/** The collector's ports this instance reports; null when the server does not say (older servers). */
export async function getIngestPorts(signal?: AbortSignal): Promise<{ otlpHttpPort: number; otlpGrpcPort: number; otlpHttpUrl: string | null } | null> {
  const body = await getJson<{ ingest?: Record<string, unknown> }>('/info', signal);
  const http = body.ingest?.otlpHttpPort;
  const grpc = body.ingest?.otlpGrpcPort;
  const port = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536;
  const url = body.ingest?.otlpHttpUrl;
  const otlpHttpUrl = typeof url === 'string' && URL.canParse(url) ? url : null;
  return port(http) && port(grpc) ? { otlpHttpPort: http, otlpGrpcPort: grpc, otlpHttpUrl } : null;
}

/**
 * Whether this session may change the project (alert rules, issues, settings). The API names no role of the
 * session, so this asks an admin-only list (the API tokens): 403 means a read token. Other failures count as admin:
 * the write controls then show, and a refused write reports its own error. Asked once per project and sign-in (every
 * page that shows write controls wants it), not on every navigation.
 */
export function canWrite(project: string): Promise<boolean> {
  const key = `${session.epoch}\u0000${project}`;
  let answer = writeAccess.get(key);
  if (!answer) {
    answer = askWriteAccess(project);
    writeAccess.set(key, answer);
    // A failed request is asked again next time.
    answer.catch(() => writeAccess.delete(key));
  }
  return answer;
}

const writeAccess = new Map<string, Promise<boolean>>();

async function askWriteAccess(project: string): Promise<boolean> {
  try {
    await send(`/projects/${encodeURIComponent(project)}/tokens`);
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return false;
    if (err instanceof ApiError) return true;
    throw err;
  }
}
