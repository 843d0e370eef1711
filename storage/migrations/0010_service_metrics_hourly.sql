-- Per-service hourly rollup for the services overview and the service map: the operations and releases of
-- span_metrics_1h folded away, and entry spans (server, consumer) kept apart from the rest, so a day of RED for
-- every service merges ~24 states per service instead of one per operation, release and hour.
CREATE TABLE IF NOT EXISTS {{db}}.service_metrics_1h {{on_cluster}}
(
    ProjectId UInt32,
    ServiceName LowCardinality(String),
    -- SpanKind is SERVER or CONSUMER: the spans that stand for a service's requests.
    Entry Bool,
    Minute DateTime('UTC') CODEC(Delta(4), ZSTD(1)),
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    DurationSum SimpleAggregateFunction(sum, UInt64),
    Quantiles AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), UInt64),
    Histogram SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64)))
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toDate(Minute)
ORDER BY (ProjectId, ServiceName, Entry, Minute)
TTL Minute + toIntervalDay({{ttl_days}})
-- 256-row granules: a row holds ~1–3 KB of t-digest state, see docs/storage.md "Rollup granules".
SETTINGS index_granularity = 256;

-- Rows written before this table existed; skipped when the rollup already holds rows (a repeated start).
INSERT INTO {{db}}.service_metrics_1h
SELECT ProjectId, ServiceName, SpanKind IN ('SERVER', 'CONSUMER') AS IsEntry, Minute,
    sum(Calls), sum(Errors), sum(DurationSum), quantilesTDigestMergeState(0.5, 0.95, 0.99)(Quantiles), sumMap(Histogram)
FROM {{db}}.span_metrics_1h
WHERE (SELECT count() FROM {{db}}.service_metrics_1h) = 0
GROUP BY ProjectId, ServiceName, IsEntry, Minute;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.service_metrics_1h_mv {{on_cluster}} TO {{db}}.service_metrics_1h
AS SELECT ProjectId, ServiceName, SpanKind IN ('SERVER', 'CONSUMER') AS Entry, Minute,
    sum(Calls) AS Calls, sum(Errors) AS Errors, sum(DurationSum) AS DurationSum,
    quantilesTDigestMergeState(0.5, 0.95, 0.99)(Quantiles) AS Quantiles, sumMap(Histogram) AS Histogram
FROM {{db}}.span_metrics_1h
GROUP BY ProjectId, ServiceName, Entry, Minute;
