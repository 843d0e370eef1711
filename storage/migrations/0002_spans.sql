-- Spans, modelled on the OpenTelemetry ClickHouse exporter's otel_traces, plus a project id and a typed
-- attribute scheme: Map values hold the text form of every value; the *Types maps name the OTLP type of
-- the non-string ones ('int', 'double', 'bool', 'array', 'kvlist', 'bytes', 'null'), so strings cost nothing.
--
-- Layout (measured with bench/query.ts, see docs/storage.md): rows are sorted by trace within the hour, so a
-- trace is one contiguous range found through the primary key (its hour comes from trace_index), the spans
-- of a trace compress together, and time-range searches read only their hours. Resource attribute values
-- and scopes repeat per service, hence LowCardinality; span attributes get a stronger ZSTD level (the CPU it
-- costs at insert is small next to parsing).
CREATE TABLE IF NOT EXISTS {{db}}.spans {{on_cluster}}
(
    ProjectId UInt32 CODEC(ZSTD(1)),
    Timestamp DateTime64(9, 'UTC') CODEC(Delta(8), ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(3)),
    ParentSpanId String CODEC(ZSTD(1)),
    TraceState String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind Enum8('UNSPECIFIED' = 0, 'INTERNAL' = 1, 'SERVER' = 2, 'CLIENT' = 3, 'PRODUCER' = 4, 'CONSUMER' = 5) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), LowCardinality(String)) CODEC(ZSTD(1)),
    ResourceAttributeTypes Map(LowCardinality(String), LowCardinality(String)) CODEC(ZSTD(1)),
    ScopeName LowCardinality(String) CODEC(ZSTD(1)),
    ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(9)),
    SpanAttributeTypes Map(LowCardinality(String), LowCardinality(String)) CODEC(ZSTD(1)),
    Duration UInt64 CODEC(T64, ZSTD(1)),
    StatusCode Enum8('UNSET' = 0, 'OK' = 1, 'ERROR' = 2) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Events Nested
    (
        Timestamp DateTime64(9, 'UTC'),
        Name LowCardinality(String),
        Attributes Map(LowCardinality(String), String),
        AttributeTypes Map(LowCardinality(String), LowCardinality(String))
    ) CODEC(ZSTD(1)),
    Links Nested
    (
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes Map(LowCardinality(String), String),
        AttributeTypes Map(LowCardinality(String), LowCardinality(String))
    ) CODEC(ZSTD(1)),
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.1) GRANULARITY 4,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 4
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (ProjectId, toStartOfHour(Timestamp), TraceId, Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay({{ttl_days}})
-- 2,048-row granules (skip indexes over 4 of them, the 8,192 rows they had before): reading one trace, or the 20
-- traces of a search page, decompresses and decodes a quarter of the rows (measured at 10M spans: a trace's spans
-- 28.8 → 24.9 ms, a 20-trace summary 28.0 → 25.4 ms, +0.5 B/span for marks). Installs created with 8,192-row
-- granules keep them (docs/storage.md).
SETTINGS index_granularity = 2048, ttl_only_drop_parts = 1;

-- Trace id → time window, so trace-by-id reads only the hours of that trace. Millisecond precision (start
-- rounded down, end up by at most 1 ms) is enough for a window and for sorting by duration, and costs a
-- quarter less space than nanoseconds. Partitioned by week: a lookup by trace id cannot skip a partition and
-- pays ~0.15 ms per part, so daily partitions made it 5.6 → 9.8 ms with 30 days kept (10M spans' index spread
-- over 30 days: 37 parts against 6). Rows expire one by one (TTL merges rewrite a week's part, a small table),
-- not with whole parts, so a week's partition does not outlive the retention.
CREATE TABLE IF NOT EXISTS {{db}}.trace_index {{on_cluster}}
(
    ProjectId UInt32,
    TraceId String CODEC(ZSTD(3)),
    Start SimpleAggregateFunction(min, DateTime64(3, 'UTC')) CODEC(T64, ZSTD(1)),
    End SimpleAggregateFunction(max, DateTime64(3, 'UTC')) CODEC(T64, ZSTD(1))
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toMonday(Start)
ORDER BY (ProjectId, TraceId)
TTL toDateTime(Start) + toIntervalDay({{ttl_days}})
-- Small granules: a lookup reads one granule per part, and it is a point lookup.
SETTINGS index_granularity = 1024;

-- storage/src/crash-repair.ts writes the same bounds after a crash: change both together.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.trace_index_mv {{on_cluster}} TO {{db}}.trace_index
AS SELECT
    ProjectId,
    TraceId,
    min(toDateTime64(Timestamp, 3)) AS Start,
    max(toDateTime64(addNanoseconds(Timestamp, Duration), 3) + toIntervalMillisecond(1)) AS End
FROM {{db}}.spans
GROUP BY ProjectId, TraceId;
