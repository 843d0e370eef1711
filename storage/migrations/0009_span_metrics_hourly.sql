-- Hourly rollup of span_metrics_1m, so RED over long ranges merges 60× fewer t-digest states: readers take
-- whole hours from here and the partial hours at both ends of a range from the minute table.
CREATE TABLE IF NOT EXISTS {{db}}.span_metrics_1h {{on_cluster}}
(
    ProjectId UInt32,
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    SpanKind Enum8('UNSPECIFIED' = 0, 'INTERNAL' = 1, 'SERVER' = 2, 'CLIENT' = 3, 'PRODUCER' = 4, 'CONSUMER' = 5),
    Release LowCardinality(String),
    -- The hour's start; named like the minute table's column so both read through one query.
    Minute DateTime('UTC') CODEC(Delta(4), ZSTD(1)),
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    DurationSum SimpleAggregateFunction(sum, UInt64),
    Quantiles AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), UInt64),
    Histogram SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64)))
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toDate(Minute)
ORDER BY (ProjectId, ServiceName, SpanName, SpanKind, Release, Minute)
TTL Minute + toIntervalDay({{ttl_days}})
-- 256-row granules: a row holds ~1–3 KB of t-digest state, see docs/storage.md "Rollup granules".
SETTINGS index_granularity = 256;

-- Rows written before this table existed; skipped when the rollup already holds rows (a repeated start).
INSERT INTO {{db}}.span_metrics_1h
SELECT ProjectId, ServiceName, SpanName, SpanKind, Release, toStartOfHour(Minute) AS Hour,
    sum(Calls), sum(Errors), sum(DurationSum), quantilesTDigestMergeState(0.5, 0.95, 0.99)(Quantiles), sumMap(Histogram)
FROM {{db}}.span_metrics_1m
WHERE (SELECT count() FROM {{db}}.span_metrics_1h) = 0
GROUP BY ProjectId, ServiceName, SpanName, SpanKind, Release, Hour;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.span_metrics_1h_mv {{on_cluster}} TO {{db}}.span_metrics_1h
AS SELECT ProjectId, ServiceName, SpanName, SpanKind, Release, toStartOfHour(Minute) AS Minute,
    sum(Calls) AS Calls, sum(Errors) AS Errors, sum(DurationSum) AS DurationSum,
    quantilesTDigestMergeState(0.5, 0.95, 0.99)(Quantiles) AS Quantiles, sumMap(Histogram) AS Histogram
FROM {{db}}.span_metrics_1m
GROUP BY ProjectId, ServiceName, SpanName, SpanKind, Release, Minute;
