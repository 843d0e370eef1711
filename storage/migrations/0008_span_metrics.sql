-- RED metrics filled at insert time: per project, service, operation, kind, release and minute.
-- Percentiles come from t-digest states; Apdex for any threshold from a log-scale duration histogram
-- (bucket b holds durations in [1.25^b, 1.25^(b+1)) µs, so a threshold is resolved to within 25 %).
-- Sorted by hour first: readers take whole hours from span_metrics_1h and only the partial hours at the ends
-- of a range from here, which the key then finds without scanning the day (a 24 h services query: 126 → 48 ms at 10M spans).
CREATE TABLE IF NOT EXISTS {{db}}.span_metrics_1m {{on_cluster}}
(
    ProjectId UInt32,
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    SpanKind Enum8('UNSPECIFIED' = 0, 'INTERNAL' = 1, 'SERVER' = 2, 'CLIENT' = 3, 'PRODUCER' = 4, 'CONSUMER' = 5),
    Release LowCardinality(String),
    Minute DateTime('UTC') CODEC(Delta(4), ZSTD(1)),
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    DurationSum SimpleAggregateFunction(sum, UInt64),
    Quantiles AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), UInt64),
    Histogram SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64)))
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toDate(Minute)
ORDER BY (ProjectId, toStartOfHour(Minute), ServiceName, SpanName, SpanKind, Release, Minute)
TTL Minute + toIntervalDay({{ttl_days}})
-- 256-row granules: a row holds ~1–3 KB of t-digest state, see docs/storage.md "Rollup granules".
SETTINGS index_granularity = 256;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.span_metrics_1m_mv {{on_cluster}} TO {{db}}.span_metrics_1m
AS SELECT
    ProjectId,
    ServiceName,
    SpanName,
    SpanKind,
    ResourceAttributes['service.version'] AS Release,
    toStartOfMinute(Timestamp) AS Minute,
    count() AS Calls,
    countIf(StatusCode = 'ERROR') AS Errors,
    sum(Duration) AS DurationSum,
    quantilesTDigestState(0.5, 0.95, 0.99)(Duration) AS Quantiles,
    sumMap(([toUInt8(least(255, greatest(0, floor(log(greatest(Duration, 1000) / 1000) / log(1.25)))))], [toUInt64(1)])) AS Histogram
FROM {{db}}.spans
GROUP BY ProjectId, ServiceName, SpanName, SpanKind, Release, Minute;

-- Service dependency edges, written by the collector at ingest time (parent/child across services and
-- client spans naming their peer), aggregated per minute. Sorted by hour first, so a map of the last hour reads
-- that hour's rows only (storage/src/relayout.ts converts tables of older installs, sorted by pair first).
CREATE TABLE IF NOT EXISTS {{db}}.service_edges {{on_cluster}}
(
    ProjectId UInt32,
    Source LowCardinality(String),
    Target LowCardinality(String),
    -- 'service' = both ends send spans; 'peer' = the target is only named by the caller (db, external API)
    TargetKind LowCardinality(String),
    Minute DateTime('UTC') CODEC(Delta(4), ZSTD(1)),
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    Quantiles AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), UInt64)
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toDate(Minute)
ORDER BY (ProjectId, toStartOfHour(Minute), Source, Target, TargetKind, Minute)
TTL Minute + toIntervalDay({{ttl_days}})
-- 256-row granules: a row holds ~1–3 KB of t-digest state, see docs/storage.md "Rollup granules".
SETTINGS index_granularity = 256;

-- Raw edge observations; the view folds them into service_edges.
CREATE TABLE IF NOT EXISTS {{db}}.service_edge_calls {{on_cluster}}
(
    ProjectId UInt32,
    Source LowCardinality(String),
    Target LowCardinality(String),
    TargetKind LowCardinality(String),
    Timestamp DateTime64(9, 'UTC'),
    Duration UInt64,
    Error Bool
)
ENGINE = Null;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.service_edges_mv {{on_cluster}} TO {{db}}.service_edges
AS SELECT ProjectId, Source, Target, TargetKind, toStartOfMinute(Timestamp) AS Minute,
    count() AS Calls, countIf(Error) AS Errors, quantilesTDigestState(0.5, 0.95, 0.99)(Duration) AS Quantiles
FROM {{db}}.service_edge_calls
GROUP BY ProjectId, Source, Target, TargetKind, Minute;
