/**
 * Synthetic data for bench/query.ts, generated inside ClickHouse with `INSERT … SELECT … FROM numbers(…)`.
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
 * All SQL text here is constants of this file; the lists are passed as query parameters.
 */
import { ident, sql, typed, type Database, type Ident, type Sql } from '@faultline/storage';

export const SERVICES = [
  'frontend',
  'api-gateway',
  'checkout',
  'cart',
  'payment',
  'shipping',
  'inventory',
  'user',
  'auth',
  'recommendation',
  'email',
  'search',
];
const LANGUAGES = ['nodejs', 'go', 'java', 'dotnet', 'nodejs', 'go', 'java', 'python', 'go', 'python', 'ruby', 'rust'];
/** Downstream services (indexes into SERVICES, 0-based) each service calls. */
const DOWNSTREAM = [[1], [8, 6, 2, 7, 9, 11, 3], [3, 4, 5, 6, 10, 7], [6], [], [], [], [8], [], [6], [], [6]];
/** Entry operations (SERVER spans) per service. */
export const SERVER_OPS = [
  ['GET /', 'GET /product/:id', 'GET /cart', 'POST /cart', 'POST /checkout', 'GET /search'],
  [
    'GET /api/products',
    'GET /api/products/:id',
    'POST /api/orders',
    'GET /api/orders/:id',
    'GET /api/users/me',
    'GET /api/recommendations',
  ],
  ['POST /checkout', 'PlaceOrder', 'GET /checkout/:id'],
  ['GetCart', 'AddItem', 'EmptyCart'],
  ['Charge', 'Refund'],
  ['GetQuote', 'ShipOrder'],
  ['CheckStock', 'ReserveItems', 'ListProducts', 'GetProduct'],
  ['GET /users/:id', 'POST /login', 'GET /users/:id/preferences'],
  ['ValidateToken', 'IssueToken'],
  ['ListRecommendations', 'GetSimilar'],
  ['SendOrderConfirmation', 'SendPasswordReset'],
  ['Search', 'Suggest'],
];
/** What each service talks to that sends no spans itself (the service map's 'peer' nodes) and how. */
const PEERS = [
  'redis',
  'redis',
  'postgresql',
  'redis',
  'stripe-api',
  'postgresql',
  'postgresql',
  'postgresql',
  'redis',
  'mongodb',
  'smtp',
  'elasticsearch',
];
const CLIENT_OPS = [
  ['redis GET', 'redis SET'],
  ['redis GET', 'redis INCR'],
  ['INSERT orders', 'SELECT orders'],
  ['redis HGETALL', 'redis HSET'],
  ['POST /v1/charges', 'POST /v1/refunds'],
  ['SELECT rates'],
  ['SELECT products', 'UPDATE stock'],
  ['SELECT users', 'UPDATE users'],
  ['redis GET'],
  ['find products'],
  ['SMTP send'],
  ['POST /products/_search'],
];
const INTERNAL_OPS = [
  'middleware - authenticate',
  'serialize response',
  'validate input',
  'cache lookup',
  'compute totals',
  'render template',
];
const ERROR_TYPES = [
  'TimeoutError',
  'ConnectionRefusedError',
  'TypeError',
  'ValueError',
  'NullPointerException',
  'KeyError',
  'DeadlineExceeded',
  'RangeError',
];
const ERROR_MESSAGES = [
  'upstream request timeout',
  'connect ECONNREFUSED 10.0.3.7:5432',
  "Cannot read properties of undefined (reading 'id')",
  'invalid literal for int()',
  'deadline exceeded after 2s',
  'stock level below zero',
];

const DAY_NS = 86_400_000_000_000;
/** Distinct trace shapes (span count, parent links, services); trace t has shape t % SHAPES. */
export const SHAPES = 2000;

/**
 * `list[index]` for a 0-based index expression. transform() looks constants up by hash; indexing a constant
 * array (`[…][i]`) would first copy the whole array into every row, which made generation 10× slower.
 */
function pick(index: Sql, list: readonly string[]): Sql {
  return sql`transform(toUInt32(${index}), ${typed(
    list.map((_, i) => i),
    'Array(UInt32)',
  )}, ${typed(list, 'Array(String)')}, '')`;
}

