-- Users seen in each release's spans per hour (`user.id`, else `enduser.id`): crash-free users of an OTel app
-- without sessions compare the users with errors against these. The releases pages read this rollup instead of
-- scanning the release's spans for their attributes (measured at 10M spans over a day: the releases list took
-- ~7 s, almost all of it in that scan). uniq states merge across hours and a state written twice counts once.
CREATE TABLE IF NOT EXISTS {{db}}.release_users {{on_cluster}}
(
    ProjectId UInt32,
    Release LowCardinality(String),
    Hour DateTime('UTC'),
    Users AggregateFunction(uniq, String)
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toYYYYMM(Hour)
ORDER BY (ProjectId, Release, Hour)
TTL Hour + toIntervalDay({{ttl_days}});

-- Spans stored before this table existed; skipped when the rollup already holds rows (a repeated start).
INSERT INTO {{db}}.release_users
SELECT ProjectId, ResourceAttributes['service.version'] AS Version, toStartOfHour(Timestamp) AS SpanHour,
    uniqState(if(SpanAttributes['user.id'] != '', SpanAttributes['user.id'], SpanAttributes['enduser.id']))
FROM {{db}}.spans
WHERE (SELECT count() FROM {{db}}.release_users) = 0
    AND Version != '' AND (SpanAttributes['user.id'] != '' OR SpanAttributes['enduser.id'] != '')
GROUP BY ProjectId, Version, SpanHour;

-- Buffered on embedded chDB like the other rollups (migration 0013); unused on a server.
CREATE TABLE IF NOT EXISTS {{db}}.release_users_buffer {{on_cluster}} AS {{db}}.release_users
ENGINE = Buffer({{db}}, release_users, 1, 1, 1, 1000000000, 1000000, 1000000000000, 268435456);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.release_users_mv {{on_cluster}} TO {{db}}.release_users{{rollup_buffer}}
AS SELECT ProjectId, ResourceAttributes['service.version'] AS Release, toStartOfHour(Timestamp) AS Hour,
    uniqState(if(SpanAttributes['user.id'] != '', SpanAttributes['user.id'], SpanAttributes['enduser.id'])) AS Users
FROM {{db}}.spans
WHERE Release != '' AND (SpanAttributes['user.id'] != '' OR SpanAttributes['enduser.id'] != '')
GROUP BY ProjectId, Release, Hour;
