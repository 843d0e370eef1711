-- trace_index also says where a trace's error events and log records are: one row per (trace, source), the
-- source last in the sorting key so a span row never merges with the others (the primary key stays
-- (ProjectId, TraceId): one lookup finds all of them). The trace view reads error events and log records only
-- when their rows exist, and only over their own extent: on embedded chDB those two reads cost ~18 ms of a 40 ms
-- trace read even when they found nothing (10M spans, alternating in one process). Every other reader of
-- trace_index (durations, search windows) keeps to Source = 'span'.
-- The new column has no default expression: ClickHouse only appends such a column to a sorting key.
ALTER TABLE {{db}}.trace_index {{on_cluster}} ADD COLUMN IF NOT EXISTS Source Enum8('span' = 0, 'error' = 1, 'log' = 2), MODIFY ORDER BY (ProjectId, TraceId, Source);

-- The bounds of each insert's error events and log records per trace, as trace_index_mv writes the spans'
-- (storage/src/crash-repair.ts writes the same after a crash: change both together).
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.trace_index_errors_mv {{on_cluster}} TO {{db}}.trace_index
AS SELECT
    ProjectId,
    TraceId,
    'error' AS Source,
    min(toDateTime64(Timestamp, 3)) AS Start,
    max(toDateTime64(Timestamp, 3) + toIntervalMillisecond(1)) AS End
FROM {{db}}.error_events
WHERE TraceId != ''
GROUP BY ProjectId, TraceId;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.trace_index_logs_mv {{on_cluster}} TO {{db}}.trace_index
AS SELECT
    ProjectId,
    TraceId,
    'log' AS Source,
    min(toDateTime64(Timestamp, 3)) AS Start,
    max(toDateTime64(Timestamp, 3) + toIntervalMillisecond(1)) AS End
FROM {{db}}.logs
WHERE TraceId != ''
GROUP BY ProjectId, TraceId;

-- What was stored before the views existed (the views run first, so nothing written meanwhile is missed; a row
-- written twice changes no bound).
INSERT INTO {{db}}.trace_index (ProjectId, TraceId, Source, Start, End)
SELECT ProjectId, TraceId, 'error', min(toDateTime64(Timestamp, 3)), max(toDateTime64(Timestamp, 3) + toIntervalMillisecond(1))
FROM {{db}}.error_events
WHERE TraceId != ''
GROUP BY ProjectId, TraceId;

INSERT INTO {{db}}.trace_index (ProjectId, TraceId, Source, Start, End)
SELECT ProjectId, TraceId, 'log', min(toDateTime64(Timestamp, 3)), max(toDateTime64(Timestamp, 3) + toIntervalMillisecond(1))
FROM {{db}}.logs
WHERE TraceId != ''
GROUP BY ProjectId, TraceId;
