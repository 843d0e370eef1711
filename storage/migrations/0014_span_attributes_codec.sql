-- scope: embedded
-- On embedded chDB, span attributes (40 % of a span's bytes on disk) are compressed by the size of the part
-- being written instead of always with zstd level 9: the engine config (storage/src/embedded.ts) picks zstd 1
-- for an insert's part and the merges of small parts, and zstd 9 once a merge writes 16 MiB or more, so the
-- large parts that hold nearly all the data are as small as before. Level 9 on every part made background
-- merges the largest CPU cost of ingest (docs/ingest.md "Throughput"). Parts written before keep their codec
-- until they are merged. A server keeps ZSTD(9) from 0002 (its compression config is the operator's).
ALTER TABLE {{db}}.spans MODIFY COLUMN SpanAttributes CODEC(Default);
