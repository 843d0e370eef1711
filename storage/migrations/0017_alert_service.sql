-- Service alerts (kinds service_error_rate and service_latency_p95) name the service they watch; '' = each service.
ALTER TABLE {{db}}.alert_rules {{on_cluster}}
    ADD COLUMN IF NOT EXISTS Service String DEFAULT '' AFTER Level;
