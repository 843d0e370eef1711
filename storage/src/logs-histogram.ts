import type { Database } from './database.ts';
import { logFilterConditions, type LogFilter } from './logs-search.ts';
import { join, sql, typed } from './sql.ts';

/** Severity bands of the OTLP SeverityNumber: 0 unspecified, 1–4 trace, 5–8 debug, … 21–24 fatal. */
export const SEVERITY_BANDS = ['unspecified', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type SeverityBand = (typeof SEVERITY_BANDS)[number];
export type BandCounts = Record<SeverityBand, number>;

export interface LogHistogram {
  /** Bucket width in seconds. */
  step: number;
  buckets: Array<{ start: string; counts: BandCounts }>;
  total: number;
  /** The ten services with the most matching records, most first. */
  byService: Array<{ service: string; count: number }>;
}

/** Round bucket widths in seconds, smallest first. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800];

/** The smallest round width giving at most about `target` buckets over the range (whole days beyond a week). */
export function histogramStep(spanMs: number, target = 60): number {
  const wanted = Math.max(0, spanMs) / 1000 / target;
  return STEPS.find((s) => s >= wanted) ?? Math.ceil(wanted / 86_400) * 86_400;
}

const BAND = sql`multiIf(SeverityNumber = 0, 0, SeverityNumber > 24, 6, intDiv(SeverityNumber + 3, 4))`;

const emptyCounts = (): BandCounts => ({ unspecified: 0, trace: 0, debug: 0, info: 0, warn: 0, error: 0, fatal: 0 });

/**
 * Record counts of a filter per time bucket and severity band, zero-filled, buckets aligned to multiples of the
 * step since the epoch, plus the top services. Reads only Timestamp, SeverityNumber, ServiceName and the
 * filtered columns; the reads' timeout and row limits apply as for every reader.
 */
export async function logHistogram(db: Database, f: LogFilter): Promise<LogHistogram> {
  const startMs = Number(f.startNs / 1_000_000n);
  const endMs = Number(f.endNs / 1_000_000n);
  const step = histogramStep(endMs - startMs);
  const stepMs = step * 1000;
  const first = Math.floor(startMs / stepMs) * stepMs;
  const count = Math.floor(endMs / stepMs) - first / stepMs + 1;
  const where = join(logFilterConditions(f), ' AND ');
  const [rows, services] = await Promise.all([
    db.query<{ b: number; band: number; n: number }>(sql`
      SELECT toUInt32(intDiv(toUnixTimestamp64Milli(Timestamp) - ${typed(first, 'Int64')}, ${typed(stepMs, 'Int64')})) AS b,
        toUInt8(${BAND}) AS band, count() AS n
      FROM ${db.table('logs')}
      WHERE ${where}
      GROUP BY b, band`),
    db.query<{ service: string; count: number }>(sql`
      SELECT ServiceName AS service, count() AS count
      FROM ${db.table('logs')}
      WHERE ${where}
      GROUP BY service
      ORDER BY count DESC, service ASC
      LIMIT 10`),
  ]);
  const buckets = Array.from({ length: count }, (_, i) => ({ start: new Date(first + i * stepMs).toISOString(), counts: emptyCounts() }));
  let total = 0;
  for (const r of rows) {
    const bucket = buckets[Math.min(Number(r.b), count - 1)];
    const band = SEVERITY_BANDS[Number(r.band)];
    if (!bucket || !band) continue;
    bucket.counts[band] += Number(r.n);
    total += Number(r.n);
  }
  return { step, buckets, total, byService: services.map((s) => ({ service: s.service, count: Number(s.count) })) };
}
