/**
 * The comparison copy for bench/query.ts: the OpenTelemetry ClickHouse exporter's tables (its default DDL) and
 * the statement that fills them with the seeded spans.
 */
import { ident, sql, typed, type Database } from '@faultline/storage';

/** The OpenTelemetry ClickHouse exporter's traces table, index table and view, from its default DDL. */
export function otelTracesDdl(database: string): string[] {
  const db = `\`${database}\``;
  return [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    `CREATE TABLE IF NOT EXISTS ${db}.otel_traces (
      Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
      TraceId String CODEC(ZSTD(1)),
      SpanId String CODEC(ZSTD(1)),
      ParentSpanId String CODEC(ZSTD(1)),
      TraceState String CODEC(ZSTD(1)),
      SpanName LowCardinality(String) CODEC(ZSTD(1)),
      SpanKind LowCardinality(String) CODEC(ZSTD(1)),
      ServiceName LowCardinality(String) CODEC(ZSTD(1)),
      ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      ScopeName String CODEC(ZSTD(1)),
      ScopeVersion String CODEC(ZSTD(1)),
      SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      Duration UInt64 CODEC(ZSTD(1)),
      StatusCode LowCardinality(String) CODEC(ZSTD(1)),
      StatusMessage String CODEC(ZSTD(1)),
      Events Nested (
        Timestamp DateTime64(9),
        Name LowCardinality(String),
        Attributes Map(LowCardinality(String), String)
      ) CODEC(ZSTD(1)),
      Links Nested (
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes Map(LowCardinality(String), String)
      ) CODEC(ZSTD(1)),
      INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
      INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_duration Duration TYPE minmax GRANULARITY 1
    ) ENGINE = MergeTree()
    PARTITION BY toDate(Timestamp)
    ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))
    TTL toDateTime(Timestamp) + toIntervalDay(14)
    SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`,
    `CREATE TABLE IF NOT EXISTS ${db}.otel_traces_trace_id_ts (
      TraceId String CODEC(ZSTD(1)),
      Start DateTime CODEC(Delta, ZSTD(1)),
      End DateTime CODEC(Delta, ZSTD(1)),
      INDEX idx_trace_id TraceId TYPE bloom_filter(0.01) GRANULARITY 1
    ) ENGINE = MergeTree()
    PARTITION BY toDate(Start)
    ORDER BY (TraceId, Start)
    TTL toDateTime(Start) + toIntervalDay(14)
    SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.otel_traces_trace_id_ts_mv TO ${db}.otel_traces_trace_id_ts
    AS SELECT TraceId, min(Timestamp) AS Start, max(Timestamp) AS End
    FROM ${db}.otel_traces WHERE TraceId != '' GROUP BY TraceId`,
  ];
}

/** The same spans, mapped to the exporter's columns (kinds and status codes as the exporter spells them). */
export function copyToOtelStatement(db: Database, otelDatabase: string, fromTime: string, toTime: string) {
  return sql`
    INSERT INTO ${ident(otelDatabase)}.otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,
      ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage,
      Events.Timestamp, Events.Name, Events.Attributes, Links.TraceId, Links.SpanId, Links.TraceState, Links.Attributes)
    SELECT Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName,
      ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'][toUInt8(SpanKind) + 1],
      ServiceName, ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration,
      ['Unset', 'Ok', 'Error'][toUInt8(StatusCode) + 1], StatusMessage,
      Events.Timestamp, Events.Name, Events.Attributes, Links.TraceId, Links.SpanId, Links.TraceState, Links.Attributes
    FROM ${db.table('spans')}
    WHERE Timestamp >= ${typed(fromTime, "DateTime64(9, 'UTC')")} AND Timestamp < ${typed(toTime, "DateTime64(9, 'UTC')")}`;
}
