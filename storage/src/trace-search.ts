import { attributeEquals, mapHasKey } from './attributes.ts';
import type { Database } from './database.ts';
import { INT64_MAX, join, sql, typed, type Sql } from './sql.ts';
import { nanosToDateTime64 } from './time.ts';
import { byKeyDescending, compareKeys, longestInRange, type KeyedTrace } from './trace-duration.ts';
import { firstPerTrace, newestFirstSlices, SLICE_FIRST_MIN_NS } from './trace-slices.ts';
import { SPAN_ROWS } from './trace-window.ts';

export interface TraceQuery {
  projectId: number;
  /** Unix nanoseconds, inclusive. */
  startNs: bigint;
  endNs: bigint;
  service?: string;
  operation?: string;
  status?: 'UNSET' | 'OK' | 'ERROR';
  minDurationNs?: bigint;
  maxDurationNs?: bigint;
  /** Attribute equality on span or resource attributes. */
  attributes: Array<{ key: string; value: string }>;
  /** Attribute keys that must exist on the span or its resource. */
  hasAttributes?: string[];
  release?: string;
  environment?: string;
  /** Only traces with at least one error span (anywhere in the trace). */
  hasError?: boolean;
  sort?: 'start' | 'duration';
  /** Opaque cursor from a previous page. */
  cursor?: string;
  limit: number;
}

/** The span-level filters of a search (what one span must meet), shared with span charts. */
export type SpanFilterQuery = Omit<TraceQuery, 'hasError' | 'sort' | 'cursor' | 'limit'>;

export interface TraceSummary {
  traceId: string;
  rootServiceName: string;
  rootName: string;
  startTimeUnixNano: string;
  durationNano: string;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export class InvalidCursorError extends Error {}

interface Cursor {
  k: string;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof c.k === 'string' && /^\d{1,20}$/.test(c.k) && BigInt(c.k) <= INT64_MAX && typeof c.id === 'string' && /^[0-9a-f]{32}$/.test(c.id)) return { k: c.k, id: c.id };
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API returned');
}

const DT9 = "DateTime64(9, 'UTC')";

/**
 * The time window as conditions the primary key can use: ClickHouse does not derive the key's
 * `toStartOfHour(Timestamp)` range from a range on `Timestamp`, so the hours are spelled out.
 */
function spanWindow(startNs: bigint, endNs: bigint): Sql {
  const start = typed(nanosToDateTime64(startNs), DT9);
  const end = typed(nanosToDateTime64(endNs), DT9);
  return sql`toStartOfHour(Timestamp) >= toStartOfHour(${start}) AND toStartOfHour(Timestamp) <= toStartOfHour(${end})
    AND Timestamp >= ${start} AND Timestamp <= ${end}`;
}

/**
 * Conditions a single span must meet for its trace to match (Jaeger's semantics: one span meets all).
 * An attribute filter also looks at resource attributes only for keys some resource in the window has
 * (`resourceKeys`): a span-only condition can skip granules through the bloom filter on span attribute values,
 * an OR with the resource side cannot.
 */
export function spanFilters(q: SpanFilterQuery, resourceKeys: ReadonlySet<string>): Sql[] {
  const where: Sql[] = [sql`ProjectId = ${typed(q.projectId, 'UInt32')}`, spanWindow(q.startNs, q.endNs)];
  if (q.service !== undefined) where.push(sql`ServiceName = ${q.service}`);
  if (q.operation !== undefined) where.push(sql`SpanName = ${q.operation}`);
  if (q.status !== undefined) where.push(sql`StatusCode = ${q.status}`);
  if (q.minDurationNs !== undefined) where.push(sql`Duration >= ${typed(q.minDurationNs.toString(), 'UInt64')}`);
  if (q.maxDurationNs !== undefined) where.push(sql`Duration <= ${typed(q.maxDurationNs.toString(), 'UInt64')}`);
  if (q.release !== undefined) where.push(sql`ResourceAttributes['service.version'] = ${q.release}`);
  if (q.environment !== undefined) {
    where.push(sql`(ResourceAttributes['deployment.environment.name'] = ${q.environment} OR ResourceAttributes['deployment.environment'] = ${q.environment})`);
  }
  for (const { key, value } of q.attributes) {
    const span = attributeEquals(sql`SpanAttributes`, key, value);
    where.push(resourceKeys.has(key) ? sql`(${span} OR ${attributeEquals(sql`ResourceAttributes`, key, value)})` : span);
  }
  for (const key of q.hasAttributes ?? []) {
    where.push(resourceKeys.has(key) ? sql`(${mapHasKey(sql`SpanAttributes`, key)} OR ${mapHasKey(sql`ResourceAttributes`, key)})` : mapHasKey(sql`SpanAttributes`, key));
  }
  return where;
}

