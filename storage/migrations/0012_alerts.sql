-- Alert rules: the latest row per rule wins (Version); deleting writes a new version with Deleted = 1.
CREATE TABLE IF NOT EXISTS {{db}}.alert_rules {{on_cluster}}
(
    Id String,
    ProjectId UInt32,
    Name String,
    -- 'new_issue' | 'regression' | 'issue_spike' (an issue gets >= Threshold events within WindowMinutes)
    Kind LowCardinality(String),
    Threshold UInt32 DEFAULT 0,
    WindowMinutes UInt32 DEFAULT 0,
    -- Optional filters; '' = any.
    Environment String DEFAULT '',
    Level String DEFAULT '',
    -- May hold a secret (Slack puts one in the path): never logged.
    WebhookUrl String,
    Deleted UInt8 DEFAULT 0,
    CreatedAt DateTime64(3, 'UTC'),
    Version UInt64
)
ENGINE = {{replicated}}ReplacingMergeTree(Version)
ORDER BY (ProjectId, Id);

-- One row per (rule, occurrence, claimant). A query process claims an occurrence (DedupeKey, e.g.
-- 'new_issue:<issue id>') by writing its row before it sends anything; the earliest claim wins, so several query
-- processes send one notification. The winner then writes the delivery outcome as a new version of its row.
CREATE TABLE IF NOT EXISTS {{db}}.alert_firings {{on_cluster}}
(
    ProjectId UInt32,
    RuleId String,
    DedupeKey String,
    Claimant String,
    IssueId String,
    ClaimedAt DateTime64(3, 'UTC'),
    -- 'pending' (claimed, not yet sent) | 'delivered' | 'failed'
    Status LowCardinality(String),
    HttpStatus UInt16 DEFAULT 0,
    Attempts UInt8 DEFAULT 0,
    Error String DEFAULT '',
    FinishedAt Nullable(DateTime64(3, 'UTC')),
    Version UInt64
)
ENGINE = {{replicated}}ReplacingMergeTree(Version)
PARTITION BY toYYYYMM(ClaimedAt)
ORDER BY (ProjectId, RuleId, DedupeKey, Claimant)
-- Dedupe only needs firings as old as the evaluator looks back (an hour); 90 days keep the delivery history.
TTL toDateTime(ClaimedAt) + toIntervalDay(90);
