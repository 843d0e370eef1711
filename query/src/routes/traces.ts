import { z } from 'zod';
import { encodeTracesJson } from '@faultline/proto';
import { getStoredTrace, InvalidCursorError, readTrace, searchTraces, type Database, type SpanFilterQuery } from '@faultline/storage';
import { badRequest, notFound } from '../http.ts';
import {
  attributeFilters,
  attributes,
  decimalParam,
  durationMsParam,
  limitParam,
  MAX_KEY_FILTERS,
  msToNs,
  timeParam,
  timeRange,
  traceIdParam,
  traceLog,
} from '../params.ts';
import { route, type Route } from '../router.ts';

export interface TraceRouteOptions {
  /** Largest trace returned by id. Default 100,000 spans. */
  maxSpansPerTrace: number;
  /** Log records returned with a trace. Default 1,000. */
  maxLogsPerTrace: number;
  retentionDays: number;
}

const spanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string(),
  traceState: z.string(),
  name: z.string(),
  kind: z.enum(['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER']),
  serviceName: z.string(),
  startTimeUnixNano: z.string(),
  durationNano: z.string(),
  statusCode: z.enum(['UNSET', 'OK', 'ERROR']),
  statusMessage: z.string(),
  attributes,
  resource: attributes,
  scope: z.object({ name: z.string(), version: z.string() }),
  events: z.array(z.object({ timeUnixNano: z.string(), name: z.string(), attributes })),
  links: z.array(z.object({ traceId: z.string(), spanId: z.string(), traceState: z.string(), attributes })),
});

const traceSummary = z.object({
  traceId: z.string(),
  rootServiceName: z.string(),
  rootName: z.string(),
  startTimeUnixNano: z.string(),
  durationNano: z.string(),
  spanCount: z.number(),
  errorCount: z.number(),
  services: z.array(z.string()),
});

const traceQuery = (maxSpans: number) => z.object({ limit: decimalParam(z.coerce.number().int('must be an integer').min(1).max(maxSpans)).optional() });

/** The span-level filters of a trace search, shared with span charts (`spans/series`). */
export const spanFilterQuery = z.object({
  service: z.string().min(1).max(512).optional(),
  operation: z.string().min(1).max(1024).optional(),
  status: z.enum(['ok', 'error', 'unset', 'OK', 'ERROR', 'UNSET']).optional(),
  minDurationMs: durationMsParam.optional(),
  maxDurationMs: durationMsParam.optional(),
  start: timeParam.optional(),
  end: timeParam.optional(),
  release: z.string().min(1).max(250).optional(),
  environment: z.string().min(1).max(250).optional(),
});

export const spanFilterParams = [
  { name: 'attr.<key>', description: 'Span or resource attribute equality (`attr.http.route=/cart`); repeatable with different keys.' },
  { name: 'hasAttr', description: 'The span has this attribute key (span or resource); repeatable, up to 20.' },
];

/** The filters as storage takes them, over the range (default the last hour); 400s name the parameter at fault. */
export function spanFilterInput(query: z.infer<typeof spanFilterQuery>, searchParams: URLSearchParams, projectId: number): SpanFilterQuery {
  if (query.minDurationMs !== undefined && query.maxDurationMs !== undefined && query.minDurationMs > query.maxDurationMs) {
    throw badRequest('query parameter "minDurationMs": must not exceed maxDurationMs');
  }
  const range = timeRange(query.start, query.end, 3_600_000);
  const hasAttributes = searchParams.getAll('hasAttr');
  if (hasAttributes.some((k) => k === '' || k.length > 256)) throw badRequest('query parameter "hasAttr": attribute key must be 1-256 characters');
  if (hasAttributes.length > MAX_KEY_FILTERS) throw badRequest(`query parameter "hasAttr": at most ${MAX_KEY_FILTERS} keys`);
  return {
    projectId,
    ...range,
    service: query.service,
    operation: query.operation,
    status: query.status?.toUpperCase() as 'OK' | 'ERROR' | 'UNSET' | undefined,
    minDurationNs: query.minDurationMs === undefined ? undefined : msToNs(query.minDurationMs),
    maxDurationNs: query.maxDurationMs === undefined ? undefined : msToNs(query.maxDurationMs),
    attributes: attributeFilters(searchParams),
    hasAttributes,
    release: query.release,
    environment: query.environment,
  };
}

