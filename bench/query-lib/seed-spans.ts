/**
 * Synthetic spans for bench/query.ts, generated inside ClickHouse with `INSERT … SELECT … FROM numbers(…)`.
 *
 * Every value is a deterministic function of a trace number t (and a span index i), so a trace's spans, the
 * service-edge observations derived from them and the error events that point at traces agree with each other.
 * The shape follows Jaeger's ClickHouse benchmark: ~10 spans per trace (2–18, exactly 10 on average), 11 span
 * attributes, start times spread over the last 24 h.
 *
 *  - 12 services with a fixed call graph (frontend → api-gateway → checkout → payment …); a span's parent is a
 *    random earlier span of its trace; a child either stays in its parent's service (INTERNAL, or CLIENT to the
 *    service's database / cache / external API) or crosses to one of the parent service's downstream services
 *    (SERVER). Services pick 2–6 operations each, so there are ~95 (service, operation, kind) series.
 *  - durations log-normal (median 120 ms root, 25 ms server, 4 ms client, 0.6 ms internal; σ = 0.9);
 *  - 1.5 % of spans ERROR, each with an `exception` span event;
 *  - span attributes: http.request.method (4), http.response.status_code (int, ~14), http.route (~95),
 *    url.path (~50k), server.address (36), server.port (int, 4), user.id (100k, per trace), tenant.id (200, per
 *    trace), session.id (per trace), thread.id (int, 64), client.address (~260k);
 *  - 8 resource attributes (service.name, service.version — hosts 0/1 run 2.3.1, host 2 the 2.4.0 canary —,
 *    deployment.environment.name, host.name, process.pid, telemetry.sdk.*).
 *
 * All SQL text here is constants of this file; the lists (seed-vocabulary.ts) are passed as query parameters.
 */
import { sql, typed, type Database, type Ident, type Sql } from '@faultline/storage';
import {
  CLIENT_OPS,
  DAY_NS,
  DOWNSTREAM,
  ERROR_MESSAGES,
  ERROR_TYPES,
  INTERNAL_OPS,
  LANGUAGES,
  PEERS,
  pick,
  pickNested,
  SERVER_OPS,
  SERVICES,
} from './seed-vocabulary.ts';

/** Distinct trace shapes (span count, parent links, services); trace t has shape t % SHAPES. */
export const SHAPES = 2000;

/**
 * The trace shapes, into `table` (a Memory table): n spans (2..18; shapes 2j and 2j+1 hold 20 together, so
 * every 2 traces hold exactly 20 spans), each span's parent (a random earlier span) and service. A child stays
 * in its parent's service 40 % of the time (or always, for a service that calls nobody), else it crosses to
 * one of the parent service's downstream services.
 */
export function shapesStatements(table: Ident): Sql[] {
  const downstream = typed(DOWNSTREAM, 'Array(Array(UInt8))');
  return [
    sql`CREATE TABLE ${table} (shape UInt32, n UInt32, parents Array(UInt32), svcs Array(UInt8)) ENGINE = Memory`,
    sql`INSERT INTO ${table}
      SELECT toUInt32(number) AS s,
        toUInt32(10 + if(s % 2 = 0, 1, -1) * (toInt32(sipHash64(intDiv(s, 2), 'n') % 17) - 8)) AS n,
        arrayMap(k -> if(k = 0, 0, toUInt32(sipHash64(s, k, 'parent') % k)), range(n)) AS parents,
        arrayFold((acc, k) -> arrayPushBack(acc,
            if(length(${downstream}[acc[parents[k + 1] + 1] + 1]) = 0 OR sipHash64(s, k, 'stay') % 10 < 4,
               acc[parents[k + 1] + 1],
               ${downstream}[acc[parents[k + 1] + 1] + 1][sipHash64(s, k, 'to') % length(${downstream}[acc[parents[k + 1] + 1] + 1]) + 1])),
          range(1, n), [toUInt8(if(sipHash64(s, 'root') % 10 < 7, 0, 1))]) AS svcs
      FROM numbers(${typed(SHAPES, 'UInt64')})`,
  ];
}

