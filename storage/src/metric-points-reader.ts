import type { Database } from './database.ts';
import { join, sql, typed, type Sql } from './sql.ts';
import { nanosToDateTime64 } from './time.ts';

export interface MetricRange {
  projectId: number;
  startNs: bigint;
  endNs: bigint;
  service?: string;
}

export interface MetricInfo {
  name: string;
  type: string;
  unit: string;
  description: string;
  services: string[];
  points: number;
}

function rangeWhere(q: MetricRange, extra: Sql[] = []): Sql {
  const parts = [
    sql`ProjectId = ${typed(q.projectId, 'UInt32')}`,
    sql`Timestamp >= ${typed(nanosToDateTime64(q.startNs), "DateTime64(9, 'UTC')")}`,
    sql`Timestamp < ${typed(nanosToDateTime64(q.endNs), "DateTime64(9, 'UTC')")}`,
    ...(q.service ? [sql`ServiceName = ${q.service}`] : []),
    ...extra,
  ];
  return join(parts, ' AND ');
}

/** The OTLP metrics a project sent in a range, by name. */
export async function listMetrics(db: Database, q: MetricRange): Promise<MetricInfo[]> {
  return db.query<MetricInfo>(sql`
    SELECT toString(MetricName) AS name, toString(any(MetricType)) AS type, toString(any(Unit)) AS unit,
      toString(any(Description)) AS description, arraySort(groupUniqArray(100)(toString(ServiceName))) AS services,
      toUInt64(count()) AS points
    FROM ${db.table('metric_points')} WHERE ${rangeWhere(q)}
    GROUP BY MetricName ORDER BY name LIMIT 1000`);
}

export interface MetricSeriesQuery extends MetricRange {
  name: string;
  stepSeconds: number;
  /** An attribute key whose values split the series (besides the service). */
  groupBy?: string;
}

export interface MetricSeries {
  /** What each value is: `avg` of a gauge, `rate` per second of a counter, `mean` of a histogram's observations. */
  aggregation: 'avg' | 'rate' | 'mean';
  type: string;
  unit: string;
  series: Array<{ service: string; group: string; points: Array<{ time: string; value: number }> }>;
}

/** One time series of a metric: its service, attributes and resource, in time order. */
const WINDOW = sql`WINDOW w AS (PARTITION BY ServiceName,
  cityHash64(mapKeys(Attributes), mapValues(Attributes), mapKeys(ResourceAttributes), mapValues(ResourceAttributes))
  ORDER BY Timestamp ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)`;

/** Series split by service (and `groupBy`); at most this many. */
const MAX_SERIES = 50;

/**
 * A metric as time series with one value per step. Cumulative counters and histograms are turned into increments
 * per time series (its service, attributes and resource), a drop counting as a reset, so a rate or a mean per
 * step does not depend on when the process started; delta ones are summed as they come.
 */
export async function metricSeries(db: Database, q: MetricSeriesQuery): Promise<MetricSeries | null> {
  const where = rangeWhere(q, [sql`MetricName = ${q.name}`]);
  const [kind] = await db.query<{ type: string; unit: string; temporality: number; monotonic: boolean }>(sql`
    SELECT toString(MetricType) AS type, toString(Unit) AS unit, Temporality AS temporality, IsMonotonic AS monotonic
    FROM ${db.table('metric_points')} WHERE ${where} ORDER BY Timestamp DESC LIMIT 1`);
  if (!kind) return null;
  const counter = kind.type === 'sum' && kind.monotonic;
  const aggregation = counter ? 'rate' : kind.type === 'gauge' || kind.type === 'sum' ? 'avg' : 'mean';
  const cumulative = kind.temporality === 2;
  const step = typed(q.stepSeconds, 'UInt32');
  const group = q.groupBy ? sql`Attributes[${q.groupBy}]` : sql`''`;
  // Increments of a cumulative column within its own time series. As Float64:
  // a count is UInt64, its difference Int64, and `if` over the two is a Variant no aggregate takes.
  // The first point of a series in the range has no increment (NULL): a step holding only such points has no value
  // and is left out of the answer, rather than reading as a rate or mean of 0.
  const increment = (raw: Sql): Sql => {
    const column = sql`toFloat64(${raw})`;
    const previous = sql`lagInFrame(toNullable(${column}), 1) OVER w`;
    return cumulative ? sql`multiIf(${previous} IS NULL, NULL, ${column} - ${previous} < 0, ${column}, ${column} - ${previous})` : column;
  };
  const value: Sql =
    aggregation === 'avg' ? sql`avg(v)` : aggregation === 'rate' ? sql`sum(v) / ${step}` : sql`if(sum(c) > 0, sum(v) / sum(c), NULL)`;
  const inner =
    aggregation === 'avg' ? sql`Value AS v, 0 AS c` : aggregation === 'rate' ? sql`${increment(sql`Value`)} AS v, 0 AS c` : sql`${increment(sql`ifNull(Sum, 0)`)} AS v, ${increment(sql`Count`)} AS c`;
  const rows = await db.query<{ service: string; grp: string; times: string[]; values: number[] }>(sql`
    SELECT service, grp, groupArray(time) AS times, groupArray(value) AS values FROM (
      SELECT service, grp, formatDateTime(bucket, '%Y-%m-%dT%H:%i:%SZ') AS time, ${value} AS value FROM (
        SELECT toString(ServiceName) AS service, ${group} AS grp,
          toStartOfInterval(Timestamp, toIntervalSecond(${step})) AS bucket, ${inner}
        FROM ${db.table('metric_points')} WHERE ${where} ${cumulative && aggregation !== 'avg' ? WINDOW : sql``}
      )
      GROUP BY service, grp, bucket HAVING value IS NOT NULL ORDER BY service, grp, bucket
    )
    GROUP BY service, grp ORDER BY service, grp LIMIT ${typed(MAX_SERIES, 'UInt32')}`);
  return {
    aggregation,
    type: kind.type,
    unit: kind.unit,
    series: rows.map((r) => ({ service: r.service, group: r.grp, points: r.times.map((time, i) => ({ time, value: r.values[i] ?? 0 })) })),
  };
}
