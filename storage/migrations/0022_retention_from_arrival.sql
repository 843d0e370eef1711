-- Retention counts from a row's arrival as well as from its own time: data sent with old timestamps (a backfill,
-- a replayed export, a client whose clock is off, the OTLP specification's examples from 2018) used to be
-- acknowledged and then dropped at once by the TTL, since its own time was already past retention. A row now
-- expires FAULTLINE_RETENTION_DAYS after the later of its time and its arrival (`InsertedAt`, filled by the
-- server; one value per insert, so it costs nothing on disk). The rollups (RED minutes and hours, service map,
-- issue hours) keep expiring by their own time: they chart ranges, and a range past retention is not charted.
-- Parts written before this migration have no InsertedAt: a merge or a retention change fills it with the time
-- of that merge, which can keep such older rows up to one retention period longer, once. The TTL is changed
-- without recomputing existing parts (materialize_ttl_after_modify = 0) for the same reason.
ALTER TABLE {{db}}.spans {{on_cluster}} ADD COLUMN IF NOT EXISTS InsertedAt DateTime DEFAULT now() CODEC(Delta(4), ZSTD(1));
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY TTL greatest(toDateTime(Timestamp), InsertedAt) + toIntervalDay({{ttl_days}})
    SETTINGS materialize_ttl_after_modify = 0;
ALTER TABLE {{db}}.trace_index {{on_cluster}} ADD COLUMN IF NOT EXISTS InsertedAt SimpleAggregateFunction(max, DateTime) DEFAULT now() CODEC(Delta(4), ZSTD(1));
ALTER TABLE {{db}}.trace_index {{on_cluster}} MODIFY TTL greatest(toDateTime(Start), InsertedAt) + toIntervalDay({{ttl_days}})
    SETTINGS materialize_ttl_after_modify = 0;
ALTER TABLE {{db}}.logs {{on_cluster}} ADD COLUMN IF NOT EXISTS InsertedAt DateTime DEFAULT now() CODEC(Delta(4), ZSTD(1));
ALTER TABLE {{db}}.logs {{on_cluster}} MODIFY TTL greatest(toDateTime(Timestamp), InsertedAt) + toIntervalDay({{ttl_days}})
    SETTINGS materialize_ttl_after_modify = 0;
ALTER TABLE {{db}}.error_events {{on_cluster}} ADD COLUMN IF NOT EXISTS InsertedAt DateTime DEFAULT now() CODEC(Delta(4), ZSTD(1));
ALTER TABLE {{db}}.error_events {{on_cluster}} MODIFY TTL greatest(toDateTime(Timestamp), InsertedAt) + toIntervalDay({{ttl_days}})
    SETTINGS materialize_ttl_after_modify = 0;
ALTER TABLE {{db}}.metric_points {{on_cluster}} ADD COLUMN IF NOT EXISTS InsertedAt DateTime DEFAULT now() CODEC(Delta(4), ZSTD(1));
ALTER TABLE {{db}}.metric_points {{on_cluster}} MODIFY TTL greatest(toDateTime(Timestamp), InsertedAt) + toIntervalDay({{ttl_days}})
    SETTINGS materialize_ttl_after_modify = 0;
ALTER TABLE {{db}}.sessions {{on_cluster}} ADD COLUMN IF NOT EXISTS InsertedAt DateTime DEFAULT now() CODEC(Delta(4), ZSTD(1));
ALTER TABLE {{db}}.sessions {{on_cluster}} MODIFY TTL greatest(toDateTime(Timestamp), InsertedAt) + toIntervalDay({{ttl_days}})
    SETTINGS materialize_ttl_after_modify = 0;
ALTER TABLE {{db}}.user_feedback {{on_cluster}} ADD COLUMN IF NOT EXISTS InsertedAt DateTime DEFAULT now() CODEC(Delta(4), ZSTD(1));
ALTER TABLE {{db}}.user_feedback {{on_cluster}} MODIFY TTL greatest(toDateTime(Timestamp), InsertedAt) + toIntervalDay({{ttl_days}})
    SETTINGS materialize_ttl_after_modify = 0;