/** Traces [firstTrace, firstTrace + traces) of project `projectId`, drawn from the `shapes` table, ending near `nowNs`. */
export interface TraceSlice {
  shapes: Ident;
  projectId: number;
  firstTrace: number;
  traces: number;
  nowNs: bigint;
}

/**
 * One row per span of the slice's traces: t, i, parent p, service indexes svc / psvc (0-based), kind, start
 * (Unix ns), duration (ns), err, plus a per-span hash h for attribute choices.
 */
export function skeleton({ shapes, firstTrace, traces, nowNs }: TraceSlice): Sql {
  return sql`
    SELECT t, i, p, svc, psvc, kind, h, err,
      toInt64(${typed(nowNs.toString(), 'Int64')}) - toInt64(sipHash64(t, 'start') % ${typed(DAY_NS, 'UInt64')})
        + toInt64(i) * 1500000 + toInt64(h % 1000000) AS startNs,
      -- log-normal through Box-Muller over two hashes
      toUInt64(least(60e9, exp(log(multiIf(i = 0, 120e6, kind = 'SERVER', 25e6, kind = 'CLIENT', 4e6, 0.6e6))
        + 0.9 * sqrt(-2 * log(((sipHash64(t, i, 'u1') % 1000000) + 0.5) / 1e6)) * cos(2 * pi() * ((sipHash64(t, i, 'u2') % 1000000) / 1e6))))) AS dur
    FROM (
      SELECT t, i, p, svc, psvc, h,
        multiIf(i = 0 OR svc != psvc, 'SERVER', h % 3 = 0, 'CLIENT', 'INTERNAL') AS kind,
        sipHash64(t, i, 'err') % 1000 < 15 AS err
      FROM (
        SELECT t, i, parents[i + 1] AS p, svcs[i + 1] AS svc, svcs[p + 1] AS psvc, sipHash64(t, i, 'h') AS h
        FROM (
          SELECT x.t AS t, s.n AS n, s.parents AS parents, s.svcs AS svcs
          FROM (SELECT number AS t, toUInt32(number % ${typed(SHAPES, 'UInt32')}) AS shape
                FROM numbers(${typed(firstTrace, 'UInt64')}, ${typed(traces, 'UInt64')})) AS x
          INNER JOIN ${shapes} AS s ON s.shape = x.shape
        )
        ARRAY JOIN range(n) AS i
      )
    )`;
}

const SPAN_COLUMNS = sql`ProjectId, Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,
  ResourceAttributes, ResourceAttributeTypes, ScopeName, ScopeVersion, SpanAttributes, SpanAttributeTypes, Duration,
  StatusCode, StatusMessage, Events.Timestamp, Events.Name, Events.Attributes, Events.AttributeTypes`;

const RESOURCE_KEYS = [
  'service.name',
  'service.version',
  'deployment.environment.name',
  'host.name',
  'process.pid',
  'telemetry.sdk.language',
  'telemetry.sdk.name',
  'telemetry.sdk.version',
];
const SPAN_KEYS = [
  'http.request.method',
  'http.response.status_code',
  'http.route',
  'url.path',
  'server.address',
  'server.port',
  'user.id',
  'tenant.id',
  'session.id',
  'thread.id',
  'client.address',
];
const strings = (list: string[]) => typed(list, 'Array(String)');

