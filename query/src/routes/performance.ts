import { z } from 'zod';
import { operationRed, serviceMapEdges, serviceNames, serviceRates, serviceRed, serviceSeries, type Database, type RangeQuery } from '@faultline/storage';
import { badRequest } from '../http.ts';
import { decimalParam, msRange, stepParam, timeParam } from '../params.ts';
import { route, type Route } from '../router.ts';
import { TtlCache } from '../ttl-cache.ts';
import { capPeers } from './peer-cap.ts';

/** Peer targets per calling service on the service map before the rest are folded into one (see peer-cap.ts). */
const DEFAULT_MAX_PEERS = 25;

const HOUR = 3_600_000;
/** The range every endpoint here reads without `start`: the same default gives the same rates everywhere. */
const DEFAULT_RANGE_MS = HOUR;

const rangeQuery = z.object({
  start: timeParam.optional().meta({ description: 'ISO-8601 time or Unix milliseconds; default: an hour before `end`' }),
  end: timeParam.optional().meta({ description: 'ISO-8601 time or Unix milliseconds; default: now' }),
  apdexMs: decimalParam(z.coerce.number().positive().max(600_000).default(500)).meta({ description: 'Apdex threshold T in ms: satisfied ≤ T, tolerating ≤ 4T' }),
});

const red = {
  calls: z.number(),
  errors: z.number(),
  requestRate: z.number(),
  errorRate: z.number(),
  p50DurationNano: z.number(),
  p95DurationNano: z.number(),
  p99DurationNano: z.number(),
  apdex: z
    .number()
    .nullable()
    .meta({
      description:
        'Apdex for threshold T = `apdexMs`, failed calls counted as frustrated: ((satisfied + tolerating / 2) / calls) × (1 − errors / calls), satisfied ≤ T, tolerating ≤ 4T (from a duration histogram that resolves T to within 25 %; failed calls are taken to be spread over its buckets like the rest). Null without calls.',
    }),
};

function range(projectId: number, q: { start?: number; end?: number; apdexMs: number }): RangeQuery {
  const { startMs, endMs } = msRange(q.start, q.end, DEFAULT_RANGE_MS);
  if (endMs - startMs > 400 * 24 * HOUR) throw badRequest('query parameter "start": the range may span at most 400 days');
  return { projectId, startMs, endMs, apdexMs: q.apdexMs };
}

/**
 * Bucket width for a series: the asked step, else about 60 points in whole minutes (the aggregates' grain), and
 * in whole hours past an hour, so long ranges read the hourly rollups (7 days: 3 h buckets, 168 rows per service
 * and side instead of 10,080 minutes).
 */
function stepFor(r: RangeQuery, asked: number | undefined): number {
  const span = (r.endMs - r.startMs) / 1000;
  const minutes = Math.max(60, Math.ceil(span / 60 / 60) * 60);
  const step = asked ?? (minutes > 3600 ? Math.ceil(minutes / 3600) * 3600 : minutes);
  if (step < 60 || step % 60 !== 0) throw badRequest('query parameter "step": must be a multiple of 60 seconds');
  if (span / step > 2000) throw badRequest('query parameter "step": too small for this range (at most 2000 buckets)');
  // A bucket wider than the range would divide its calls by time outside it (a rate of ~0).
  const widest = Math.max(60, Math.ceil(span / 60) * 60);
  if (step > widest) throw badRequest(`query parameter "step": ${step} s is longer than the range; use at most ${widest}`);
  return step;
}

/** How long the list of services seen over the retention is reused: it only adds idle services to a listing. */
const KNOWN_SERVICES_TTL_MS = 30_000;

