// "Top errors" of a service. The issues API has no service filter, so this takes the project's
// most frequent unresolved issues and keeps those whose events carry the service (issue tags).
// Bounded: at most `scan` issues are checked, five tag requests at a time.
import { getJson } from './client.ts';
import { listIssues } from './issues.ts';
import { mapLimit } from './loaded.ts';
import type { ApiIssue } from './types.ts';
import { serviceCount, type TagRow } from '../issues/tags.ts';

export interface ServiceIssue {
  issue: ApiIssue;
  /** Events of this issue that came from the service. */
  serviceEvents: number;
}

export async function topIssuesOfService(
  project: string,
  service: string,
  opts: { scan?: number; limit?: number } = {},
  signal?: AbortSignal,
): Promise<ServiceIssue[]> {
  const q = new URLSearchParams({ status: 'unresolved', sort: 'events', limit: String(opts.scan ?? 25) });
  const issues = await listIssues(project, q, signal);
  const seg = encodeURIComponent;
  const counts = await mapLimit(issues, 5, async (issue) => {
    const body = await getJson<{ tags?: TagRow[] }>(
      `/projects/${seg(project)}/issues/${seg(issue.id)}/tags?limit=50`,
      signal,
    );
    return serviceCount(Array.isArray(body.tags) ? body.tags : [], service);
  });
  return issues
    .map((issue, i) => ({ issue, serviceEvents: counts[i] ?? 0 }))
    .filter((r) => r.serviceEvents > 0)
    .sort((a, b) => b.serviceEvents - a.serviceEvents)
    .slice(0, opts.limit ?? 5);
}
