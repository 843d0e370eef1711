// OTLP metrics read back (GET …/otel-metrics, …/otel-metrics/series), normalized: untrusted fields become safe values.
import { num, records, str } from '../format/metrics.ts';
import type { Window } from '../time/range.ts';
import { getJson } from './client.ts';

export interface OtelMetric {
  name: string;
  type: string;
  unit: string;
  description: string;
  services: string[];
  points: number;
}

export interface OtelSeries {
  aggregation: 'avg' | 'rate' | 'mean';
  unit: string;
  step: number;
  series: Array<{ service: string; group: string; points: Array<{ timeMs: number; value: number }> }>;
}

const seg = encodeURIComponent;

export async function listOtelMetrics(project: string, w: Window, signal?: AbortSignal): Promise<OtelMetric[]> {
  const body = await getJson<{ metrics?: unknown }>(`/projects/${seg(project)}/otel-metrics?start=${w.startMs}&end=${w.endMs}`, signal);
  return records(body.metrics)
    .map((m) => ({
      name: str(m.name),
      type: str(m.type),
      unit: str(m.unit),
      description: str(m.description),
      services: Array.isArray(m.services) ? m.services.map(str) : [],
      points: num(m.points),
    }))
    .filter((m) => m.name !== '');
}

export async function otelMetricSeries(project: string, name: string, w: Window, step: number, groupBy: string, signal?: AbortSignal): Promise<OtelSeries> {
  const q = new URLSearchParams({ name, start: String(w.startMs), end: String(w.endMs), step: String(step) });
  if (groupBy) q.set('groupBy', groupBy);
  const body = await getJson<Record<string, unknown>>(`/projects/${seg(project)}/otel-metrics/series?${q.toString()}`, signal);
  const aggregation = body.aggregation === 'rate' || body.aggregation === 'mean' ? body.aggregation : 'avg';
  return {
    aggregation,
    unit: str(body.unit),
    step: num(body.step),
    series: records(body.series).map((s) => ({
      service: str(s.service),
      group: str(s.group),
      points: records(s.points)
        .map((p) => ({ timeMs: Date.parse(str(p.time)), value: num(p.value) }))
        .filter((p) => Number.isFinite(p.timeMs)),
    })),
  };
}
