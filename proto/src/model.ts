/**
 * Faultline's internal telemetry model: what every wire format (OTLP protobuf, OTLP JSON, later Sentry
 * envelopes) decodes into, and what storage writes. Kept flat and string-keyed so that a row can be
 * encoded for ClickHouse without another object tree.
 */

/** OTLP AnyValue after decoding. int64 values outside the safe integer range stay exact as bigint. */
export type AttributeValue =
  | string
  | number
  | bigint
  | boolean
  | Uint8Array
  | AttributeValue[]
  | { [key: string]: AttributeValue }
  | null;

/** Key/value pairs with OTLP types preserved. Later duplicates of a key win. */
export type Attributes = Record<string, AttributeValue>;

/** OTLP span kinds as numbers (proto enum values). */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export type SpanKindValue = (typeof SpanKind)[keyof typeof SpanKind];

/** OTLP status codes as numbers (proto enum values). */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCodeValue = (typeof StatusCode)[keyof typeof StatusCode];

export interface SpanEvent {
  /** Unix time in nanoseconds. */
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: Attributes;
}

/** One span with its resource and scope resolved (denormalized, as ClickHouse stores it). */
export interface Span {
  /** 32 lower-case hex characters. */
  traceId: string;
  /** 16 lower-case hex characters. */
  spanId: string;
  /** 16 lower-case hex characters, or '' for a root span. */
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: SpanKindValue;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  statusCode: StatusCodeValue;
  statusMessage: string;
  /** `service.name` of the resource ('unknown_service' when absent, as the SDKs do). */
  serviceName: string;
  resource: Attributes;
  scope: InstrumentationScope;
}

export interface LogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  /** The body as an AnyValue (usually a string). */
  body: AttributeValue;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
  /** 32 lower-case hex characters, or ''. */
  traceId: string;
  /** 16 lower-case hex characters, or ''. */
  spanId: string;
  eventName: string;
  serviceName: string;
  resource: Attributes;
  scope: InstrumentationScope;
}

/** Why one item of a request was rejected while the rest was accepted (OTLP partial success). */
export interface Rejection {
  index: number;
  reason: string;
}

/** Result of decoding one export request: the good items and the rejected ones. */
export interface Decoded<T> {
  items: T[];
  rejected: Rejection[];
}

/** OTLP metric kinds, flattened: every data point becomes one MetricPoint of one of these types. */
export const MetricType = {
  GAUGE: 'gauge',
  SUM: 'sum',
  HISTOGRAM: 'histogram',
  EXPONENTIAL_HISTOGRAM: 'exponential_histogram',
  SUMMARY: 'summary',
} as const;
export type MetricTypeValue = (typeof MetricType)[keyof typeof MetricType];

/** OTLP aggregation temporality as numbers (proto enum values). */
export const AggregationTemporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;
export type AggregationTemporalityValue = (typeof AggregationTemporality)[keyof typeof AggregationTemporality];

/** Buckets of an exponential histogram point; counts start at bucket index `offset`. */
export interface ExponentialBuckets {
  offset: number;
  bucketCounts: number[];
}

/** The parts of an exponential histogram point that an explicit-bounds histogram does not have. */
export interface ExponentialHistogramData {
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: ExponentialBuckets;
  negative: ExponentialBuckets;
}

/**
 * One data point of a metric with the metric's metadata, resource and scope resolved (denormalized).
 * Fields that do not apply to `type` hold neutral values (0, null, []), so every point has one shape.
 */
