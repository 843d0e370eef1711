-- Sentry session updates (release health). Single sessions carry an id; aggregates carry a Quantity.
CREATE TABLE IF NOT EXISTS {{db}}.sessions {{on_cluster}}
(
    ProjectId UInt32,
    Timestamp DateTime64(3, 'UTC') CODEC(Delta(8), ZSTD(1)),
    Started DateTime64(3, 'UTC') CODEC(Delta(8), ZSTD(1)),
    SessionId String CODEC(ZSTD(1)),
    DistinctId String CODEC(ZSTD(1)),
    Status LowCardinality(String),
    Errors UInt32,
    Release LowCardinality(String),
    Environment LowCardinality(String),
    Init Bool,
    Quantity UInt32
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (ProjectId, Release, Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay({{ttl_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.releases_from_sessions_mv {{on_cluster}} TO {{db}}.releases
AS SELECT ProjectId, toString(Release) AS Version, min(Timestamp) AS FirstSeen, max(Timestamp) AS LastSeen
FROM {{db}}.sessions WHERE Release != '' GROUP BY ProjectId, Version;
