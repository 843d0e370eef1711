-- Source maps and minified sources uploaded per project and release, read when JavaScript frames are symbolicated.
-- A re-upload or a delete (Deleted = 1, empty Content) writes a new Version of the row; reads use FINAL.
-- No TTL: a release's maps are needed for as long as the release sends errors.
CREATE TABLE IF NOT EXISTS {{db}}.source_files {{on_cluster}}
(
    ProjectId UInt32,
    Release String,
    -- The file's URL or `~/path` name, as the frames of the minified code refer to it.
    Name String,
    Kind Enum8('source_map' = 1, 'minified_source' = 2),
    Content String CODEC(ZSTD(3)),
    -- Bytes of Content (UTF-8), so listings never read Content.
    Size UInt64,
    UploadedAt DateTime64(3, 'UTC'),
    Deleted UInt8 DEFAULT 0,
    Version UInt64
)
ENGINE = {{replicated}}ReplacingMergeTree(Version)
ORDER BY (ProjectId, Release, Name);
