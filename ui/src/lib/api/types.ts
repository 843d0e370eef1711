// Wire types of the Faultline query API (/api/v1). Everything here is untrusted input.

export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

export type SpanKind = 'SERVER' | 'CLIENT' | 'INTERNAL' | 'PRODUCER' | 'CONSUMER' | 'UNSPECIFIED';
export type StatusCode = 'UNSET' | 'OK' | 'ERROR';

export interface ApiProject {
  id: number;
  slug: string;
  name: string;
}

export interface ApiSpanEvent {
  timeUnixNano: string;
  name: string;
  attributes: Attributes;
}

export interface ApiSpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

export interface ApiSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  kind: SpanKind;
  serviceName: string;
  /** Decimal string; may exceed 2^53. */
  startTimeUnixNano: string;
  /** Decimal string. */
  durationNano: string;
  statusCode: StatusCode;
  statusMessage: string;
  attributes: Attributes;
  resource: Attributes;
  scope: { name: string; version: string };
  events: ApiSpanEvent[];
  links: ApiSpanLink[];
}

export interface ApiTraceError {
  eventId: string;
  issueId: string;
  spanId: string;
}

export interface ApiTrace {
  traceId: string;
  spans: ApiSpan[];
  errors: ApiTraceError[];
}

export interface ApiTraceSummary {
  traceId: string;
  rootServiceName: string;
  rootName: string;
  startTimeUnixNano: string;
  durationNano: string;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}
