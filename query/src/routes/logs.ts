import { z } from 'zod';
import { InvalidLogCursorError, searchLogs, type Database } from '@faultline/storage';
import { badRequest } from '../http.ts';
import { attributeFilters, attributes, limitParam, timeParam, timeRange, traceIdParam, traceLog } from '../params.ts';
import { route, type Route } from '../router.ts';

/** Severity classes by the lowest OTLP severity number of each. */
const SEVERITIES = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 } as const;

const logQuery = z.object({
  start: timeParam.optional(),
  end: timeParam.optional(),
  service: z.string().min(1).max(512).optional(),
  severity: z
    .enum(Object.keys(SEVERITIES) as [keyof typeof SEVERITIES, ...Array<keyof typeof SEVERITIES>])
    .optional()
    .meta({ description: 'lowest severity class shown: trace, debug, info, warn, error or fatal' }),
  query: z.string().min(1).max(500).optional().meta({ description: 'case-insensitive text the body contains' }),
  traceId: traceIdParam.optional(),
  cursor: z.string().max(100).optional(),
  limit: limitParam(1000, 100),
});

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
      response: z.object({ logs: z.array(logEntry), nextCursor: z.string().nullable() }),
      async handler({ query, project, searchParams }) {
        let range;
        try {
          range = timeRange(query.start, query.end, 3_600_000);
        } catch (err) {
          throw badRequest(`query parameter "start": ${(err as Error).message}`);
        }
        const page = await searchLogs(db, {
          projectId: project.id,
          ...range,
          service: query.service,
          minSeverity: query.severity === undefined ? undefined : SEVERITIES[query.severity],
          text: query.query,
          traceId: query.traceId,
          attributes: attributeFilters(searchParams),
          cursor: query.cursor,
          limit: query.limit,
        }).catch((err: unknown) => {
          if (err instanceof InvalidLogCursorError) throw badRequest(`query parameter "cursor": ${err.message}`);
          throw err;
        });
        return { body: page };
      },
    }),
  ];
}
