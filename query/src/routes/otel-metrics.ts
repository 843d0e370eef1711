import { z } from 'zod';
import { listMetrics, metricSeries, type Database } from '@faultline/storage';
import { badRequest, notFound } from '../http.ts';
import { stepParam, timeParam, timeRange } from '../params.ts';
import { route, type Route } from '../router.ts';

// The OTLP metrics users' services send (stored as points, docs/ingest.md "Metrics"), read back: which metrics a
// project has, and one of them as time series. Faultline's own RED figures come from spans (performance.ts).

/** At most this many steps per series: a step that would give more is refused, not silently widened. */
const MAX_STEPS = 1_000;

const rangeQuery = z.object({
  start: timeParam.optional(),
  end: timeParam.optional(),
  service: z.string().min(1).max(512).optional(),
});

const range = (query: z.infer<typeof rangeQuery>) => timeRange(query.start, query.end, 3_600_000);

const seriesQuery = rangeQuery.extend({
  name: z.string().min(1).max(1024),
  step: stepParam(z.coerce.number().int().min(10).max(86_400).default(60)).meta({ description: 'seconds per value (10 s to a day), or a duration: 30s, 5m, 1h, 1d' }),
  groupBy: z.string().min(1).max(256).optional().meta({ description: 'an attribute key whose values split the series, besides the service' }),
});

export function otelMetricRoutes(db: Database): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/otel-metrics',
      summary: 'The OTLP metrics the project sent in a time range (default the last hour): name, type, unit, description, services, points.',
      access: 'read',
      query: rangeQuery,
      response: z.object({
        metrics: z.array(z.object({ name: z.string(), type: z.string(), unit: z.string(), description: z.string(), services: z.array(z.string()), points: z.number() })),
      }),
      async handler({ project, query }) {
        return { body: { metrics: await listMetrics(db, { projectId: project.id, ...range(query), service: query.service }) } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/otel-metrics/series',
      summary:
        'One OTLP metric as time series per service (and `groupBy` attribute value), one value per `step`: the average of a gauge or up-down counter, the rate per second of a counter, the mean observation of a histogram (cumulative points are turned into increments per time series, a drop counting as a reset). At most 50 series; 404 when the metric has no points in the range.',
      access: 'read',
      query: seriesQuery,
      response: z.object({
        name: z.string(),
        type: z.string(),
        unit: z.string(),
        aggregation: z.enum(['avg', 'rate', 'mean']),
        step: z.number(),
        series: z.array(z.object({ service: z.string(), group: z.string(), points: z.array(z.object({ time: z.string(), value: z.number() })) })),
      }),
      async handler({ project, query }) {
        const r = range(query);
        if (Number(r.endNs - r.startNs) / 1e9 / query.step > MAX_STEPS) throw badRequest(`query parameter "step": more than ${MAX_STEPS} steps in the range; use a larger step`);
        const found = await metricSeries(db, { projectId: project.id, ...r, service: query.service, name: query.name, stepSeconds: query.step, groupBy: query.groupBy });
        if (!found) throw notFound(`metric ${query.name} in this range`);
        return { body: { name: query.name, step: query.step, ...found } };
      },
    }),
  ];
}
