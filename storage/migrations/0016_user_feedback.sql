-- User feedback from Sentry SDKs (`feedback` and `user_report` envelope items): what a user wrote, optionally
-- about one error event. The issue is found through that event when reading, so feedback sent before its event
-- arrives still lands on the right issue. A resend is a second row with the same FeedbackId; readers keep one.
CREATE TABLE IF NOT EXISTS {{db}}.user_feedback {{on_cluster}}
(
    ProjectId UInt32,
    Timestamp DateTime64(3, 'UTC') CODEC(Delta(8), ZSTD(1)),
    FeedbackId String CODEC(ZSTD(1)),
    EventId String CODEC(ZSTD(1)),
    Name String CODEC(ZSTD(1)),
    Email String CODEC(ZSTD(1)),
    Message String CODEC(ZSTD(3)),
    Url String CODEC(ZSTD(1)),
    Source LowCardinality(String),
    Release LowCardinality(String),
    Environment LowCardinality(String),
    UserId String CODEC(ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    Tags Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    INDEX idx_event_id EventId TYPE bloom_filter(0.001) GRANULARITY 1
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(Timestamp)
ORDER BY (ProjectId, Timestamp, FeedbackId)
TTL toDateTime(Timestamp) + toIntervalDay({{ttl_days}});
