-- scope: embedded
-- The rollup buffers (0013, 0020, 0023) are flushed by Faultline every second (storage/src/database.ts), between
-- reads of them: a Buffer table read during the engine's own flush could miss the rows being flushed (they had left
-- the buffer and were not in the table yet; measured: one read in ~1,000 right after an insert, so a dashboard or an
-- alert could see a second of calls missing). The engine's timer stays as a fallback, after a minute. Buffer's
-- arguments cannot be altered: each buffer is created again (a DROP writes out what it holds; the views writing to
-- it or reading from it keep working, as they name it). Buffer(database, table, layers, min_time, max_time,
-- min_rows, max_rows, min_bytes, max_bytes).
DROP TABLE IF EXISTS {{db}}.span_metrics_1m_buffer;
CREATE TABLE IF NOT EXISTS {{db}}.span_metrics_1m_buffer AS {{db}}.span_metrics_1m
ENGINE = Buffer({{db}}, span_metrics_1m, 1, 60, 60, 1000000000, 1000000, 1000000000000, 268435456);

DROP TABLE IF EXISTS {{db}}.span_metrics_1h_buffer;
CREATE TABLE IF NOT EXISTS {{db}}.span_metrics_1h_buffer AS {{db}}.span_metrics_1h
ENGINE = Buffer({{db}}, span_metrics_1h, 1, 60, 60, 1000000000, 1000000, 1000000000000, 268435456);

DROP TABLE IF EXISTS {{db}}.service_metrics_1m_buffer;
CREATE TABLE IF NOT EXISTS {{db}}.service_metrics_1m_buffer AS {{db}}.service_metrics_1m
ENGINE = Buffer({{db}}, service_metrics_1m, 1, 60, 60, 1000000000, 1000000, 1000000000000, 268435456);

DROP TABLE IF EXISTS {{db}}.service_metrics_1h_buffer;
CREATE TABLE IF NOT EXISTS {{db}}.service_metrics_1h_buffer AS {{db}}.service_metrics_1h
ENGINE = Buffer({{db}}, service_metrics_1h, 1, 60, 60, 1000000000, 1000000, 1000000000000, 268435456);

DROP TABLE IF EXISTS {{db}}.releases_buffer;
CREATE TABLE IF NOT EXISTS {{db}}.releases_buffer AS {{db}}.releases
ENGINE = Buffer({{db}}, releases, 1, 60, 60, 1000000000, 1000000, 1000000000000, 268435456);

DROP TABLE IF EXISTS {{db}}.release_users_buffer;
CREATE TABLE IF NOT EXISTS {{db}}.release_users_buffer AS {{db}}.release_users
ENGINE = Buffer({{db}}, release_users, 1, 60, 60, 1000000000, 1000000, 1000000000000, 268435456);