/** INSERT of the spans of a slice of traces. */
export function insertSpansStatement(db: Database, slice: TraceSlice): Sql {
  const errorType = pick(sql`intDiv(h, 43) % ${typed(ERROR_TYPES.length, 'UInt32')}`, ERROR_TYPES);
  const errorMessage = pick(sql`intDiv(h, 41) % ${typed(ERROR_MESSAGES.length, 'UInt32')}`, ERROR_MESSAGES);
  return sql`
    INSERT INTO ${db.table('spans')} (${SPAN_COLUMNS})
    SELECT
      ${typed(slice.projectId, 'UInt32')},
      fromUnixTimestamp64Nano(startNs, 'UTC') AS ts,
      lower(hex(sipHash128(t, 'trace'))),
      lower(hex(reinterpretAsFixedString(sipHash64(t, i, 'span')))),
      if(i = 0, '', lower(hex(reinterpretAsFixedString(sipHash64(t, p, 'span'))))),
      '',
      multiIf(kind = 'SERVER', ${pickNested(sql`svc`, sql`h`, SERVER_OPS)},
              kind = 'CLIENT', ${pickNested(sql`svc`, sql`h`, CLIENT_OPS)},
              ${pick(sql`h % 6`, INTERNAL_OPS)}) AS op,
      kind,
      ${pick(sql`svc`, SERVICES)} AS svcName,
      mapFromArrays(${strings(RESOURCE_KEYS)}, [svcName, if(h % 3 = 2, '2.4.0', '2.3.1'), 'production', concat(svcName, '-', toString(h % 3)),
        toString(1000 + svc * 10 + h % 3), ${pick(sql`svc`, LANGUAGES)}, 'opentelemetry', '1.30.1']),
      map('process.pid', 'int'),
      multiIf(kind = 'SERVER', '@opentelemetry/instrumentation-http', kind = 'CLIENT', concat('@opentelemetry/instrumentation-', ${pick(sql`svc`, PEERS)}), concat(svcName, '-internal')),
      if(kind = 'INTERNAL', '2.3.1', '0.57.0'),
      mapFromArrays(${strings(SPAN_KEYS)}, [
        ${pick(sql`intDiv(h, 7) % 4`, ['GET', 'GET', 'POST', 'PUT'])},
        if(err, ${pick(sql`intDiv(h, 11) % 4`, ['500', '502', '503', '504'])},
          ${pick(sql`intDiv(h, 11) % 12`, ['200', '200', '200', '200', '200', '200', '201', '204', '304', '400', '401', '404'])}),
        op,
        concat('/', svcName, '/', toString(intDiv(h, 13) % 50000)),
        concat(svcName, '-', toString(intDiv(h, 17) % 3), '.svc.cluster.local'),
        ${pick(sql`intDiv(h, 19) % 4`, ['8080', '443', '5432', '6379'])},
        concat('user-', toString(sipHash64(t, 'user') % 100000)),
        concat('tenant-', toString(sipHash64(t, 'tenant') % 200)),
        lower(hex(reinterpretAsFixedString(sipHash64(t, 'session')))),
        toString(intDiv(h, 23) % 64),
        concat('10.', toString(intDiv(h, 29) % 4), '.', toString(intDiv(h, 31) % 256), '.', toString(intDiv(h, 37) % 256))]),
      map('http.response.status_code', 'int', 'server.port', 'int', 'thread.id', 'int'),
      dur,
      if(err, 'ERROR', 'UNSET'),
      if(err, ${errorMessage}, ''),
      if(err, [addNanoseconds(ts, intDiv(dur, 2))], []),
      if(err, ['exception'], []),
      if(err, [map('exception.type', ${errorType}, 'exception.message', ${errorMessage},
        'exception.stacktrace', concat(${errorType}, ': ', ${errorMessage},
          '\n    at handle (/app/src/', svcName, '/handler.ts:', toString(20 + h % 180), ':13)\n    at process (/app/src/server.ts:88:5)'))], []),
      if(err, [CAST(map(), 'Map(LowCardinality(String), LowCardinality(String))')], [])
    FROM (${skeleton(slice)})`;
}

/**
 * Service-edge observations of the same spans, as the collector writes them: a parent/child pair across two
 * services (TargetKind 'service') and a CLIENT span naming its peer (TargetKind 'peer').
 */
export function insertEdgesStatement(db: Database, slice: TraceSlice): Sql {
  return sql`
    INSERT INTO ${db.table('service_edge_calls')} (ProjectId, Source, Target, TargetKind, Timestamp, Duration, Error)
    SELECT ${typed(slice.projectId, 'UInt32')}, ${pick(sql`psvc`, SERVICES)}, if(kind = 'CLIENT', ${pick(sql`svc`, PEERS)}, ${pick(sql`svc`, SERVICES)}),
      if(kind = 'CLIENT', 'peer', 'service'), fromUnixTimestamp64Nano(startNs, 'UTC'), dur, err
    FROM (${skeleton(slice)})
    WHERE (i > 0 AND svc != psvc) OR kind = 'CLIENT'`;
}
