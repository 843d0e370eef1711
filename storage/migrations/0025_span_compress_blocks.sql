-- Compression blocks of 8 KiB instead of 64 KiB for the span columns a trace view and a search page read, apart
-- from the attribute maps. A granule of these columns holds 2 to 80 KiB, so with the default minimum a block held
-- up to 32 granules and reading one trace decompressed 4.4 MB for its few rows (counted with system.events at 10M
-- spans). Measured A/B on a copy of a day's 5.8M spans: one trace's spans 23.1 → 19.0 ms, the summary of a 20-trace
-- search page 25.4 → 17.2 ms, +0.37 B/span on disk. The attribute maps and InsertedAt keep 64 KiB blocks: smaller
-- ones cost them 0.9 B/span more and gained nothing further. New parts and merges take the setting; parts written
-- before keep their blocks until a merge rewrites them. One statement per column: in one ALTER, the comma after a
-- setting would continue its setting list.
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN ProjectId MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN Timestamp MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN TraceId MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN SpanId MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN ParentSpanId MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN TraceState MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN SpanName MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN SpanKind MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN ServiceName MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN ScopeName MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN ScopeVersion MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN Duration MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN StatusCode MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN StatusMessage MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN `Events.Timestamp` MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN `Events.Name` MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN `Links.TraceId` MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN `Links.SpanId` MODIFY SETTING min_compress_block_size = 8192;
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN `Links.TraceState` MODIFY SETTING min_compress_block_size = 8192;