/** Which of the filtered attribute keys appear on some resource in the window (each probe stops at its first row). */
export async function resourceKeysIn(db: Database, q: SpanFilterQuery): Promise<Set<string>> {
  const keys = [...new Set([...q.attributes.map((a) => a.key), ...(q.hasAttributes ?? [])])];
  if (keys.length === 0) return new Set();
  const window = sql`ProjectId = ${typed(q.projectId, 'UInt32')} AND ${spanWindow(q.startNs, q.endNs)}`;
  const probes = keys.map(
    (key) => sql`SELECT * FROM (SELECT ${key} AS key FROM ${db.table('spans')} WHERE ${window} AND ${mapHasKey(sql`ResourceAttributes`, key)} LIMIT 1)`,
  );
  const rows = await db.query<{ key: string }>(join(probes, ' UNION ALL '));
  return new Set(rows.map((r) => r.key));
}

/**
 * One page of matching traces with a cursor to the next; every filter applies before the limit.
 *
 * `sort: 'start'` (the default) orders traces by their latest matching span, newest first, and is computed from
 * the matching spans alone, so a search reads only the window's granules. `sort: 'duration'` orders by the whole
 * trace's duration from trace_index.
 */
export async function searchTraces(db: Database, q: TraceQuery): Promise<{ traces: TraceSummary[]; nextCursor: string | null }> {
  const resourceKeys = await resourceKeysIn(db, q);
  const page = q.sort === 'duration' ? await pageByDuration(db, q, resourceKeys) : await pageByStart(db, q, resourceKeys);
  const more = page.length > q.limit;
  const ids = page.slice(0, q.limit);
  if (ids.length === 0) return { traces: [], nextCursor: null };
  const summaries = await summarize(db, q.projectId, ids.map((r) => r.TraceId));
  const byId = new Map(summaries.map((t) => [t.traceId, t]));
  const last = ids[ids.length - 1];
  return {
    traces: ids.map((r) => byId.get(r.TraceId)).filter((t): t is TraceSummary => t !== undefined),
    nextCursor: more && last ? encodeCursor({ k: last.k, id: last.TraceId }) : null,
  };
}

type PageRow = KeyedTrace;

function cursorCondition(q: TraceQuery, key: Sql): Sql {
  if (q.cursor === undefined) return sql`1`;
  const c = decodeCursor(q.cursor);
  return sql`(${key} < ${typed(c.k, 'Int64')} OR (${key} = ${typed(c.k, 'Int64')} AND TraceId < ${c.id}))`;
}

/** The query's failed spans: in its project and window, status ERROR (whatever the other filters). */
const errorSpans = (q: TraceQuery): Sql => sql`ProjectId = ${typed(q.projectId, 'UInt32')} AND StatusCode = 'ERROR' AND ${spanWindow(q.startNs, q.endNs)}`;

function errorFilter(db: Database, q: TraceQuery): Sql {
  if (!q.hasError) return sql``;
  return sql`AND TraceId IN (SELECT TraceId FROM ${db.table('spans')} WHERE ${errorSpans(q)})`;
}

/**
 * Page by the latest matching span. The first page usually comes from the newest matching spans alone (a top-N
 * read that ClickHouse materialises lazily: trace ids are read for those rows only, not for the whole window);
 * their distinct trace ids in order of first appearance are exactly the traces with the greatest key. Later pages,
 * traces with too many matching spans for N rows, and attribute values rare in a long window's newest slice take the
 * grouped query (measured A/B at 10M spans: a 24 h service + operation search 317 → 279 ms, a 1 h one unchanged, but
 * a 24 h search for a rare attribute value 153 → 273 ms through every slice, its bloom filter having skipped most
 * granules already: attribute values read the newest slice only, then group). A key's existence
 * (`hasAttr`) takes the top-N read: a common key matches most spans, which the grouped query read whole (24 h
 * `hasAttr=user.id` at 10M spans: 6.6 s → 0.55 s). Error-only searches keep the traces of those rows that failed.
 */
