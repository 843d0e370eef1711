-- A row's arrival (InsertedAt, migration 0022) is kept to the hour, rounded up: retention then runs at most an hour
-- longer than FAULTLINE_RETENTION_DAYS from arrival (parts are dropped whole anyway), and the rows of a part share a
-- handful of values instead of one per insert second. Sorted by trace, a part interleaved those seconds and the
-- column cost 0.26 B/span in spans and 1.3 B/trace in trace_index (10M spans seeded in ~8 min of inserts); a few
-- values per part compress to almost nothing, which keeps trace_index's error and log rows (migration 0027) inside
-- the bytes-per-span budget. Only the default changes: rows already stored keep their second.
ALTER TABLE {{db}}.spans {{on_cluster}} MODIFY COLUMN InsertedAt DEFAULT toStartOfHour(now()) + toIntervalHour(1);
ALTER TABLE {{db}}.trace_index {{on_cluster}} MODIFY COLUMN InsertedAt DEFAULT toStartOfHour(now()) + toIntervalHour(1);
ALTER TABLE {{db}}.logs {{on_cluster}} MODIFY COLUMN InsertedAt DEFAULT toStartOfHour(now()) + toIntervalHour(1);
ALTER TABLE {{db}}.error_events {{on_cluster}} MODIFY COLUMN InsertedAt DEFAULT toStartOfHour(now()) + toIntervalHour(1);
ALTER TABLE {{db}}.metric_points {{on_cluster}} MODIFY COLUMN InsertedAt DEFAULT toStartOfHour(now()) + toIntervalHour(1);
ALTER TABLE {{db}}.sessions {{on_cluster}} MODIFY COLUMN InsertedAt DEFAULT toStartOfHour(now()) + toIntervalHour(1);
ALTER TABLE {{db}}.user_feedback {{on_cluster}} MODIFY COLUMN InsertedAt DEFAULT toStartOfHour(now()) + toIntervalHour(1);
