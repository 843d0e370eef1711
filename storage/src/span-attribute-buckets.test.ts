import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from './database.ts';
import { loadMigrations, pendingMigrations, type Migration } from './migrate.ts';
import { mapHasKey } from './attributes.ts';
import { insertSpans } from './spans-writer.ts';
import { sql } from './sql.ts';
import { makeSpan } from './testing/make-span.ts';
import { openTempDatabase } from './testing/temp-database.ts';
import { searchTraces } from './trace-search.ts';
import { getTrace } from './traces-reader.ts';

let db: Database;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ db, cleanup } = await openTempDatabase()));
afterAll(async () => cleanup());

const buckets = (cluster: string) =>
  loadMigrations({ database: 'fl', cluster, retentionDays: 14, embedded: cluster === '' }).find((m) => m.name === 'span_attribute_buckets');

test('the bucket migration waits for a server that knows the setting, and on a cluster goes to the shards only', () => {
  const single = buckets('');
  expect(single?.requiresSetting).toBe('map_serialization_version');
  expect(single?.statements).toHaveLength(1);
  expect(single?.statements[0]).toMatch(/^ALTER TABLE `fl`\.spans\s+MODIFY SETTING map_serialization_version = 'with_buckets'/);
  // A Distributed table has no storage settings: the statement must not reach it.
  expect(buckets('prod')?.statements).toEqual([
    single?.statements[0]?.replace('`fl`.spans ', '`fl`.spans_local ON CLUSTER `prod` ').replace(/\s+MODIFY/, ' MODIFY'),
  ]);

  const plain: Migration = { version: 1, name: 'a', statements: [] };
  const needy: Migration = { version: 2, name: 'b', statements: [], requiresSetting: 'some_future_setting' };
  const later: Migration = { version: 3, name: 'c', statements: [] };
  // Skipped (and so not recorded) on an engine without the setting; the migrations after it still apply.
  expect(pendingMigrations([plain, needy, later], new Set(), new Set()).map((m) => m.version)).toEqual([1, 3]);
  expect(pendingMigrations([plain, needy, later], new Set([1, 3]), new Set(['some_future_setting'])).map((m) => m.version)).toEqual([2]);
});

/** Spans with `keys` attributes each, two resource attributes. */
function spans(count: number, keys: number, first: number, traceId: string) {
  return Array.from({ length: count }, (_, i) => ({
    projectId: 1,
    span: makeSpan({
      traceId,
      spanId: (first + i).toString(16).padStart(16, '0'),
      attributes: Object.fromEntries(Array.from({ length: keys }, (_, k) => [`attr.${k}`, `value ${k} of ${first + i}`])),
      resource: { 'service.name': 'checkout', 'deployment.environment': 'prod' },
    }),
  }));
}

test('a merged part keeps span attributes in 8 buckets, small resource maps whole; reads and searches are unchanged', async () => {
  const settings = await db.query<{ q: string }>(
    sql`SELECT create_table_query AS q FROM system.tables WHERE database = 'faultline' AND name = 'spans'`,
  );
  expect(settings[0]?.q).toContain("map_serialization_version = 'with_buckets'");
  const trace = 'ab'.repeat(16);
  await insertSpans(db, spans(300, 12, 1, trace));
  await insertSpans(db, spans(300, 12, 1000, 'cd'.repeat(16)));
  await db.command('OPTIMIZE TABLE `faultline`.spans FINAL');
  const streams = await db.query<{ column: string; substreams: string[] }>(sql`
    SELECT column, substreams FROM system.parts_columns
    WHERE database = 'faultline' AND table = 'spans' AND active AND column IN ('SpanAttributes', 'ResourceAttributes')`);
  const of = (column: string) => streams.find((s) => s.column === column)?.substreams ?? [];
  expect(streams).toHaveLength(2);
  expect(of('SpanAttributes')).toContain('SpanAttributes.7.size0');
  expect(of('SpanAttributes')).not.toContain('SpanAttributes.8.size0');
  expect(of('ResourceAttributes')).not.toContain('ResourceAttributes.1.size0');

  const read = await getTrace(db, 1, trace, 1000);
  expect(read).toHaveLength(300);
  expect(read?.[7]?.attributes).toEqual(Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`attr.${k}`, `value ${k} of 8`])));
  expect(read?.[7]?.resource).toEqual({ 'service.name': 'checkout', 'deployment.environment': 'prod' });
  const now = BigInt(Date.now()) * 1_000_000n;
  const found = await searchTraces(db, {
    projectId: 1,
    startNs: now - 3_600_000_000_000n,
    endNs: now + 60_000_000_000n,
    environment: 'prod',
    attributes: [{ key: 'attr.11', value: 'value 11 of 1005' }],
    hasAttributes: ['attr.3'],
    limit: 10,
  });
  expect(found.traces.map((t) => t.traceId)).toEqual(['cd'.repeat(16)]);
});

test("a key's existence reads the map's keys, not its values, and the bloom filter on keys still skips granules", async () => {
  await insertSpans(db, spans(50, 4, 5000, 'ef'.repeat(16)));
  const where = (key: string) => sql`ProjectId = 1 AND ${mapHasKey(sql`SpanAttributes`, key)}`;
  const plan = await db.query<{ explain: string }>(sql`EXPLAIN indexes = 1 SELECT count() FROM ${db.table('spans')} WHERE ${where('attr.3')}`);
  expect(plan.map((r) => r.explain).join('\n')).toContain('idx_span_attr_key');
  for (const key of ['attr.3', 'attr.11', 'attr.99']) {
    const [ours] = await db.query<{ n: number }>(sql`SELECT count() AS n FROM ${db.table('spans')} WHERE ${where(key)}`);
    const [plain] = await db.query<{ n: number }>(sql`SELECT count() AS n FROM ${db.table('spans')} WHERE ProjectId = 1 AND mapContains(SpanAttributes, ${key})`);
    expect(ours?.n, key).toBe(plain?.n);
  }
  const [absent] = await db.query<{ n: number }>(sql`SELECT count() AS n FROM ${db.table('spans')} WHERE ${where('attr.99')}`);
  expect(absent?.n).toBe(0);
});