async function pageByStart(db: Database, q: TraceQuery, resourceKeys: ReadonlySet<string>): Promise<PageRow[]> {
  const wanted = q.limit + 1;
  const slices = newestFirstSlices(q.startNs, q.endNs);
  if (q.cursor === undefined && q.attributes.length > 0) {
    // Attribute values: the newest matching rows settle the page for a common value and hold every match of a rare
    // one. A long window reads its newest slice first, a rare value then groups (10M spans, 24 h: method=POST 1.55 s
    // grouped → 47 ms, status 503 0.83 s → 44 ms, a rare user.id 53 → ~60 ms). Up to 2 h the window is one top-N
    // read (1 h, A/B: POST 81 → 44 ms, 503 61 → 45 ms, user.id 12.6 → 14.6 ms; in two slices user.id took 21 ms).
    const first = q.hasError ? MAX_TOP_ROWS : wanted * TOP_ROWS_PER_TRACE;
    const page =
      q.endNs - q.startNs > SLICE_FIRST_MIN_NS
        ? await newestPage(db, q, resourceKeys, first, wanted, slices, 1)
        : await newestPage(db, q, resourceKeys, first, wanted, [[q.startNs, q.endNs]]);
    if (page) return page;
  }
  if (q.cursor === undefined && q.attributes.length === 0) {
    // Unfiltered or broad searches match every span of a trace (~10 each), so the first read may hold too few
    // traces: read more of the newest rows before grouping the whole window (measured at 10M spans: an
    // unfiltered 24 h search went to the grouped query, 1.6 s).
    // Error-only searches keep a few traces in a hundred: they read the most rows at once. Without a filter that
    // picks spans within a trace, a trace's every span matches and the smaller first read never held a page: it
    // starts at the size the second read had (A/B at 10M spans, 20 ranges, the same pages: hasAttr=user.id 1 h
    // 333 → 177 ms, no filter 1 h 75 → 51 ms, 24 h 68 → 47 ms).
    const perTrace = picksSpans(q) ? TOP_ROWS_PER_TRACE : TOP_ROWS_PER_TRACE * 8;
    const first = q.hasError ? MAX_TOP_ROWS : Math.min(wanted * perTrace, MAX_TOP_ROWS);
    for (let n = first; ; n = Math.min(n * 8, MAX_TOP_ROWS)) {
      const page = await newestPage(db, q, resourceKeys, n, wanted, slices);
      if (page) return page;
      if (n === MAX_TOP_ROWS) break;
    }
  }
  const key = sql`max(toUnixTimestamp64Nano(Timestamp))`;
  return db.query<PageRow>(sql`
    SELECT TraceId, toString(${key}) AS k
    FROM ${db.table('spans')}
    WHERE ${join(spanFilters(q, resourceKeys), ' AND ')} ${errorFilter(db, q)}
    GROUP BY TraceId
    HAVING ${cursorCondition(q, key)}
    ORDER BY ${key} DESC, TraceId DESC
    LIMIT ${typed(wanted, 'UInt32')}`);
}

/**
 * The first page from the window's newest `n` matching spans, or null when they cannot tell it: their distinct
 * trace ids in order of first appearance are the traces with the greatest key, unless the limit cut rows at the
 * instant of the page's last trace, or they hold fewer traces than wanted while more rows match. `slices` cut the
 * window, newest first, and at most `maxSlices` of them are read; when rows may remain in the slices left unread,
 * only a full page of traces found in the slices read can tell the page: each of them ranks above every trace
 * without a row there.
 */
async function newestPage(
  db: Database,
  q: TraceQuery,
  resourceKeys: ReadonlySet<string>,
  n: number,
  wanted: number,
  slices: Array<[bigint, bigint]>,
  maxSlices = Infinity,
): Promise<PageRow[] | null> {
  // Newest slice of the window first: every row of a slice is newer than those of the next, so the first n rows
  // found are the window's newest n, and a common operation is found in its newest hour alone.
  const rows: PageRow[] = [];
  const read = slices.slice(0, maxSlices);
  for (const [startNs, endNs] of read) {
    // Ordered by time alone: a TraceId tie-break would make ClickHouse read every trace id of the slice to sort
    // (measured at 10M spans: 35 → 24 MB decompressed, −5…9 ms for a 1 h search). Ties are ordered here instead.
    rows.push(
      ...(await db.query<PageRow>(sql`
        SELECT TraceId, toString(toUnixTimestamp64Nano(Timestamp)) AS k
        FROM ${db.table('spans')}
        WHERE ${join(spanFilters({ ...q, startNs, endNs }, resourceKeys), ' AND ')}
        ORDER BY Timestamp DESC
        LIMIT ${typed(n - rows.length, 'UInt32')}`)),
    );
    if (rows.length >= n) break;
  }
  rows.sort(byKeyDescending);
  // Error-only: the traces in key order that have an error span in the window, looked up for these few ids.
  const page = q.hasError ? (await failedOnly(db, q, firstPerTrace(rows, Infinity))).slice(0, wanted) : firstPerTrace(rows, wanted);
  if (rows.length < n) return read.length === slices.length || page.length === wanted ? page : null;
  // The limit may have cut rows at the last row's instant; traces keyed later than it are complete.
  const last = rows[rows.length - 1];
  const edge = page[wanted - 1];
  return page.length === wanted && last && edge && compareKeys(edge.k, last.k) > 0 ? page : null;
}

