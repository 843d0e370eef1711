import { z } from 'zod';
import { InvalidLogCursorError, logHistogram, searchLogs, SEVERITY_BANDS, type Database, type LogFilter } from '@faultline/storage';
import { badRequest } from '../http.ts';
import { attributeFilters, attributes, limitParam, timeParam, timeRange, traceIdParam, traceLog } from '../params.ts';
import { route, type Context, type Route } from '../router.ts';

/** Severity classes by the lowest OTLP severity number of each. */
const SEVERITIES = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 } as const;

/** The filters the search and the histogram share. */
const logFilters = z.object({
  start: timeParam.optional(),
  end: timeParam.optional(),
  service: z.string().min(1).max(512).optional(),
  severity: z
    .enum(Object.keys(SEVERITIES) as [keyof typeof SEVERITIES, ...Array<keyof typeof SEVERITIES>])
    .optional()
    .meta({ description: 'lowest severity class shown: trace, debug, info, warn, error or fatal' }),
  query: z.string().min(1).max(500).optional().meta({ description: 'case-insensitive text the body contains' }),
  traceId: traceIdParam.optional(),
});
type LogFilters = z.infer<typeof logFilters>;

const logQuery = logFilters.extend({
  cursor: z.string().max(100).optional(),
  limit: limitParam(1000, 100),
});

/** The storage filter of a parsed query: default range the last hour, `attr.*` from the raw parameters. */
function toFilter({ query, project, searchParams }: Pick<Context<LogFilters, unknown>, 'query' | 'project' | 'searchParams'>): LogFilter {
  return {
    projectId: project.id,
    ...timeRange(query.start, query.end, 3_600_000),
    service: query.service,
    minSeverity: query.severity === undefined ? undefined : SEVERITIES[query.severity],
    text: query.query,
    traceId: query.traceId,
    attributes: attributeFilters(searchParams),
  };
}

const bandCounts = z.object(Object.fromEntries(SEVERITY_BANDS.map((b) => [b, z.number()])) as Record<(typeof SEVERITY_BANDS)[number], z.ZodNumber>);

const logEntry = traceLog.extend({ traceId: z.string(), resource: attributes });

export function logRoutes(db: Database): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/logs',
      summary:
        'Search log records, newest first: time range (default the last hour), service, lowest severity, body text, trace id and `attr.<key>=<value>` (record or resource attribute); filters apply before the limit; `nextCursor` pages on.',
      access: 'read',
      query: logQuery,
      extraQuery: [{ name: 'attr.<key>', description: 'Record or resource attribute equality; repeatable with different keys.' }],
      response: z.object({ logs: z.array(logEntry), nextCursor: z.string().nullable() }),
      async handler(ctx) {
        const { query } = ctx;
        const page = await searchLogs(db, {
          ...toFilter(ctx),
          cursor: query.cursor,
          limit: query.limit,
        }).catch((err: unknown) => {
          if (err instanceof InvalidLogCursorError) throw badRequest(`query parameter "cursor": ${err.message}`);
          throw err;
        });
        return { body: page };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/logs/histogram',
      summary:
        'Record counts of a log search (the same filters) per time bucket and severity band (SeverityNumber 0 unspecified, 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal), zero-filled; `step` (seconds) is a round width giving about 60 buckets, aligned to its multiples; `byService` is the ten services with the most records.',
      access: 'read',
      query: logFilters,
      extraQuery: [{ name: 'attr.<key>', description: 'Record or resource attribute equality; repeatable with different keys.' }],
      response: z.object({
        step: z.number(),
        buckets: z.array(z.object({ start: z.string(), counts: bandCounts })),
        total: z.number(),
        byService: z.array(z.object({ service: z.string(), count: z.number() })),
      }),
      async handler(ctx) {
        return { body: await logHistogram(db, toFilter(ctx)) };
      },
    }),
  ];
}
