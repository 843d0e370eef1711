// Links between pages. Route parameters that are data (service names, release versions) are
// percent-encoded: Kit's `resolve` inserts them verbatim and they may hold '/', '?', '#' or spaces.
import { resolve } from '$app/paths';
import { rangeSearch, type TimeRange } from './time/range.ts';

const enc = encodeURIComponent;

export function servicePath(project: string, service: string, range?: TimeRange): string {
  const path = resolve('/projects/[project]/services/[service]', { project, service: enc(service) });
  return range ? `${path}${rangeSearch(range)}` : path;
}

export function servicesPath(project: string, range?: TimeRange): string {
  const path = resolve('/projects/[project]/services', { project });
  return range ? `${path}${rangeSearch(range)}` : path;
}

export function serviceMapPath(project: string, range?: TimeRange): string {
  const path = resolve('/projects/[project]/service-map', { project });
  return range ? `${path}${rangeSearch(range)}` : path;
}

/** Trace search filtered by service (and operation), over the same time range. */
export function tracesPath(project: string, range: TimeRange, service: string, operation = ''): string {
  const extra: Record<string, string> = { service };
  if (operation) extra.operation = operation;
  return `${resolve('/projects/[project]/traces', { project })}${rangeSearch(range, extra)}`;
}

/** A trace, with a span selected when `spanId` is given. */
export function tracePath(project: string, traceId: string, spanId = ''): string {
  const path = resolve('/projects/[project]/traces/[traceId]', { project, traceId });
  return spanId ? `${path}?span=${enc(spanId)}` : path;
}

export function releasePath(project: string, version: string): string {
  return resolve('/projects/[project]/releases/[version]', { project, version: enc(version) });
}

/** Issues list of a release (all statuses, most events first). */
export function releaseIssuesPath(project: string, version: string): string {
  const q = new URLSearchParams({ status: 'all', release: version, sort: 'events' });
  return `${resolve('/projects/[project]/issues', { project })}?${q}`;
}

/** An error event by id: the page opens its issue with the event shown. */
export function eventPath(project: string, eventId: string): string {
  return resolve('/projects/[project]/events/[eventId]', { project, eventId: enc(eventId) });
}

/** `url`'s path and query with some parameters set (or removed, for ''), the others kept: links within a page. */
export function hrefWith(url: Pick<URL, 'pathname' | 'search'>, changes: Record<string, string>): string {
  const q = new URLSearchParams(url.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value) q.set(key, value);
    else q.delete(key);
  }
  const qs = q.toString();
  return `${url.pathname}${qs ? `?${qs}` : ''}`;
}

export function issuePath(project: string, issueId: string): string {
  return resolve('/projects/[project]/issues/[issueId]', { project, issueId });
}
