// Services, operations, RED time series and the service map of /api/v1 (same client and
// 401 → sign-in behaviour as client.ts). Responses are untrusted: every field is normalized.
import { getJson } from './client.ts';
import { APDEX_THRESHOLD_MS, num, numOrNull, records, str } from '../format/metrics.ts';
import { windowQuery, type Window } from '../time/range.ts';

// every RED query names the Apdex threshold the UI shows next to the scores
const apdex = { apdexMs: String(APDEX_THRESHOLD_MS) };

export interface Red {
  calls: number;
  errors: number;
  /** Calls per second over the range (or the bucket). */
  requestRate: number;
  /** Errors / calls, 0–1. */
  errorRate: number;
  p50DurationNano: number;
  p95DurationNano: number;
  p99DurationNano: number;
  apdex: number | null;
}

export interface ServiceRed extends Red {
  name: string;
}

export interface OperationRed extends Red {
  name: string;
  kind: string;
}

export interface SeriesPoint extends Red {
  /** Bucket start, unix ms. */
  time: number;
}

export interface ServiceSeries {
  service: string;
  /** Bucket width in seconds. */
  step: number;
  series: SeriesPoint[];
}

export interface MapNode {
  id: string;
  kind: 'service' | 'peer';
  requestRate: number | null;
  errorRate: number | null;
}

export interface MapEdge {
  source: string;
  target: string;
  targetKind: string;
  callCount: number;
  errorCount: number;
  p50DurationNano: number;
  p95DurationNano: number;
}

export interface ServiceMap {
  nodes: MapNode[];
  edges: MapEdge[];
}

const seg = encodeURIComponent;
const base = (project: string): string => `/projects/${seg(project)}`;

export function normalizeRed(r: Record<string, unknown>): Red {
  return {
    calls: num(r.calls),
    errors: num(r.errors),
    requestRate: num(r.requestRate),
    errorRate: num(r.errorRate),
    p50DurationNano: num(r.p50DurationNano),
    p95DurationNano: num(r.p95DurationNano),
    p99DurationNano: num(r.p99DurationNano),
    apdex: numOrNull(r.apdex),
  };
}

export async function getServices(project: string, w: Window, signal?: AbortSignal): Promise<ServiceRed[]> {
  const body = await getJson<{ services?: unknown }>(`${base(project)}/services?${windowQuery(w, apdex)}`, signal);
  return records(body.services)
    .map((s) => ({ name: str(s.name), ...normalizeRed(s) }))
    .filter((s) => s.name !== '');
}

export async function getOperations(project: string, service: string, w: Window, signal?: AbortSignal): Promise<OperationRed[]> {
  const body = await getJson<{ operations?: unknown }>(
    `${base(project)}/services/${seg(service)}/operations?${windowQuery(w, apdex)}`,
    signal,
  );
  return records(body.operations).map((o) => ({ name: str(o.name), kind: str(o.kind), ...normalizeRed(o) }));
}

export async function getServiceSeries(
  project: string,
  service: string,
  w: Window,
  opts: { step?: number; operation?: string } = {},
  signal?: AbortSignal,
): Promise<ServiceSeries> {
  const extra: Record<string, string> = { ...apdex };
  if (opts.step) extra.step = String(opts.step);
  if (opts.operation) extra.operation = opts.operation;
  const body = await getJson<{ service?: unknown; step?: unknown; series?: unknown }>(
    `${base(project)}/services/${seg(service)}/metrics?${windowQuery(w, extra)}`,
    signal,
  );
  const series = records(body.series)
    .map((p) => ({ time: Date.parse(str(p.time)), ...normalizeRed(p) }))
    .filter((p) => Number.isFinite(p.time))
    .sort((a, b) => a.time - b.time);
  return { service: str(body.service) || service, step: num(body.step, 60), series };
}

export async function getServiceMap(project: string, w: Window, signal?: AbortSignal): Promise<ServiceMap> {
  const body = await getJson<{ nodes?: unknown; edges?: unknown }>(`${base(project)}/service-map?${windowQuery(w)}`, signal);
  const nodes: MapNode[] = records(body.nodes)
    .map((n) => ({
      id: str(n.id),
      kind: n.kind === 'service' ? ('service' as const) : ('peer' as const),
      requestRate: numOrNull(n.requestRate),
      errorRate: numOrNull(n.errorRate),
    }))
    .filter((n) => n.id !== '');
  const edges: MapEdge[] = records(body.edges)
    .map((e) => ({
      source: str(e.source),
      target: str(e.target),
      targetKind: str(e.targetKind),
      callCount: num(e.callCount),
      errorCount: num(e.errorCount),
      p50DurationNano: num(e.p50DurationNano),
      p95DurationNano: num(e.p95DurationNano),
    }))
    .filter((e) => e.source !== '' && e.target !== '');
  return { nodes, edges };
}
