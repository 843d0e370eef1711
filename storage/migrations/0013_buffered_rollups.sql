-- On embedded chDB (the rollup_buffer macro is _buffer) the rollups (RED minutes and hours, per-service hours,
-- releases) go through Buffer tables: every insert into spans still computes its rollup rows at once, but
-- they reach their MergeTree tables once a second instead of once per group commit. Each part an insert
-- creates costs ~20 ms of CPU on a small VM's disk and a group commit created ten of them (docs/ingest.md
-- "Throughput"). Readers read the Buffer tables, which answer from memory and the table together, so
-- nothing is stale. A crash (kill -9) loses up to a second of these rollups, never spans, events or logs; a
-- clean stop flushes them (Database.close). On a server (the macro is empty) the views write the tables
-- directly as before, and the Buffer tables stay unused. Buffer(database, table, layers, min_time,
-- max_time, min_rows, max_rows, min_bytes, max_bytes): flushed after 1 s, or at once past 1M rows or 256 MiB.
CREATE TABLE IF NOT EXISTS {{db}}.span_metrics_1m_buffer {{on_cluster}} AS {{db}}.span_metrics_1m
ENGINE = Buffer({{db}}, span_metrics_1m, 1, 1, 1, 1000000000, 1000000, 1000000000000, 268435456);

CREATE TABLE IF NOT EXISTS {{db}}.span_metrics_1h_buffer {{on_cluster}} AS {{db}}.span_metrics_1h
ENGINE = Buffer({{db}}, span_metrics_1h, 1, 1, 1, 1000000000, 1000000, 1000000000000, 268435456);

CREATE TABLE IF NOT EXISTS {{db}}.service_metrics_1h_buffer {{on_cluster}} AS {{db}}.service_metrics_1h
ENGINE = Buffer({{db}}, service_metrics_1h, 1, 1, 1, 1000000000, 1000000, 1000000000000, 268435456);

CREATE TABLE IF NOT EXISTS {{db}}.releases_buffer {{on_cluster}} AS {{db}}.releases
ENGINE = Buffer({{db}}, releases, 1, 1, 1, 1000000000, 1000000, 1000000000000, 268435456);

-- The views are created anew with the buffers as targets (and the cascades reading the buffers, so that a
-- flush into a MergeTree table triggers nothing a second time).
DROP VIEW IF EXISTS {{db}}.span_metrics_1m_mv {{on_cluster}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.span_metrics_1m_mv {{on_cluster}} TO {{db}}.span_metrics_1m{{rollup_buffer}}
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

DROP VIEW IF EXISTS {{db}}.span_metrics_1h_mv {{on_cluster}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.span_metrics_1h_mv {{on_cluster}} TO {{db}}.span_metrics_1h{{rollup_buffer}}
AS SELECT ProjectId, ServiceName, SpanName, SpanKind, Release, toStartOfHour(Minute) AS Minute,
    sum(Calls) AS Calls, sum(Errors) AS Errors, sum(DurationSum) AS DurationSum,
    quantilesTDigestMergeState(0.5, 0.95, 0.99)(Quantiles) AS Quantiles, sumMap(Histogram) AS Histogram
FROM {{db}}.span_metrics_1m{{rollup_buffer}}
GROUP BY ProjectId, ServiceName, SpanName, SpanKind, Release, Minute;

DROP VIEW IF EXISTS {{db}}.service_metrics_1h_mv {{on_cluster}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.service_metrics_1h_mv {{on_cluster}} TO {{db}}.service_metrics_1h{{rollup_buffer}}
AS SELECT ProjectId, ServiceName, SpanKind IN ('SERVER', 'CONSUMER') AS Entry, Minute,
    sum(Calls) AS Calls, sum(Errors) AS Errors, sum(DurationSum) AS DurationSum,
    quantilesTDigestMergeState(0.5, 0.95, 0.99)(Quantiles) AS Quantiles, sumMap(Histogram) AS Histogram
FROM {{db}}.span_metrics_1h{{rollup_buffer}}
GROUP BY ProjectId, ServiceName, Entry, Minute;

DROP VIEW IF EXISTS {{db}}.releases_from_spans_mv {{on_cluster}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.releases_from_spans_mv {{on_cluster}} TO {{db}}.releases{{rollup_buffer}}
AS SELECT ProjectId, ResourceAttributes['service.version'] AS Version, min(toDateTime64(Timestamp, 3)) AS FirstSeen, max(toDateTime64(Timestamp, 3)) AS LastSeen
FROM {{db}}.spans WHERE ResourceAttributes['service.version'] != '' GROUP BY ProjectId, Version;

DROP VIEW IF EXISTS {{db}}.releases_from_errors_mv {{on_cluster}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.releases_from_errors_mv {{on_cluster}} TO {{db}}.releases{{rollup_buffer}}
AS SELECT ProjectId, toString(Release) AS Version, min(toDateTime64(Timestamp, 3)) AS FirstSeen, max(toDateTime64(Timestamp, 3)) AS LastSeen
FROM {{db}}.error_events WHERE Release != '' GROUP BY ProjectId, Version;

DROP VIEW IF EXISTS {{db}}.releases_from_sessions_mv {{on_cluster}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.releases_from_sessions_mv {{on_cluster}} TO {{db}}.releases{{rollup_buffer}}
AS SELECT ProjectId, toString(Release) AS Version, min(Timestamp) AS FirstSeen, max(Timestamp) AS LastSeen
FROM {{db}}.sessions WHERE Release != '' GROUP BY ProjectId, Version;
