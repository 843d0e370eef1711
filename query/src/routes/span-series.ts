import { z } from 'zod';
import { spanSeries, type Database, type SpanGroupBy } from '@faultline/storage';
import { badRequest } from '../http.ts';
import { route, type Route } from '../router.ts';
import { decimalParam, stepParam } from '../params.ts';
import { spanFilterInput, spanFilterParams, spanFilterQuery } from './traces.ts';

// Ad-hoc charts of spans (docs/api.md "Span charts"): any filter of a trace search, split by a column or an
// attribute. They read raw spans in the range, unlike the RED rollups, so they cost what a search costs.

const MAX_BUCKETS = 2_000;
/** Bucket widths a default step is rounded up to (seconds). */
const NICE_STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400];

const groupBy = z
  .string()
  .max(260)
  .refine(
    (g) => ['service', 'operation', 'status', 'kind'].includes(g) || /^attr\..{1,256}$/.test(g),
    'must be service, operation, status, kind or attr.<key>',
  )
  .transform((g) => g as SpanGroupBy);

const point = z.object({
  time: z.string().meta({ description: 'bucket start, ISO-8601' }),
  calls: z.number(),
  errors: z.number(),
  p50DurationNano: z.string(),
  p95DurationNano: z.string(),
  p99DurationNano: z.string(),
});

/** The asked step, else about 60 buckets rounded up to a usual width; at most MAX_BUCKETS. */
export function seriesStep(rangeSeconds: number, asked: number | undefined): number {
  const step = asked ?? NICE_STEPS.find((s) => s >= rangeSeconds / 60) ?? Math.ceil(rangeSeconds / 60 / 86_400) * 86_400;
  if (rangeSeconds / step > MAX_BUCKETS)
    throw badRequest(`query parameter "step": too small for this range (at most ${MAX_BUCKETS} buckets)`);
  return step;
}

export function spanSeriesRoutes(db: Database): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/spans/series',
      summary:
        'Spans meeting every filter of a trace search, counted per bucket of `step` seconds (default about 60 buckets): calls, errors and p50/p95/p99 duration; `groupBy` splits them by service, operation, status, kind or `attr.<key>` (the span attribute, else the resource attribute; "" for spans without it), keeping the `groups` largest groups.',
      access: 'read',
      query: spanFilterQuery.extend({
        step: stepParam(
          z.coerce
            .number()
            .int('must be an integer')
            .min(1, 'must be ≥ 1')
            .max(86_400 * 31),
        ).optional(),
        groupBy: groupBy.optional(),
        groups: decimalParam(z.coerce.number().int('must be an integer').min(1).max(50).default(10)),
      }),
      extraQuery: spanFilterParams,
      response: z.object({
        step: z.number(),
        groupBy: z.string().nullable(),
        series: z.array(z.object({ group: z.string(), calls: z.number(), errors: z.number(), points: z.array(point) })),
      }),
      async handler({ query, project, searchParams }) {
        const filters = spanFilterInput(query, searchParams, project.id);
        const step = seriesStep(Number((filters.endNs - filters.startNs) / 1_000_000_000n), query.step);
        const series = await spanSeries(db, { ...filters, stepSeconds: step, groupBy: query.groupBy, maxGroups: query.groups });
        return {
          body: {
            step,
            groupBy: query.groupBy ?? null,
            series: series.map((s) => ({
              ...s,
              points: s.points.map(({ timeMs, ...p }) => ({ time: new Date(timeMs).toISOString(), ...p })),
            })),
          },
        };
      },
    }),
  ];
}
