-- Sentry events' `request` (method, URL, query string, headers, body), `extra` and `modules`, scrubbed by the
-- collector like the rest of the event: JSON documents shown per event, never filtered on ('' = none).
ALTER TABLE {{db}}.error_events {{on_cluster}}
    ADD COLUMN IF NOT EXISTS Request String DEFAULT '' CODEC(ZSTD(3)) AFTER Breadcrumbs,
    ADD COLUMN IF NOT EXISTS Extra String DEFAULT '' CODEC(ZSTD(3)) AFTER Request,
    ADD COLUMN IF NOT EXISTS Modules String DEFAULT '' CODEC(ZSTD(3)) AFTER Extra;
