// Span charts of /api/v1 (`…/spans/series`, docs/api.md): the trace search's filters, counted per bucket.
import { getJson } from './client.ts';
import { num, records, str } from '../format/metrics.ts';
import type { SpanSeriesAnswer } from '../search/span-chart.ts';

const seg = encodeURIComponent;

/** `query` holds the search filters (start/end resolved) plus `groupBy`; the server picks the step. */
export async function getSpanSeries(project: string, query: URLSearchParams, signal?: AbortSignal): Promise<SpanSeriesAnswer> {
  const body = await getJson<Record<string, unknown>>(`/projects/${seg(project)}/spans/series?${query.toString()}`, signal);
  return {
    step: Math.max(1, num(body.step, 60)),
    groupBy: typeof body.groupBy === 'string' ? body.groupBy : null,
    series: records(body.series).map((s) => ({
      group: str(s.group),
      calls: num(s.calls),
      errors: num(s.errors),
      points: records(s.points).map((p) => ({
        timeMs: Date.parse(str(p.time)),
        calls: num(p.calls),
        errors: num(p.errors),
        p50DurationNano: num(p.p50DurationNano),
        p95DurationNano: num(p.p95DurationNano),
        p99DurationNano: num(p.p99DurationNano),
      })),
    })),
  };
}
