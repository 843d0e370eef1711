-- Error events from every source (OTLP span events, OTLP logs, Sentry SDKs), one row per event.
CREATE TABLE IF NOT EXISTS {{db}}.error_events {{on_cluster}}
(
    ProjectId UInt32 CODEC(ZSTD(1)),
    Timestamp DateTime64(9, 'UTC') CODEC(Delta(8), ZSTD(1)),
    EventId String CODEC(ZSTD(1)),
    IssueId String CODEC(ZSTD(1)),
    Fingerprint String CODEC(ZSTD(1)),
    GroupingStrategy LowCardinality(String),
    Level LowCardinality(String),
    Platform LowCardinality(String),
    SdkName LowCardinality(String),
    SdkVersion LowCardinality(String),
    Source LowCardinality(String),
    Title String CODEC(ZSTD(1)),
    Culprit String CODEC(ZSTD(1)),
    ExceptionType String CODEC(ZSTD(1)),
    ExceptionValue String CODEC(ZSTD(1)),
    Message String CODEC(ZSTD(1)),
    -- JSON documents: shown per event, never filtered on.
    Exceptions String CODEC(ZSTD(3)),
    Contexts String CODEC(ZSTD(3)),
    Breadcrumbs String CODEC(ZSTD(3)),
    Release LowCardinality(String),
    Environment LowCardinality(String),
    ServerName LowCardinality(String),
    ServiceName LowCardinality(String),
    Transaction String CODEC(ZSTD(1)),
    UserId String CODEC(ZSTD(1)),
    UserEmail String CODEC(ZSTD(1)),
    UserName String CODEC(ZSTD(1)),
    UserIp String CODEC(ZSTD(1)),
    -- What "affected users" counts: user id, else email, else IP ('' = anonymous, not counted).
    UserKey String CODEC(ZSTD(1)),
    Tags Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_event_id EventId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_release Release TYPE set(100) GRANULARITY 4
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (ProjectId, IssueId, Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay({{ttl_days}})
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

-- Per-issue aggregates filled at insert time (no read-modify-write): counts, users, first/last seen and release.
CREATE TABLE IF NOT EXISTS {{db}}.issue_stats {{on_cluster}}
(
    ProjectId UInt32,
    IssueId String,
    Fingerprint SimpleAggregateFunction(any, String),
    FirstSeen SimpleAggregateFunction(min, DateTime64(9, 'UTC')),
    LastSeen SimpleAggregateFunction(max, DateTime64(9, 'UTC')),
    Events SimpleAggregateFunction(sum, UInt64),
    Users AggregateFunction(uniq, String),
    Title AggregateFunction(argMax, String, DateTime64(9, 'UTC')),
    Culprit AggregateFunction(argMax, String, DateTime64(9, 'UTC')),
    ExceptionType AggregateFunction(argMax, String, DateTime64(9, 'UTC')),
    ExceptionValue AggregateFunction(argMax, String, DateTime64(9, 'UTC')),
    Level AggregateFunction(argMax, String, DateTime64(9, 'UTC')),
    Platform AggregateFunction(argMax, String, DateTime64(9, 'UTC')),
    FirstRelease AggregateFunction(argMin, String, DateTime64(9, 'UTC')),
    LastRelease AggregateFunction(argMax, String, DateTime64(9, 'UTC')),
    LatestEventId AggregateFunction(argMax, String, DateTime64(9, 'UTC')),
    Environments SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    Releases SimpleAggregateFunction(groupUniqArrayArray, Array(String))
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (ProjectId, IssueId);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.issue_stats_mv {{on_cluster}} TO {{db}}.issue_stats
AS SELECT
    ProjectId,
    IssueId,
    any(Fingerprint) AS Fingerprint,
    min(Timestamp) AS FirstSeen,
    max(Timestamp) AS LastSeen,
    count() AS Events,
    uniqIfState(UserKey, UserKey != '') AS Users,
    argMaxState(Title, Timestamp) AS Title,
    argMaxState(Culprit, Timestamp) AS Culprit,
    argMaxState(ExceptionType, Timestamp) AS ExceptionType,
    argMaxState(ExceptionValue, Timestamp) AS ExceptionValue,
    argMaxState(toString(Level), Timestamp) AS Level,
    argMaxState(toString(Platform), Timestamp) AS Platform,
    argMinState(toString(Release), Timestamp) AS FirstRelease,
    argMaxState(toString(Release), Timestamp) AS LastRelease,
    argMaxState(EventId, Timestamp) AS LatestEventId,
    groupUniqArrayIf(toString(Environment), Environment != '') AS Environments,
    groupUniqArrayIf(toString(Release), Release != '') AS Releases
FROM {{db}}.error_events
GROUP BY ProjectId, IssueId;

-- Hourly event and user counts per issue (sparklines, release impact).
CREATE TABLE IF NOT EXISTS {{db}}.issue_hourly {{on_cluster}}
(
    ProjectId UInt32,
    IssueId String,
    Hour DateTime('UTC'),
    Release LowCardinality(String),
    Environment LowCardinality(String),
    Events SimpleAggregateFunction(sum, UInt64),
    Users AggregateFunction(uniq, String)
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toYYYYMM(Hour)
ORDER BY (ProjectId, IssueId, Hour, Release, Environment)
TTL Hour + toIntervalDay({{ttl_days}});

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.issue_hourly_mv {{on_cluster}} TO {{db}}.issue_hourly
AS SELECT
    ProjectId,
    IssueId,
    toStartOfHour(Timestamp) AS Hour,
    Release,
    Environment,
    count() AS Events,
    uniqIfState(UserKey, UserKey != '') AS Users
FROM {{db}}.error_events
GROUP BY ProjectId, IssueId, Hour, Release, Environment;

-- Workflow state: the latest row per issue wins (Version). No row = unresolved.
CREATE TABLE IF NOT EXISTS {{db}}.issue_status {{on_cluster}}
(
    ProjectId UInt32,
    IssueId String,
    Status Enum8('unresolved' = 1, 'resolved' = 2, 'ignored' = 3),
    -- resolved: '' = resolved now (any later event regresses), else resolved in this release
    ResolvedInRelease String,
    -- ignored: 0 = forever, else until the issue has this many events in total
    IgnoreUntilEvents UInt64,
    Assignee String,
    ChangedBy String,
    ChangedAt DateTime64(3, 'UTC'),
    Version UInt64
)
ENGINE = {{replicated}}ReplacingMergeTree(Version)
ORDER BY (ProjectId, IssueId);

-- What happened to issues (new, status changes, regressions); alerts read it. Deterministic ids dedupe
-- the rows several collectors may write for the same fact.
CREATE TABLE IF NOT EXISTS {{db}}.issue_activity {{on_cluster}}
(
    ProjectId UInt32,
    IssueId String,
    ActivityId String,
    Kind LowCardinality(String),
    Timestamp DateTime64(3, 'UTC'),
    Actor String,
    Data String
)
ENGINE = {{replicated}}ReplacingMergeTree
PARTITION BY toYYYYMM(Timestamp)
ORDER BY (ProjectId, IssueId, ActivityId);

-- Releases seen per project (created on first sight).
CREATE TABLE IF NOT EXISTS {{db}}.releases {{on_cluster}}
(
    ProjectId UInt32,
    Version String,
    FirstSeen SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    LastSeen SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (ProjectId, Version);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.releases_from_errors_mv {{on_cluster}} TO {{db}}.releases
AS SELECT ProjectId, toString(Release) AS Version, min(toDateTime64(Timestamp, 3)) AS FirstSeen, max(toDateTime64(Timestamp, 3)) AS LastSeen
FROM {{db}}.error_events WHERE Release != '' GROUP BY ProjectId, Version;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.releases_from_spans_mv {{on_cluster}} TO {{db}}.releases
AS SELECT ProjectId, ResourceAttributes['service.version'] AS Version, min(toDateTime64(Timestamp, 3)) AS FirstSeen, max(toDateTime64(Timestamp, 3)) AS LastSeen
FROM {{db}}.spans WHERE ResourceAttributes['service.version'] != '' GROUP BY ProjectId, Version;