export function performanceRoutes(db: Database, retentionDays: number): Route[] {
  const retentionMs = retentionDays * 24 * HOUR;
  const knownNames = new TtlCache<string[]>(KNOWN_SERVICES_TTL_MS);
  const known = (projectId: number) => knownNames.get(String(projectId), () => serviceNames(db, projectId, Date.now() - retentionMs, Date.now()));
  return [
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/services',
      summary: 'Services with RED metrics (request rate, error rate, p50/p95/p99, Apdex) over the range (default: last hour).',
      access: 'read',
      query: rangeQuery,
      response: z.object({ services: z.array(z.object({ name: z.string(), ...red })) }),
      async handler({ project, query }) {
        const r = range(project.id, query);
        // Services known over the whole retention are listed too (idle ones with zeros), so dropdowns stay complete.
        const [inRange, names] = await Promise.all([serviceRed(db, r), known(project.id)]);
        const byName = new Map(inRange.map((s) => [s.name, s]));
        const idle = { calls: 0, errors: 0, requestRate: 0, errorRate: 0, p50DurationNano: 0, p95DurationNano: 0, p99DurationNano: 0, apdex: null };
        const services = names.map((name) => byName.get(name) ?? { name, ...idle });
        for (const s of inRange) if (!services.some((x) => x.name === s.name)) services.push(s);
        return { body: { services } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/services/{service}/operations',
      summary: 'Operations (span name + kind) of a service with RED metrics over the range (default: last hour).',
      access: 'read',
      query: rangeQuery,
      response: z.object({ operations: z.array(z.object({ name: z.string(), kind: z.string(), ...red })) }),
      async handler({ project, params, query }) {
        const operations = await operationRed(db, range(project.id, query), params.service ?? '');
        return { body: { operations } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/services/{service}/metrics',
      summary:
        'RED time series of a service (or one operation) over the range (default: last hour) with buckets of `step` seconds (default: about 60 buckets, in whole hours past an hour).',
      access: 'read',
      query: rangeQuery.extend({ step: stepParam(z.coerce.number().int().positive()).optional(), operation: z.string().min(1).max(1024).optional() }),
      response: z.object({ service: z.string(), step: z.number(), series: z.array(z.object({ time: z.string(), ...red })) }),
      async handler({ project, params, query }) {
        const r = range(project.id, query);
        const step = stepFor(r, query.step);
        const series = await serviceSeries(db, r, params.service ?? '', step, query.operation);
        return { body: { service: params.service ?? '', step, series } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/service-map',
      summary:
        'Service dependency graph built at ingest time: nodes and edges with calls, errors and p50/p95 (default: last hour). One edge per (source, target) pair; each call counted once, as the caller saw it (its CLIENT span; the callee\'s span when the caller has none). A peer is what the caller named: peer.service, db.system, messaging.system, else the host it called (server.address, url.full …) unless that call reached an instrumented service.',
      access: 'read',
      query: rangeQuery.extend({
        maxPeers: decimalParam(z.coerce.number().int('must be an integer').min(1).max(1000).default(DEFAULT_MAX_PEERS)).meta({
          description: 'peer targets shown per calling service, the busiest first; the rest are one edge to "N other peers of <service>"',
        }),
      }),
      response: z.object({
        nodes: z.array(
          z
            .object({ id: z.string(), kind: z.string(), requestRate: z.number().optional(), errorRate: z.number().optional() })
            .meta({ description: 'rates only for services with calls in the range' }),
        ),
        edges: z.array(
          z.object({
            source: z.string(),
            target: z.string(),
            targetKind: z.enum(['service', 'peer']).meta({ description: "'service' when the target sends spans, 'peer' when only its callers name it (a database, an external API)" }),
            callCount: z.number(),
            errorCount: z.number(),
            p50DurationNano: z.number(),
            p95DurationNano: z.number(),
          }),
        ),
      }),
      async handler({ project, query }) {
        const r = range(project.id, query);
        const [rows, services] = await Promise.all([serviceMapEdges(db, r), serviceRates(db, r)]);
        const nodes = new Map<string, { id: string; kind: string; requestRate?: number; errorRate?: number }>();
        for (const s of services) nodes.set(s.name, { id: s.name, kind: 'service', requestRate: s.requestRate, errorRate: s.errorRate });
        for (const e of rows) if (!nodes.has(e.source)) nodes.set(e.source, { id: e.source, kind: 'service' });
        // A target its callers name (peer.service) that sends spans of its own is a service, like its node.
        const edges = capPeers(
          rows.map((e) => ({ ...e, targetKind: e.targetKind === 'service' || nodes.get(e.target)?.kind === 'service' ? 'service' : 'peer' })),
          query.maxPeers,
        );
        for (const e of edges) if (!nodes.has(e.target)) nodes.set(e.target, { id: e.target, kind: e.targetKind });
        return { body: { nodes: [...nodes.values()], edges } };
      },
    }),
  ];
}