const searchQuery = spanFilterQuery.extend({
  hasError: z.enum(['true', 'false']).optional(),
  sort: z.enum(['start', 'duration']).default('start'),
  cursor: z.string().max(500).optional(),
  limit: limitParam(1000, 20),
});

export function traceRoutes(db: Database, options: TraceRouteOptions): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/traces/{traceId}',
      summary:
        'One trace: every span with attributes, resource, events and links, plus linked error events and the log records carrying the trace id (oldest first, at most FAULTLINE_MAX_LOGS_PER_TRACE; `logsTruncated` says when more exist). A trace known only from its error events or log records (an SDK with tracing off, spans sampled out or expired) answers with `spans: []`; 404 when nothing of it is stored. `limit` returns only the earliest spans (by start time): the UI paints the top of a big trace from them while the whole trace loads.',
      access: 'read',
      query: traceQuery(options.maxSpansPerTrace),
      response: z.object({
        traceId: z.string(),
        spans: z.array(spanSchema),
        errors: z.array(z.object({ eventId: z.string(), issueId: z.string(), spanId: z.string(), title: z.string(), level: z.string() })),
        logs: z.array(traceLog),
        logsTruncated: z.boolean(),
      }),
      async handler({ params, project, query }) {
        const parsed = traceIdParam.safeParse(params.traceId);
        if (!parsed.success) throw badRequest(`path parameter "traceId": must be 32 hexadecimal characters`);
        const limit = query.limit ?? options.maxSpansPerTrace;
        const trace = await readTrace(db, project.id, parsed.data, { maxSpans: limit, maxLogs: options.maxLogsPerTrace });
        if (!trace) throw notFound(`trace ${parsed.data}`);
        return { body: { traceId: parsed.data, ...trace } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/traces/{traceId}/otlp',
      summary:
        'One trace as an OTLP/JSON ExportTraceServiceRequest, as a download (`Content-Disposition: attachment`): any OTLP receiver takes it, `POST /v1/traces` of another Faultline included. Attribute types are kept; values inside arrays and maps come back as strings, ints or doubles.',
      access: 'read',
      response: z.object({
        resourceSpans: z.array(
          z.object({
            resource: z.object({ attributes: z.array(z.object({ key: z.string(), value: z.record(z.string(), z.unknown()) })) }),
            scopeSpans: z.array(z.object({ scope: z.object({ name: z.string(), version: z.string().optional() }), spans: z.array(z.record(z.string(), z.unknown())) })),
          }),
        ),
      }),
      async handler({ params, project }) {
        const parsed = traceIdParam.safeParse(params.traceId);
        if (!parsed.success) throw badRequest(`path parameter "traceId": must be 32 hexadecimal characters`);
        const spans = await getStoredTrace(db, project.id, parsed.data, options.maxSpansPerTrace);
        if (!spans) throw notFound(`trace ${parsed.data}`);
        return { body: encodeTracesJson(spans), headers: { 'content-disposition': `attachment; filename="trace-${parsed.data}.otlp.json"` } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/traces',
      summary: 'Search traces. A trace matches when one of its spans meets every filter (hasError: any span of the trace failed); filters apply before the limit; `nextCursor` pages on.',
      access: 'read',
      query: searchQuery,
      extraQuery: spanFilterParams,
      response: z.object({ traces: z.array(traceSummary), nextCursor: z.string().nullable() }),
      async handler({ query, project, searchParams }) {
        const page = await searchTraces(db, {
          ...spanFilterInput(query, searchParams, project.id),
          hasError: query.hasError === 'true',
          sort: query.sort,
          cursor: query.cursor,
          limit: query.limit,
        }).catch((err: unknown) => {
          if (err instanceof InvalidCursorError) throw badRequest(`query parameter "cursor": ${err.message}`);
          throw err;
        });
        return { body: page };
      },
    }),
  ];
}
