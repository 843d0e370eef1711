-- OTLP metric data points in one simple table (every point of every kind; histograms keep their buckets).
CREATE TABLE IF NOT EXISTS {{db}}.metric_points {{on_cluster}}
(
    ProjectId UInt32 CODEC(ZSTD(1)),
    Timestamp DateTime64(9, 'UTC') CODEC(Delta(8), ZSTD(1)),
    StartTimestamp DateTime64(9, 'UTC') CODEC(Delta(8), ZSTD(1)),
    MetricName LowCardinality(String) CODEC(ZSTD(1)),
    MetricType Enum8('gauge' = 1, 'sum' = 2, 'histogram' = 3, 'exponential_histogram' = 4, 'summary' = 5),
    Unit LowCardinality(String) CODEC(ZSTD(1)),
    Description LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeName LowCardinality(String) CODEC(ZSTD(1)),
    Attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Value Float64 CODEC(ZSTD(1)),
    IsMonotonic Bool,
    Temporality UInt8,
    Flags UInt32,
    Count UInt64 CODEC(ZSTD(1)),
    Sum Nullable(Float64) CODEC(ZSTD(1)),
    Min Nullable(Float64) CODEC(ZSTD(1)),
    Max Nullable(Float64) CODEC(ZSTD(1)),
    BucketCounts Array(UInt64) CODEC(ZSTD(1)),
    ExplicitBounds Array(Float64) CODEC(ZSTD(1)),
    -- exponential histogram buckets and summary quantiles, as JSON
    Detail String CODEC(ZSTD(1))
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (ProjectId, ServiceName, MetricName, toDateTime(Timestamp))
TTL toDateTime(Timestamp) + toIntervalDay({{ttl_days}})
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;
