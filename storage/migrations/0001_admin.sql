-- Projects, ingest keys and API tokens. Small tables read with FINAL; every change writes a new row version.
CREATE TABLE IF NOT EXISTS {{db}}.projects {{on_cluster}}
(
    Id UInt32,
    Slug String,
    Name String,
    Settings String DEFAULT '{}',
    CreatedAt DateTime64(3, 'UTC'),
    Deleted UInt8 DEFAULT 0,
    Version UInt64
)
ENGINE = {{replicated}}ReplacingMergeTree(Version)
ORDER BY Id;

CREATE TABLE IF NOT EXISTS {{db}}.ingest_keys {{on_cluster}}
(
    Id String,
    ProjectId UInt32,
    -- Ingest keys are public-ish (they sit in browser bundles and Sentry DSNs), so they are stored as is
    -- and can be shown again in settings; API tokens below are stored hashed.
    Key String,
    Label String DEFAULT '',
    CreatedAt DateTime64(3, 'UTC'),
    RevokedAt Nullable(DateTime64(3, 'UTC')),
    Version UInt64
)
ENGINE = {{replicated}}ReplacingMergeTree(Version)
ORDER BY Id;

CREATE TABLE IF NOT EXISTS {{db}}.api_tokens {{on_cluster}}
(
    Id String,
    -- 0 = an instance-wide token (instance admin)
    ProjectId UInt32,
    Role Enum8('instance_admin' = 1, 'admin' = 2, 'read' = 3),
    TokenHash String,
    Label String DEFAULT '',
    CreatedAt DateTime64(3, 'UTC'),
    RevokedAt Nullable(DateTime64(3, 'UTC')),
    Version UInt64
)
ENGINE = {{replicated}}ReplacingMergeTree(Version)
ORDER BY Id;
