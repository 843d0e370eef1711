import { type ResourceInfo, readAttributes, readResource, readScope } from './attributes.ts';
import { type Node, type WireCodec, type WireFormat, each, within } from './codec.ts';
import { type DecodeContext, type DecodeLimits, type DecodeStats, createContext, nextItem } from './context.ts';
import { toDecodeError } from './errors.ts';
import type {
  AggregationTemporalityValue,
  Decoded,
  ExponentialBuckets,
  InstrumentationScope,
  MetricPoint,
  MetricTypeValue,
} from './model.ts';
import { readRequest } from './request.ts';
import { otlpSchema } from './schema.ts';

/** The `data` oneof of Metric, with the MetricPoint type each member becomes. */
const KINDS = [
  ['gauge', 'gauge'],
  ['sum', 'sum'],
  ['histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary'],
] as const satisfies readonly (readonly [string, MetricTypeValue])[];

const NO_RECORDED_VALUE = 1;

interface MetricInfo {
  name: string;
  description: string;
  unit: string;
  type: MetricTypeValue;
  temporality: AggregationTemporalityValue;
  isMonotonic: boolean;
  res: ResourceInfo;
  scope: InstrumentationScope;
}

/**
 * Decodes an ExportMetricsServiceRequest (protobuf or OTLP/JSON), flattening every data point of
 * every metric into one MetricPoint. Points without a timestamp, number points without a value and
 * histograms whose bucket counts do not match their bounds are rejected (partial success).
 */
export function decodeMetrics(
  body: Uint8Array,
  format: WireFormat,
  limits?: DecodeLimits,
): Decoded<MetricPoint> & { stats: DecodeStats } {
  const ctx = createContext(format, limits);
  const request = readRequest(body, format, otlpSchema().metricsRequest);
  const out: Decoded<MetricPoint> = { items: [], rejected: [] };
  try {
    each(ctx.c, request, 'resourceMetrics', (rm) => {
      const res = readResource(ctx, rm);
      each(ctx.c, rm, 'scopeMetrics', (sm) => {
        const scope = readScope(ctx, sm);
        each(ctx.c, sm, 'metrics', (metric) => readMetric(ctx, metric, res, scope, out));
      });
    });
  } catch (err) {
    throw toDecodeError(err, format);
  }
  return { ...out, stats: ctx.stats };
}

function readMetric(
  ctx: DecodeContext,
  metric: Node,
  res: ResourceInfo,
  scope: InstrumentationScope,
  out: Decoded<MetricPoint>,
): void {
  const c = ctx.c;
  const kind = KINDS.find(([field]) => c.has(metric, field));
  // A metric without data carries no points; nothing to store or reject.
  if (kind === undefined) return;
  const [field, type] = kind;
  const name = c.str(metric, 'name');
  within(c, metric, field, (data) => {
    const info: MetricInfo = {
      name,
      description: c.str(metric, 'description'),
      unit: c.str(metric, 'unit'),
      type,
      temporality: type === 'gauge' || type === 'summary' ? 0 : temporalityOf(c, data),
      isMonotonic: type === 'sum' && c.bool(data, 'isMonotonic'),
      res,
      scope,
    };
    each(c, data, 'dataPoints', (p) => {
      const index = nextItem(ctx, 'data points');
      const point = readPoint(ctx, p, info);
      if (typeof point === 'string') out.rejected.push({ index, reason: `data point ${index} (${name}): ${point}` });
      else out.items.push(point);
    });
  });
}

function temporalityOf(c: WireCodec, data: Node): AggregationTemporalityValue {
  const n = c.enumValue(data, 'aggregationTemporality', otlpSchema().enums.aggregationTemporality);
  return n === 1 || n === 2 ? n : 0;
}

/** A point in model form, or the reason it is rejected. */
function readPoint(ctx: DecodeContext, p: Node, info: MetricInfo): MetricPoint | string {
  const c = ctx.c;
  const timeUnixNano = c.time(p, 'timeUnixNano');
  if (timeUnixNano === 0n) return 'time_unix_nano is 0';
  const point: MetricPoint = {
    name: info.name,
    description: info.description,
    unit: info.unit,
    type: info.type,
    serviceName: info.res.serviceName,
    resource: info.res.resource,
    scope: info.scope,
    attributes: readAttributes(ctx, p),
    startTimeUnixNano: c.time(p, 'startTimeUnixNano'),
    timeUnixNano,
    flags: c.uint32(p, 'flags'),
    value: 0,
    isMonotonic: info.isMonotonic,
    aggregationTemporality: info.temporality,
    count: 0,
    sum: null,
    min: null,
    max: null,
    bucketCounts: [],
    explicitBounds: [],
    exponential: null,
    quantiles: [],
  };
  const problem = fillPoint(c, p, point);
  return problem === '' ? point : problem;
}

/** Reads the type-specific fields into `point`; returns why the point is invalid, or ''. */
function fillPoint(c: WireCodec, p: Node, point: MetricPoint): string {
  const optional = (field: string): number | null => (c.has(p, field) ? c.double(p, field) : null);
  switch (point.type) {
    case 'gauge':
    case 'sum':
      if (c.has(p, 'asDouble')) point.value = c.double(p, 'asDouble');
      else if (c.has(p, 'asInt')) point.value = Number(c.int64(p, 'asInt'));
      else if (point.flags & NO_RECORDED_VALUE) point.value = NaN;
      else return 'number data point has neither as_double nor as_int';
      return '';
    case 'histogram': {
      point.count = c.count(p, 'count');
      point.sum = optional('sum');
      point.min = optional('min');
      point.max = optional('max');
      point.bucketCounts = c.counts(p, 'bucketCounts');
      point.explicitBounds = c.doubles(p, 'explicitBounds');
      const buckets = point.bucketCounts.length;
      const bounds = point.explicitBounds.length;
      if (buckets !== 0 && buckets !== bounds + 1) {
        return `histogram has ${buckets} bucket counts for ${bounds} explicit bounds, expected ${bounds + 1}`;
      }
      return '';
    }
    case 'exponential_histogram':
      point.count = c.count(p, 'count');
      point.sum = optional('sum');
      point.min = optional('min');
      point.max = optional('max');
      point.exponential = {
        scale: c.int32(p, 'scale'),
        zeroCount: c.count(p, 'zeroCount'),
        zeroThreshold: c.double(p, 'zeroThreshold'),
        positive: within(c, p, 'positive', (b) => buckets(c, b)),
        negative: within(c, p, 'negative', (b) => buckets(c, b)),
      };
      return '';
    case 'summary':
      point.count = c.count(p, 'count');
      point.sum = c.double(p, 'sum');
      each(c, p, 'quantileValues', (q) => {
        point.quantiles.push({ quantile: c.double(q, 'quantile'), value: c.double(q, 'value') });
      });
      return '';
  }
}

function buckets(c: WireCodec, b: Node): ExponentialBuckets {
  return { offset: c.int32(b, 'offset'), bucketCounts: c.counts(b, 'bucketCounts') };
}
