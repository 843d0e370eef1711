-- requires setting: map_serialization_version
-- Span attributes in key buckets: a merged part splits each Map column averaging 9+ keys per row into 8 buckets by
-- key hash, so `SpanAttributes['http.response.status_code'] = '500'` reads one bucket instead of every attribute of
-- every span in the range. Measured at 10M spans (11 attributes and 8 resource attributes per span; docs/storage.md
-- "Span attributes in buckets"): 1 h searches for common values 137 → 60 ms and 152 → 71 ms, a rare user.id
-- 26 → 15 ms; span attributes 21.9 → 20.5 B/span (keys that hash together compress together); reading a whole
-- trace +2.4 ms (8 buckets to read). Smaller maps (resource attributes here) stay in one bucket: split up, their
-- LowCardinality streams cost 1.1 B/span more. Parts inserted keep one bucket until merged (the engine default),
-- so ingest does no extra work. Servers older than the setting skip this until upgraded (loadMigrations).
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY SETTING map_serialization_version = 'with_buckets',
    map_buckets_strategy = 'constant', max_buckets_in_map = 8, map_buckets_min_avg_size = 9;