/** The traces of `traces` with an error span in the query's window, in their order. */
async function failedOnly(db: Database, q: TraceQuery, traces: PageRow[]): Promise<PageRow[]> {
  if (traces.length === 0) return traces;
  const failed = await db.query<{ TraceId: string }>(sql`
    SELECT DISTINCT TraceId FROM ${db.table('spans')} WHERE ${errorSpans(q)} AND TraceId IN ${traces.map((t) => t.TraceId)}`);
  const ids = new Set(failed.map((r) => r.TraceId));
  return traces.filter((t) => ids.has(t.TraceId));
}

/**
 * The query keeps some spans of a trace and not others (one service, operation, status or duration range), so a
 * page's traces show up in few rows; release, environment and attribute keys hold for most spans of a trace alike.
 */
function picksSpans(q: TraceQuery): boolean {
  return q.service !== undefined || q.operation !== undefined || q.status !== undefined || q.minDurationNs !== undefined || q.maxDurationNs !== undefined;
}

/** Matching rows read per wanted trace on the fast path's first read: a trace often has several matching spans. */
const TOP_ROWS_PER_TRACE = 4;
/** The most rows the fast path reads before it groups the window instead. */
const MAX_TOP_ROWS = 10_000;

async function pageByDuration(db: Database, q: TraceQuery, resourceKeys: ReadonlySet<string>): Promise<PageRow[]> {
  if (!q.hasError && q.attributes.length === 0) {
    const cursor = q.cursor === undefined ? null : decodeCursor(q.cursor);
    const page = await longestInRange(db, q, spanFilters(q, resourceKeys), cursor && { TraceId: cursor.id, k: cursor.k }, q.limit + 1);
    if (page) return page;
  }
  const key = sql`toUnixTimestamp64Nano(max(End)) - toUnixTimestamp64Nano(min(Start))`;
  return db.query<PageRow>(sql`
    SELECT TraceId, toString(${key}) AS k
    FROM ${db.table('trace_index')}
    WHERE ProjectId = ${typed(q.projectId, 'UInt32')} AND ${SPAN_ROWS}
      AND TraceId IN (SELECT TraceId FROM ${db.table('spans')} WHERE ${join(spanFilters(q, resourceKeys), ' AND ')})
      ${errorFilter(db, q)}
    GROUP BY TraceId
    HAVING ${cursorCondition(q, key)}
    ORDER BY ${key} DESC, TraceId DESC
    LIMIT ${typed(q.limit + 1, 'UInt32')}`);
}

async function summarize(db: Database, projectId: number, traceIds: string[]): Promise<TraceSummary[]> {
  const project = typed(projectId, 'UInt32');
  const index = db.table('trace_index');
  // The traces' hours alone bound the read: their spans lie inside their index bounds. A (first hour, end, start)
  // window with Timestamp bounds as well selected twice the marks (system.events at 10M spans: 38.9 against 19.3
  // per page; 24.3 → 20.9 ms on chDB's Session, 1–5 % through the client, same answers for 100 pages).
  return db.query<TraceSummary>(sql`
    WITH (SELECT (toStartOfHour(min(Start)), toStartOfHour(max(End))) FROM ${index} WHERE ProjectId = ${project} AND ${SPAN_ROWS} AND TraceId IN ${traceIds}) AS hours
    SELECT
      TraceId AS traceId,
      if(countIf(ParentSpanId = '') > 0, argMinIf(ServiceName, Timestamp, ParentSpanId = ''), argMin(ServiceName, Timestamp)) AS rootServiceName,
      if(countIf(ParentSpanId = '') > 0, argMinIf(SpanName, Timestamp, ParentSpanId = ''), argMin(SpanName, Timestamp)) AS rootName,
      toString(min(toUnixTimestamp64Nano(Timestamp))) AS startTimeUnixNano,
      toString(max(toUnixTimestamp64Nano(Timestamp) + Duration) - min(toUnixTimestamp64Nano(Timestamp))) AS durationNano,
      toUInt32(count()) AS spanCount,
      toUInt32(countIf(StatusCode = 'ERROR')) AS errorCount,
      arraySort(groupUniqArray(toString(ServiceName))) AS services
    FROM ${db.table('spans')}
    WHERE ProjectId = ${project} AND TraceId IN ${traceIds}
      AND toStartOfHour(Timestamp) >= hours.1 AND toStartOfHour(Timestamp) <= hours.2
    GROUP BY TraceId`);
}