export interface MetricPoint {
  name: string;
  description: string;
  unit: string;
  type: MetricTypeValue;
  serviceName: string;
  resource: Attributes;
  scope: InstrumentationScope;
  attributes: Attributes;
  /** Unix time in nanoseconds; 0 when the sender did not set it. */
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** DataPointFlags; bit 0 = no recorded value. */
  flags: number;
  /** Gauge and sum: the value (an integer value as a number). NaN when flagged as no recorded value. */
  value: number;
  /** Sum only. */
  isMonotonic: boolean;
  /** Sum and (exponential) histogram; UNSPECIFIED for the others. */
  aggregationTemporality: AggregationTemporalityValue;
  /** Histograms and summaries: number of observations. */
  count: number;
  /** Histograms and summaries: sum of observations; null when a histogram did not record it. */
  sum: number | null;
  /** Histograms: smallest / largest observation when recorded. */
  min: number | null;
  max: number | null;
  /** Explicit-bounds histograms: counts per bucket (bounds.length + 1 entries) and the bounds. */
  bucketCounts: number[];
  explicitBounds: number[];
  /** Exponential histograms only. */
  exponential: ExponentialHistogramData | null;
  /** Summaries only. */
  quantiles: { quantile: number; value: number }[];
}

// ---------------------------------------------------------------------------------------------------------
// Errors: one model for exceptions from OTLP span events, OTLP log records and Sentry SDK events.

export interface StackFrame {
  /** File name or URL as reported (for JS: the script URL; for Java: `Foo.java`). */
  filename: string;
  /** Absolute path or URL when known (Sentry `abs_path`). */
  absPath: string;
  /** Function or method name as reported ('' when anonymous). */
  function: string;
  /** Module / package / class (Python module, Java class, Go package) — '' when unknown. */
  module: string;
  lineno: number | null;
  colno: number | null;
  /** Our guess (or the SDK's word): application code, not a dependency or the runtime. */
  inApp: boolean;
  contextLine?: string;
  preContext?: string[];
  postContext?: string[];
}

export interface ExceptionValue {
  type: string;
  value: string;
  module: string;
  /** Oldest call first, the frame that threw last (Sentry's order). */
  frames: StackFrame[];
  mechanism?: { type: string; handled?: boolean };
}

export interface Breadcrumb {
  /** Unix time in milliseconds. */
  timestampMs: number;
  type: string;
  category: string;
  message: string;
  level: string;
  data: Record<string, unknown>;
}

export type ErrorLevel = 'fatal' | 'error' | 'warning' | 'info' | 'debug';

export interface ErrorUser {
  id: string;
  email: string;
  username: string;
  ipAddress: string;
}

/** The HTTP request an error happened in (Sentry's `request` interface), as received: scrubbing comes later. */
export interface EventRequest {
  /** Upper case; '' when not sent. */
  method: string;
  /** Without its query string: that is `queryString`. */
  url: string;
  /** `a=1&b=2`, without the leading '?'; '' when none. */
  queryString: string;
  /** Header name (as sent) → value. */
  headers: Record<string, string>;
  /** The request body when the SDK sent one: a JSON body parsed, else text; null when absent. */
  data: unknown;
}

export interface ErrorEvent {
  /** 32 lower-case hex characters. */
  eventId: string;
  timeUnixNano: bigint;
  level: ErrorLevel;
  platform: string;
  sdk: { name: string; version: string };
  /** Log message or the Sentry `message`/`logentry` ('' when the exception says it all). */
  message: string;
  /** Chained exceptions, the cause first and the outermost (the one caught) last, as Sentry orders them. */
  exceptions: ExceptionValue[];
  release: string;
  environment: string;
  serverName: string;
  serviceName: string;
  transaction: string;
  user: ErrorUser;
  tags: Record<string, string>;
  contexts: Record<string, unknown>;
  breadcrumbs: Breadcrumb[];
  /** '' when the event is not linked to a trace. */
  traceId: string;
  spanId: string;
  /** Explicit grouping fingerprint from the SDK; empty = default grouping. */
  fingerprint: string[];
  source: 'otlp_span' | 'otlp_log' | 'sentry';
  /** Sentry events only: the HTTP request, `extra` (scope.setExtra, a thrown object's keys) and `modules`. */
  request?: EventRequest | null;
  extra?: Record<string, unknown>;
  modules?: Record<string, string>;
}
