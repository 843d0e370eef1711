import type { EdgeOut } from '@faultline/storage';

/** The target of a source's folded peers (one per source: two sources' rests are not one thing). */
export const otherPeers = (source: string, count: number) => `${count} other peers of ${source}`;

/**
 * At most `max` peer targets per calling service on the service map; the rest of its peers become one edge to a node
 * "N other peers of <service>". A client that names the host it called (`server.address`) turns per-tenant
 * subdomains or raw IP addresses into a node each, and a map of hundreds of peer nodes shows nothing.
 */
export function capPeers(edges: readonly EdgeOut[], max: number): EdgeOut[] {
  const peersBySource = new Map<string, EdgeOut[]>();
  for (const e of edges) {
    if (e.targetKind !== 'peer') continue;
    const list = peersBySource.get(e.source) ?? [];
    list.push(e);
    peersBySource.set(e.source, list);
  }
  const folded = new Set<EdgeOut>();
  const rests: EdgeOut[] = [];
  for (const [source, peers] of peersBySource) {
    if (peers.length <= max) continue;
    const rest = [...peers].sort((a, b) => b.callCount - a.callCount || a.target.localeCompare(b.target)).slice(max);
    for (const e of rest) folded.add(e);
    rests.push({
      source,
      target: otherPeers(source, rest.length),
      targetKind: 'peer',
      callCount: rest.reduce((n, e) => n + e.callCount, 0),
      errorCount: rest.reduce((n, e) => n + e.errorCount, 0),
      // Percentiles of several edges do not combine: the slowest folded peer's, an upper bound of the group's.
      p50DurationNano: Math.max(...rest.map((e) => e.p50DurationNano)),
      p95DurationNano: Math.max(...rest.map((e) => e.p95DurationNano)),
    });
  }
  return [...edges.filter((e) => !folded.has(e)), ...rests];
}