/** `lists[outer][inner % lists[outer].length]` through one flat transform(). */
function pickNested(outer: Sql, inner: Sql, lists: readonly (readonly string[])[]): Sql {
  const offsets: number[] = [];
  let at = 0;
  for (const l of lists) {
    offsets.push(at);
    at += l.length;
  }
  const lengths = lists.map((l) => l.length);
  const flat = lists.flat();
  const keys = lists.map((_, i) => i);
  return sql`transform(toUInt32(transform(toUInt32(${outer}), ${typed(keys, 'Array(UInt32)')}, ${typed(offsets, 'Array(UInt32)')}, 0)
    + ${inner} % transform(toUInt32(${outer}), ${typed(keys, 'Array(UInt32)')}, ${typed(lengths, 'Array(UInt32)')}, 1)),
    ${typed(
      flat.map((_, i) => i),
      'Array(UInt32)',
    )}, ${typed(flat, 'Array(String)')}, '')`;
}

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

/**
 * One row per span of traces [firstTrace, firstTrace + traces): t, i, parent p, service indexes svc / psvc
 * (0-based), kind, start (Unix ns), duration (ns), err, plus a per-span hash h for attribute choices.
 */
export function skeleton(shapes: Ident, firstTrace: number, traces: number, nowNs: bigint): Sql {
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

/** INSERT of the spans of traces [firstTrace, firstTrace + traces) into project `projectId`. */
export function insertSpansStatement(
  db: Database,
  shapes: Ident,
  projectId: number,
  firstTrace: number,
  traces: number,
  nowNs: bigint,
  target = db.table('spans'),
): Sql {
  const errorType = pick(sql`intDiv(h, 43) % ${typed(ERROR_TYPES.length, 'UInt32')}`, ERROR_TYPES);
  const errorMessage = pick(sql`intDiv(h, 41) % ${typed(ERROR_MESSAGES.length, 'UInt32')}`, ERROR_MESSAGES);
  return sql`
    INSERT INTO ${target} (${SPAN_COLUMNS})
    SELECT
      ${typed(projectId, 'UInt32')},
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
    FROM (${skeleton(shapes, firstTrace, traces, nowNs)})`;
}

/**
 * Service-edge observations of the same spans, as the collector writes them: a parent/child pair across two
 * services (TargetKind 'service') and a CLIENT span naming its peer (TargetKind 'peer').
 */
export function insertEdgesStatement(
  db: Database,
  shapes: Ident,
  projectId: number,
  firstTrace: number,
  traces: number,
  nowNs: bigint,
): Sql {
  return sql`
    INSERT INTO ${db.table('service_edge_calls')} (ProjectId, Source, Target, TargetKind, Timestamp, Duration, Error)
    SELECT ${typed(projectId, 'UInt32')}, ${pick(sql`psvc`, SERVICES)}, if(kind = 'CLIENT', ${pick(sql`svc`, PEERS)}, ${pick(sql`svc`, SERVICES)}),
      if(kind = 'CLIENT', 'peer', 'service'), fromUnixTimestamp64Nano(startNs, 'UTC'), dur, err
    FROM (${skeleton(shapes, firstTrace, traces, nowNs)})
    WHERE (i > 0 AND svc != psvc) OR kind = 'CLIENT'`;
}

/**
 * `events` error events over ~`issues` issues with a Zipf-like spread (issue k gets ∝ 1/k of the events), times
 * over the last 7 days biased to recent, each pointing at one of the `traces` seeded traces. Issue ids and
 * fingerprints are what the collector would store (16 / 32 lower-case hex characters).
 */
export function insertErrorEventsStatement(
  db: Database,
  projectId: number,
  events: number,
  issues: number,
  traces: number,
  nowNs: bigint,
): Sql {
  return sql`
    INSERT INTO ${db.table('error_events')} (ProjectId, Timestamp, EventId, IssueId, Fingerprint, GroupingStrategy, Level, Platform,
      SdkName, SdkVersion, Source, Title, Culprit, ExceptionType, ExceptionValue, Message, Exceptions, Contexts, Breadcrumbs, Release,
      Environment, ServerName, ServiceName, Transaction, UserId, UserEmail, UserName, UserIp, UserKey, Tags, TraceId, SpanId)
    SELECT ${typed(projectId, 'UInt32')},
      fromUnixTimestamp64Nano(toInt64(${typed(nowNs.toString(), 'Int64')}) - toInt64(pow((sipHash64(e, 'ts') % 1000000) / 1e6, 2) * 7 * ${typed(DAY_NS, 'Float64')}), 'UTC'),
      lower(hex(sipHash128(e, 'event'))),
      lower(hex(reinterpretAsFixedString(sipHash64(k, 'issue')))),
      lower(hex(sipHash128(k, 'fingerprint'))),
      if(k % 5 = 0, 'fingerprint', 'stacktrace'),
      multiIf(k % 17 = 0, 'fatal', k % 7 = 0, 'warning', 'error'),
      ${pick(sql`svc`, ['node', 'go', 'java', 'csharp', 'node', 'go', 'java', 'python', 'go', 'python', 'ruby', 'rust'])},
      if(k % 3 = 0, 'sentry.javascript.node', 'opentelemetry'), if(k % 3 = 0, '8.40.0', '1.30.1'), if(k % 3 = 0, 'sentry', 'otlp'),
      concat(etype, ': ', evalue),
      concat('handle', toString(k), ' (src/', svcName, '/handlers/', toString(k % 13), '.ts)'),
      etype, evalue, '',
      concat('[{"type":"', etype, '","value":"', evalue, '","module":"","mechanism":{"type":"generic","handled":false},"frames":[',
        arrayStringConcat(arrayMap(f -> concat('{"filename":"src/', svcName, '/handlers/', toString((k + f) % 13), '.ts","function":"handle', toString(k + f),
          '","lineno":', toString(10 + (k * 7 + f * 13) % 300), ',"colno":', toString(5 + f), ',"inApp":', if(f > 2, 'true', 'false'), '}'), range(8)), ','), ']}]'),
      concat('{"os":{"name":"Linux","version":"6.8"},"runtime":{"name":"', ${pick(sql`svc`, LANGUAGES)}, '"},"trace":{"trace_id":"', traceId, '"}}'),
      concat('[{"category":"http","message":"GET /', svcName, '/', toString(e % 977), '","level":"info"},{"category":"query","message":"SELECT … FROM orders","level":"info"}]'),
      if(sipHash64(e, 'rel') % 3 = 0, '2.4.0', '2.3.1'),
      if(sipHash64(e, 'env') % 20 = 0, 'staging', 'production'),
      concat(svcName, '-', toString(e % 3)),
      svcName,
      ${pickNested(sql`svc`, sql`k`, SERVER_OPS)},
      concat('user-', toString(u)), concat('user', toString(u), '@example.com'), concat('User ', toString(u)),
      concat('10.', toString(u % 4), '.', toString(intDiv(u, 4) % 256), '.', toString(intDiv(u, 1024) % 256)),
      concat('user-', toString(u)),
      map('browser', ${pick(sql`sipHash64(e, 'b') % 4`, ['Chrome', 'Firefox', 'Safari', 'Edge'])},
          'os', ${pick(sql`sipHash64(e, 'o') % 5`, ['Linux', 'Windows', 'macOS', 'iOS', 'Android'])},
          'region', ${pick(sql`sipHash64(e, 'r') % 3`, ['eu-west-1', 'us-east-1', 'ap-south-1'])}),
      traceId,
      lower(hex(reinterpretAsFixedString(sipHash64(e, 'espan'))))
    FROM (
      SELECT number AS e,
        -- log-uniform issue number: P(k) ∝ 1/(k+1)
        toUInt32(least(${typed(issues - 1, 'UInt32')}, floor(exp(log(${typed(issues, 'Float64')}) * ((sipHash64(number, 'k') % 1000000) / 1e6))) - 1)) AS k,
        toUInt32(sipHash64(k, 'svc') % 12) AS svc,
        ${pick(sql`svc`, SERVICES)} AS svcName,
        ${pick(sql`k % 8`, ERROR_TYPES)} AS etype,
        concat(${pick(sql`k % 6`, ERROR_MESSAGES)}, ' #', toString(k)) AS evalue,
        -- users: a few heavy hitters, a long tail
        toUInt32(pow((sipHash64(number, 'user') % 1000000) / 1e6, 3) * 20000) AS u,
        lower(hex(sipHash128(sipHash64(number, 'trace') % ${typed(traces, 'UInt64')}, 'trace'))) AS traceId
      FROM numbers(${typed(events, 'UInt64')})
    )`;
}

/** The OpenTelemetry ClickHouse exporter's traces table, index table and view, from its default DDL. */
export function otelTracesDdl(database: string): string[] {
  const db = `\`${database}\``;
  return [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    `CREATE TABLE IF NOT EXISTS ${db}.otel_traces (
      Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
      TraceId String CODEC(ZSTD(1)),
      SpanId String CODEC(ZSTD(1)),
      ParentSpanId String CODEC(ZSTD(1)),
      TraceState String CODEC(ZSTD(1)),
      SpanName LowCardinality(String) CODEC(ZSTD(1)),
      SpanKind LowCardinality(String) CODEC(ZSTD(1)),
      ServiceName LowCardinality(String) CODEC(ZSTD(1)),
      ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      ScopeName String CODEC(ZSTD(1)),
      ScopeVersion String CODEC(ZSTD(1)),
      SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      Duration UInt64 CODEC(ZSTD(1)),
      StatusCode LowCardinality(String) CODEC(ZSTD(1)),
      StatusMessage String CODEC(ZSTD(1)),
      Events Nested (
        Timestamp DateTime64(9),
        Name LowCardinality(String),
        Attributes Map(LowCardinality(String), String)
      ) CODEC(ZSTD(1)),
      Links Nested (
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes Map(LowCardinality(String), String)
      ) CODEC(ZSTD(1)),
      INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
      INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_duration Duration TYPE minmax GRANULARITY 1
    ) ENGINE = MergeTree()
    PARTITION BY toDate(Timestamp)
    ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))
    TTL toDateTime(Timestamp) + toIntervalDay(14)
    SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`,
    `CREATE TABLE IF NOT EXISTS ${db}.otel_traces_trace_id_ts (
      TraceId String CODEC(ZSTD(1)),
      Start DateTime CODEC(Delta, ZSTD(1)),
      End DateTime CODEC(Delta, ZSTD(1)),
      INDEX idx_trace_id TraceId TYPE bloom_filter(0.01) GRANULARITY 1
    ) ENGINE = MergeTree()
    PARTITION BY toDate(Start)
    ORDER BY (TraceId, Start)
    TTL toDateTime(Start) + toIntervalDay(14)
    SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.otel_traces_trace_id_ts_mv TO ${db}.otel_traces_trace_id_ts
    AS SELECT TraceId, min(Timestamp) AS Start, max(Timestamp) AS End
    FROM ${db}.otel_traces WHERE TraceId != '' GROUP BY TraceId`,
  ];
}

/** The same spans, mapped to the exporter's columns (kinds and status codes as the exporter spells them). */
export function copyToOtelStatement(db: Database, otelDatabase: string, fromTime: string, toTime: string) {
  return sql`
    INSERT INTO ${ident(otelDatabase)}.otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,
      ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage,
      Events.Timestamp, Events.Name, Events.Attributes, Links.TraceId, Links.SpanId, Links.TraceState, Links.Attributes)
    SELECT Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName,
      ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'][toUInt8(SpanKind) + 1],
      ServiceName, ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration,
      ['Unset', 'Ok', 'Error'][toUInt8(StatusCode) + 1], StatusMessage,
      Events.Timestamp, Events.Name, Events.Attributes, Links.TraceId, Links.SpanId, Links.TraceState, Links.Attributes
    FROM ${db.table('spans')}
    WHERE Timestamp >= ${typed(fromTime, "DateTime64(9, 'UTC')")} AND Timestamp < ${typed(toTime, "DateTime64(9, 'UTC')")}`;
}
