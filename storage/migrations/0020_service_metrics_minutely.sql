-- Per-service minute rollup: span_metrics_1m with operations and releases folded away and entry spans (server,
-- consumer) kept apart, as service_metrics_1h does for hours. The services overview, the service map's nodes and
-- the services' names read the partial hours at both ends of a range from here: ~2 rows per service and minute
-- instead of one per operation, kind and release (measured at 10M spans: a 24 h overview's minute rows went from
-- ~7,000 to ~1,400 t-digest states to merge).
CREATE TABLE IF NOT EXISTS {{db}}.service_metrics_1m {{on_cluster}}
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
ORDER BY (ProjectId, toStartOfHour(Minute), ServiceName, Entry, Minute)
TTL Minute + toIntervalDay({{ttl_days}})
-- 256-row granules: a row holds ~1–3 KB of t-digest state, see docs/storage.md "Rollup granules".
SETTINGS index_granularity = 256;

-- Rows written before this table existed; skipped when the rollup already holds rows (a repeated start).
INSERT INTO {{db}}.service_metrics_1m
SELECT ProjectId, ServiceName, SpanKind IN ('SERVER', 'CONSUMER') AS IsEntry, Minute,
    sum(Calls), sum(Errors), sum(DurationSum), quantilesTDigestMergeState(0.5, 0.95, 0.99)(Quantiles), sumMap(Histogram)
FROM {{db}}.span_metrics_1m
WHERE (SELECT count() FROM {{db}}.service_metrics_1m) = 0
GROUP BY ProjectId, ServiceName, IsEntry, Minute;

-- Buffered on embedded chDB like the other rollups (migration 0013); unused on a server.
CREATE TABLE IF NOT EXISTS {{db}}.service_metrics_1m_buffer {{on_cluster}} AS {{db}}.service_metrics_1m
ENGINE = Buffer({{db}}, service_metrics_1m, 1, 1, 1, 1000000000, 1000000, 1000000000000, 268435456);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.service_metrics_1m_mv {{on_cluster}} TO {{db}}.service_metrics_1m{{rollup_buffer}}
AS SELECT ProjectId, ServiceName, SpanKind IN ('SERVER', 'CONSUMER') AS Entry, Minute,
    sum(Calls) AS Calls, sum(Errors) AS Errors, sum(DurationSum) AS DurationSum,
    quantilesTDigestMergeState(0.5, 0.95, 0.99)(Quantiles) AS Quantiles, sumMap(Histogram) AS Histogram
FROM {{db}}.span_metrics_1m{{rollup_buffer}}
GROUP BY ProjectId, ServiceName, Entry, Minute;
