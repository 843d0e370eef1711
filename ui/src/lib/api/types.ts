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
  /** The event's title; absent from older servers. */
  title?: string;
  level?: string;
}

/** A log record carrying the trace id (OTLP logs), oldest first. */
export interface ApiTraceLog {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  /** '' when the record names no span. */
  spanId: string;
  severityText: string;
  /** OTLP severity number: 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal; 0 unset. */
  severityNumber: number;
  serviceName: string;
  eventName: string;
  body: AttributeValue;
  /** The server cut a long body: `body` holds its first characters, as text. */
  bodyTruncated?: boolean;
  attributes: Attributes;
}

/** A log record from the log search: a trace log plus its trace id and resource. */
export interface ApiLogEntry extends ApiTraceLog {
  traceId: string;
  resource: Attributes;
}

/** Severity bands of the log histogram, by OTLP severity number (0 unspecified, 1–4 trace … 21–24 fatal). */
export type ApiSeverityBand = 'unspecified' | 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** GET /logs/histogram: counts of a log search per time bucket and severity band, and its top services. */
export interface ApiLogHistogram {
  /** Bucket width in seconds. */
  step: number;
  buckets: Array<{ start: string; counts: Record<ApiSeverityBand, number> }>;
  total: number;
  byService: Array<{ service: string; count: number }>;
}

export interface ApiTrace {
  traceId: string;
  spans: ApiSpan[];
  errors: ApiTraceError[];
  logs: ApiTraceLog[];
  /** More log records exist than the answer holds (the oldest are returned). */
  logsTruncated: boolean;
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

// ---- Issues and error events ----------------------------------------------------------------

export type IssueStatus = 'unresolved' | 'resolved' | 'ignored';
export type IssueLevel = 'fatal' | 'error' | 'warning' | 'info' | 'debug';

export interface ApiIssue {
  id: string;
  shortId: string;
  title: string;
  culprit: string;
  type: string;
  value: string;
  level: string;
  platform: string;
  status: IssueStatus;
  resolvedInRelease: string;
  /** Only releases newer than `resolvedInRelease` regress. */
  resolvedInNextRelease: boolean;
  ignoreUntilEvents: number;
  /** ISO-8601 time an ignore ends by; '' = no time limit. */
  ignoreUntil: string;
  ignoreUntilUsers: number;
  assignee: string;
  count: number;
  userCount: number;
  /** ISO-8601. */
  firstSeen: string;
  lastSeen: string;
  firstRelease: string;
  lastRelease: string;
  project: string;
  /** Events per bucket over the list's `statsPeriod`, oldest first; only when the list asked for it. */
  stats?: number[];
}

export interface ApiActivity {
  id: string;
  kind: 'first_seen' | 'status_change' | 'regression' | 'unignored' | string;
  timestamp: string;
  actor: string;
  /** Label of the acting token ('' when it has none). */
  actorName: string;
  data: Record<string, unknown>;
}

export interface ApiIssueDetail extends ApiIssue {
  latestEvent: ApiEvent | null;
  /** The newest entries only (the API's `activityLimit`), oldest of them first. */
  activity: ApiActivity[];
  /** Entries in all; more than `activity` holds when older ones were left out. */
  activityTotal: number;
  /** Pages on to the older entries (`listIssueActivity`); null when `activity` holds them all. */
  activityNextCursor: string | null;
}

/** A page of `…/issues/{id}/activity`, newest first. */
export interface ApiActivityPage {
  activity: ApiActivity[];
  total: number;
  nextCursor: string | null;
}

export interface ApiFrame {
  filename: string;
  absPath: string;
  function: string;
  module: string;
  lineno: number | null;
  colno: number | null;
  inApp: boolean;
  contextLine: string | null;
  preContext: string[];
  postContext: string[];
}

export interface ApiExceptionValue {
  type: string;
  value: string;
  module: string;
  mechanism: unknown;
  stacktrace: { frames: ApiFrame[] } | null;
}

export interface ApiBreadcrumb {
  timestampMs: number;
  type: string;
  category: string;
  message: string;
  level: string;
  data: unknown;
}

export interface ApiEventUser {
  id: string;
  email: string;
  username: string;
  ipAddress: string;
}

/** The HTTP request of a Sentry event, scrubbed at ingest. */
export interface ApiEventRequest {
  method: string;
  url: string;
  /** Without the leading '?'. */
  queryString: string;
  headers: Record<string, string>;
  /** The body when the SDK sent one: text, or a parsed JSON body; null when absent. */
  data: unknown;
}

export interface ApiEvent {
  eventId: string;
  issueId: string;
  timestamp: string;
  level: string;
  platform: string;
  sdk: { name: string; version: string };
  source: string;
  title: string;
  culprit: string;
  message: string;
  release: string;
  environment: string;
  serverName: string;
  serviceName: string;
  transaction: string;
  traceId: string;
  spanId: string;
  user: ApiEventUser;
  tags: Record<string, string>;
  contexts: Record<string, unknown>;
  breadcrumbs: ApiBreadcrumb[];
  request: ApiEventRequest | null;
  /** Sentry's `extra` (scope.setExtra, a thrown object's keys under __serialized__). */
  extra: Record<string, unknown>;
  /** Package name → version. */
  modules: Record<string, string>;
  /** What grouped the event into its issue ('fingerprint', 'in_app', 'all_frames', 'message') and the hash. */
  grouping: { strategy: string; hash: string };
  /** Cause first, the outermost (caught) exception last; frames oldest call first. */
  exception: { values: ApiExceptionValue[] } | null;
}

export interface IssueUpdate {
  /** Left out: the status stays (an assignee change alone). */
  status?: IssueStatus;
  /** '' unassigns. */
  assignee?: string;
  resolvedInRelease?: string;
  /** Resolved in the release after the newest one of the issue's package. */
  resolvedInNextRelease?: boolean;
  ignoreUntilEvents?: number;
  ignoreUntilUsers?: number;
  ignoreDurationMinutes?: number;
}
