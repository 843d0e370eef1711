// Releases of /api/v1 (newest first, semver order) with impact figures against the previous one.
import { getJson } from './client.ts';
import { normalizeRelease, type Release, type ReleaseDetail } from '../releases/model.ts';

export type { DeltaKey, Deltas, Release, ReleaseDetail, TopOperation } from '../releases/model.ts';

const seg = encodeURIComponent;

export async function listReleases(project: string, limit: number, signal?: AbortSignal): Promise<Release[]> {
  const body = await getJson<{ releases?: unknown }>(`/projects/${seg(project)}/releases?limit=${limit}`, signal);
  return (Array.isArray(body.releases) ? body.releases : []).map(normalizeRelease).filter((r) => r.version !== '');
}

export async function getRelease(project: string, version: string, signal?: AbortSignal): Promise<ReleaseDetail> {
  const body = await getJson<Record<string, unknown>>(`/projects/${seg(project)}/releases/${seg(version)}`, signal);
  const release = normalizeRelease(body);
  const previous = body.previous ? normalizeRelease(body.previous) : null;
  return { ...release, previousVersion: previous?.version ?? release.previousVersion, previous };
}
