// Thin same-origin JSON client for /api/v1. Auth is an HttpOnly session cookie set by the
// server; a 401 from any data endpoint flips the app into its sign-in state.
import type { ApiLogEntry, ApiLogHistogram, ApiProject, ApiTrace } from './types.ts';
import { normalizeTracePage, type TracePage } from '../search/results.ts';
import { markSignedOut } from '../session.svelte.ts';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** Waits for a deletion; a 404 (deleted elsewhere meanwhile) is the outcome asked for, not a failure. */
export async function deleted(request: Promise<void>): Promise<void> {
  try {
    await request;
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
}

/** A readable message for any thrown value (API message when the server sent one). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

async function errorFrom(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = `Request failed: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  try {
    const body: unknown = await res.json();
    const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (e && typeof e.message === 'string' && e.message !== '') message = e.message;
    if (e && typeof e.code === 'string' && e.code !== '') code = e.code;
  } catch {
    // not JSON: keep the generic message
  }
  return new ApiError(res.status, code, message);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** When false a 401 is only reported, not turned into the signed-out state. */
  authGate?: boolean;
}

export async function send(path: string, opts: RequestOptions = {}): Promise<Response> {
  const init: RequestInit = {
    method: opts.method ?? 'GET',
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  };
  if (opts.signal) init.signal = opts.signal;
  if (opts.body !== undefined) {
    init.body = JSON.stringify(opts.body);
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
  }
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, init);
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, 'network', `Cannot reach the Faultline server (${errorMessage(err)})`);
  }
  if (!res.ok) {
    const err = await errorFrom(res);
    if (res.status === 401 && opts.authGate !== false) markSignedOut();
    throw err;
  }
  return res;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await send(path, signal ? { signal } : {});
  return (await res.json()) as T;
}

const seg = encodeURIComponent;

export async function listProjects(signal?: AbortSignal): Promise<ApiProject[]> {
  const body = await getJson<{ projects?: ApiProject[] }>('/projects', signal);
  return body.projects ?? [];
}

export async function listServices(project: string, signal?: AbortSignal): Promise<string[]> {
  const body = await getJson<{ services?: { name: string }[] }>(
    `/projects/${seg(project)}/services`,
    signal,
  );
  return (body.services ?? []).map((s) => s.name);
}

/** Operations of a service seen over the last 24 hours (the API's default range is only the last hour). */
export async function listOperations(
  project: string,
  service: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const start = Date.now() - 24 * 3_600_000;
  const body = await getJson<{ operations?: { name: string }[] }>(
    `/projects/${seg(project)}/services/${seg(service)}/operations?start=${start}`,
    signal,
  );
  return (body.operations ?? []).map((o) => o.name);
}

/**
 * Attribute keys to filter a search by, most common first (`query`: the search's range and filters). The API counts
 * them over the range's newest spans.
 */
export async function suggestAttributeKeys(project: string, query: URLSearchParams, signal?: AbortSignal): Promise<string[]> {
  const body = await getJson<{ keys?: { key: string }[] }>(`/projects/${seg(project)}/span-attributes?${query.toString()}`, signal);
  return (body.keys ?? []).map((k) => k.key);
}

/** Values of one attribute key among the search's spans, most common first. */
export async function suggestAttributeValues(project: string, query: URLSearchParams, key: string, signal?: AbortSignal): Promise<string[]> {
  const q = new URLSearchParams(query);
  q.set('key', key);
  const body = await getJson<{ values?: { value: string }[] }>(`/projects/${seg(project)}/span-attributes/values?${q.toString()}`, signal);
  return (body.values ?? []).map((v) => v.value);
}

/** One page of a trace search (`cursor` in `query` for the pages after the first). */
export async function searchTraces(project: string, query: URLSearchParams, signal?: AbortSignal): Promise<TracePage> {
  const qs = query.toString();
  return normalizeTracePage(await getJson<unknown>(`/projects/${seg(project)}/traces${qs ? `?${qs}` : ''}`, signal));
}

export async function searchLogs(
  project: string,
  query: URLSearchParams,
  signal?: AbortSignal,
): Promise<{ logs: ApiLogEntry[]; nextCursor: string | null }> {
  const body = await getJson<{ logs?: ApiLogEntry[]; nextCursor?: string | null }>(
    `/projects/${seg(project)}/logs?${query.toString()}`,
    signal,
  );
  return { logs: body.logs ?? [], nextCursor: body.nextCursor ?? null };
}

/** Counts of a log search (the same filters, no cursor or limit) per time bucket and level. */
export async function logHistogram(project: string, query: URLSearchParams, signal?: AbortSignal): Promise<ApiLogHistogram> {
  return getJson<ApiLogHistogram>(`/projects/${seg(project)}/logs/histogram?${query.toString()}`, signal);
}

export async function getTrace(
  project: string,
  traceId: string,
  signal?: AbortSignal,
): Promise<ApiTrace> {
  return normalizeTrace(await getJson<ApiTrace>(`/projects/${seg(project)}/traces/${seg(traceId)}`, signal));
}

/** A trace answer with every list present (an older server may omit some). */
export function normalizeTrace(body: Partial<ApiTrace>): ApiTrace {
  return {
    traceId: body.traceId ?? '',
    spans: body.spans ?? [],
    errors: body.errors ?? [],
    logs: body.logs ?? [],
    logsTruncated: body.logsTruncated === true,
  };
}

/** POST /session. Resolves on 204, throws ApiError (401 for a bad token). */
export async function createSession(token: string): Promise<void> {
  await send('/session', { method: 'POST', body: { token }, authGate: false });
}

export async function deleteSession(): Promise<void> {
  await send('/session', { method: 'DELETE', authGate: false });
}
