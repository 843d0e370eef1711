// Attribute keys and values to suggest in a trace search: what the spans of the range carry, counted over a bounded
// sample of them, so a suggestion costs the same over an hour or a month.
import type { Database } from './database.ts';
import { join, sql, typed } from './sql.ts';
import { resourceKeysIn, spanFilters, type SpanFilterQuery } from './trace-search.ts';
import { spansPerHour } from './metrics-reader.ts';

/**
 * The most spans a suggestion looks at: those of the range's newest clock hours holding this many spans (measured
 * at 10M spans, the newest hour: keys 30 against 91 ms with 100,000, a key's values 32 against 47 ms).
 */
export const SUGGEST_SAMPLE_SPANS = 20_000;

export interface AttributeKeySuggestion {
  key: string;
  /** Sampled spans carrying the key (one with it on both the span and its resource counts twice). */
  spans: number;
  /** Found on a resource (`service.version`, `host.name`, …) rather than on spans. */
  resource: boolean;
}

export interface AttributeValueSuggestion {
  value: string;
  spans: number;
}

/**
 * The query narrowed to the newest clock hours of its range that hold SUGGEST_SAMPLE_SPANS spans (of its service, if
 * it names one), counted from the RED rollups: a busy project's newest hour, a quiet one's whole day or week, so a
 * key last seen hours ago is still suggested and the read stays bounded either way. Whole hours: the spans are
 * sorted by hour, so a cut inside one would read the same granules.
 */
async function sampled(db: Database, q: SpanFilterQuery): Promise<SpanFilterQuery> {
  const range = { projectId: q.projectId, startMs: Number(q.startNs / 1_000_000n), endMs: Number(q.endNs / 1_000_000n), apdexMs: 0 };
  let spans = 0;
  for (const hour of await spansPerHour(db, range, q.service)) {
    spans += hour.spans;
    const startNs = BigInt(hour.hourMs) * 1_000_000n;
    if (spans >= SUGGEST_SAMPLE_SPANS) return startNs > q.startNs ? { ...q, startNs } : q;
  }
  return q;
}

async function sampleWhere(db: Database, q: SpanFilterQuery) {
  const narrowed = await sampled(db, q);
  return join(spanFilters(narrowed, await resourceKeysIn(db, narrowed)), ' AND ');
}

/** The attribute keys of the spans meeting the filters, most common first (ties by key). */
export async function suggestAttributeKeys(db: Database, q: SpanFilterQuery, limit: number): Promise<AttributeKeySuggestion[]> {
  const rows = await db.query<{ key: string; spans: number; resource: number }>(sql`
    SELECT kr.1 AS key, toUInt64(count()) AS spans, toUInt8(max(kr.2)) AS resource
    FROM (
      SELECT SpanAttributes.keys AS sk, ResourceAttributes.keys AS rk FROM ${db.table('spans')}
      WHERE ${await sampleWhere(db, q)}
      LIMIT ${typed(SUGGEST_SAMPLE_SPANS, 'UInt32')})
    ARRAY JOIN arrayConcat(arrayMap(k -> (toString(k), 0), sk), arrayMap(k -> (toString(k), 1), rk)) AS kr
    GROUP BY key
    ORDER BY spans DESC, key
    LIMIT ${typed(limit, 'UInt32')}`);
  return rows.map((r) => ({ key: r.key, spans: r.spans, resource: r.resource === 1 }));
}

/**
 * The values of one attribute key among the spans meeting the filters: the span's, else its resource's; empty values
 * are not suggested. The key's value is read alone (one bucket of the span attributes), not tested for with the
 * maps' keys first, which read every bucket (measured at 10M spans: 97 → 47 ms for 100,000 spans).
 */
export async function suggestAttributeValues(db: Database, q: SpanFilterQuery, key: string, limit: number): Promise<AttributeValueSuggestion[]> {
  return db.query<AttributeValueSuggestion>(sql`
    SELECT value, toUInt64(count()) AS spans
    FROM (
      SELECT if(SpanAttributes[${key}] != '', SpanAttributes[${key}], ResourceAttributes[${key}]) AS value FROM ${db.table('spans')}
      WHERE ${await sampleWhere(db, q)} AND value != ''
      LIMIT ${typed(SUGGEST_SAMPLE_SPANS, 'UInt32')})
    GROUP BY value
    ORDER BY spans DESC, value
    LIMIT ${typed(limit, 'UInt32')}`);
}
