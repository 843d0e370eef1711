-- Saved searches: a named query string of one UI page (issues, traces, logs) shared by everyone in the project.
-- The latest row per search wins (Version); deleting writes a new version with Deleted = 1.
CREATE TABLE IF NOT EXISTS {{db}}.saved_searches {{on_cluster}}
(
    ProjectId UInt32,
    Id String,
    -- 'issues' | 'traces' | 'logs'
    Page LowCardinality(String),
    Name String,
    -- The page's URL query string, without the time range unless the search pins one.
    Query String,
    -- The label of the token that saved it ('' when it had none).
    CreatedBy String DEFAULT '',
    CreatedAt DateTime64(3, 'UTC'),
    Deleted UInt8 DEFAULT 0,
    Version UInt64
)
ENGINE = {{replicated}}ReplacingMergeTree(Version)
ORDER BY (ProjectId, Id);
