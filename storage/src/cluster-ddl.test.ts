import { describe, expect, test } from 'vitest';
import { loadMigrations } from './migrate.ts';

describe('cluster layout', () => {
  const statements = loadMigrations({ database: 'fl', cluster: 'prod', retentionDays: 14, embedded: false }).flatMap((m) => m.statements);
  const find = (prefix: string) => statements.find((s) => s.startsWith(prefix)) ?? '';

  test('telemetry tables are shard-local Replicated tables behind Distributed ones with the right shard keys', () => {
    expect(find('CREATE TABLE IF NOT EXISTS `fl`.spans_local ON CLUSTER `prod`')).toContain('ENGINE = ReplicatedMergeTree');
    expect(find('CREATE TABLE IF NOT EXISTS `fl`.spans ON CLUSTER `prod` AS')).toContain('ENGINE = Distributed(`prod`, `fl`, spans_local, cityHash64(TraceId))');
    expect(find('CREATE TABLE IF NOT EXISTS `fl`.issue_stats ON CLUSTER `prod` AS')).toContain('cityHash64(IssueId)');
    expect(find('CREATE TABLE IF NOT EXISTS `fl`.service_edge_calls_local')).toContain('ENGINE = Null');
  });

  test('views read and write local tables', () => {
    const mv = find('CREATE MATERIALIZED VIEW IF NOT EXISTS `fl`.trace_index_mv');
    expect(mv).toContain('TO `fl`.trace_index_local');
    expect(mv).toContain('FROM `fl`.spans_local');
    expect(find('CREATE MATERIALIZED VIEW IF NOT EXISTS `fl`.issue_stats_mv')).toContain('FROM `fl`.error_events_local');
  });

  test('rollup buffers (unused on a server) are per node, in front of the local tables', () => {
    const buffer = find('CREATE TABLE IF NOT EXISTS `fl`.span_metrics_1m_buffer ON CLUSTER `prod`');
    expect(buffer).toContain('AS `fl`.span_metrics_1m_local');
    expect(buffer).toContain('ENGINE = Buffer(`fl`, span_metrics_1m_local, 1,');
    expect(statements.some((s) => s.includes('_buffer_local'))).toBe(false);
    const views = statements.filter((s) => s.startsWith('CREATE MATERIALIZED VIEW IF NOT EXISTS `fl`.span_metrics_1h_mv'));
    expect(views.at(-1)).toContain('TO `fl`.span_metrics_1h_local');
    expect(views.at(-1)).toContain('FROM `fl`.span_metrics_1m_local');
  });

  test('a column added to a sharded table is added to the shard-local table, then to the Distributed one', () => {
    const alters = statements.filter((s) => s.startsWith('ALTER TABLE `fl`.error_events') && s.includes('ADD COLUMN IF NOT EXISTS Request '));
    expect(alters.map((s) => s.split(/\s+ADD /)[0])).toEqual(['ALTER TABLE `fl`.error_events_local ON CLUSTER `prod`', 'ALTER TABLE `fl`.error_events ON CLUSTER `prod`']);
    expect(alters[0]).toContain('ADD COLUMN IF NOT EXISTS Request String');
    // A TTL belongs to the shards' tables only: a Distributed table has none.
    const ttl = statements.filter((s) => s.startsWith('ALTER TABLE `fl`.error_events') && s.includes('MODIFY TTL'));
    expect(ttl.map((s) => s.split(/\s+MODIFY /)[0])).toEqual(['ALTER TABLE `fl`.error_events_local ON CLUSTER `prod`']);
    // Administrative tables have no local copy.
    expect(find('ALTER TABLE `fl`.alert_rules ON CLUSTER `prod`')).toContain('ADD COLUMN IF NOT EXISTS Service');
    expect(statements.some((s) => s.startsWith('ALTER TABLE `fl`.alert_rules_local'))).toBe(false);
  });

  test("a column's storage setting goes to the shard-local table only", () => {
    const blocks = statements.filter((s) => s.includes('MODIFY SETTING min_compress_block_size'));
    expect(blocks.length).toBeGreaterThanOrEqual(20);
    for (const s of blocks) expect(s).toMatch(/^ALTER TABLE `fl`\.(spans|trace_index)_local ON CLUSTER `prod` MODIFY COLUMN /);
  });

  test('a column appended to the sorting key goes to both tables, the new key to the shard-local one only', () => {
    const alters = statements.filter((s) => s.startsWith('ALTER TABLE `fl`.trace_index') && s.includes('ADD COLUMN IF NOT EXISTS Source '));
    expect(alters).toHaveLength(2);
    expect(alters[0]).toMatch(/^ALTER TABLE `fl`\.trace_index_local ON CLUSTER `prod` ADD COLUMN .*, MODIFY ORDER BY \(ProjectId, TraceId, Source\)$/);
    expect(alters[1]).toMatch(/^ALTER TABLE `fl`\.trace_index ON CLUSTER `prod` ADD COLUMN IF NOT EXISTS Source Enum8\([^)]*\)$/);
    // the error and log views write their rows into the shard's index (a lookup through the Distributed table
    // aggregates every shard's rows, so rows of one trace on two shards still give one extent)
    expect(find('CREATE MATERIALIZED VIEW IF NOT EXISTS `fl`.trace_index_errors_mv')).toContain('FROM `fl`.error_events_local');
    expect(find('CREATE MATERIALIZED VIEW IF NOT EXISTS `fl`.trace_index_logs_mv')).toContain('TO `fl`.trace_index_local');
  });

  test('administrative tables are replicated to every node, not sharded', () => {
    const projects = find('CREATE TABLE IF NOT EXISTS `fl`.projects ON CLUSTER');
    expect(projects).toContain("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{database}/projects/global', '{replica}', Version)");
    expect(statements.some((s) => s.includes('projects_local'))).toBe(false);
  });

  test('single node keeps plain engines', () => {
    const single = loadMigrations({ database: 'fl', cluster: '', retentionDays: 14, embedded: false }).flatMap((m) => m.statements);
    expect(single.some((s) => s.includes('Replicated') || s.includes('_local') || s.includes('ON CLUSTER'))).toBe(false);
  });
});
