// Coerces untrusted issue / event JSON into the wire types: missing or mistyped fields become
// empty values so the views never have to guard against `undefined.map`.
import type { ApiBreadcrumb, ApiEvent, ApiEventRequest, ApiExceptionValue, ApiFrame, ApiIssue, IssueStatus } from '../api/types.ts';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => arr(v).map(str);

const STATUSES: readonly IssueStatus[] = ['unresolved', 'resolved', 'ignored'];

export function normalizeIssue(raw: unknown): ApiIssue {
  const o = obj(raw);
  const status = str(o.status) as IssueStatus;
  return {
    id: str(o.id),
    shortId: str(o.shortId),
    title: str(o.title),
    culprit: str(o.culprit),
    type: str(o.type),
    value: str(o.value),
    level: str(o.level) || 'error',
    platform: str(o.platform),
    status: STATUSES.includes(status) ? status : 'unresolved',
    resolvedInRelease: str(o.resolvedInRelease),
    resolvedInNextRelease: o.resolvedInNextRelease === true,
    ignoreUntilEvents: num(o.ignoreUntilEvents),
    ignoreUntil: str(o.ignoreUntil),
    ignoreUntilUsers: num(o.ignoreUntilUsers),
    assignee: str(o.assignee),
    count: num(o.count),
    userCount: num(o.userCount),
    firstSeen: str(o.firstSeen),
    lastSeen: str(o.lastSeen),
    firstRelease: str(o.firstRelease),
    lastRelease: str(o.lastRelease),
    project: str(o.project),
    ...(Array.isArray(o.stats) ? { stats: o.stats.map(num) } : {}),
  };
}

export function normalizeFrame(raw: unknown): ApiFrame {
  const f = obj(raw);
  return {
    filename: str(f.filename),
    absPath: str(f.absPath),
    function: str(f.function),
    module: str(f.module),
    lineno: numOrNull(f.lineno),
    colno: numOrNull(f.colno),
    inApp: f.inApp === true,
    contextLine: typeof f.contextLine === 'string' ? f.contextLine : null,
    preContext: strings(f.preContext),
    postContext: strings(f.postContext),
  };
}

function normalizeException(raw: unknown): ApiExceptionValue {
  const e = obj(raw);
  const st = obj(e.stacktrace);
  return {
    type: str(e.type),
    value: str(e.value),
    module: str(e.module),
    mechanism: e.mechanism ?? null,
    stacktrace: { frames: arr(st.frames).map(normalizeFrame) },
  };
}

function normalizeBreadcrumb(raw: unknown): ApiBreadcrumb {
  const b = obj(raw);
  return {
    timestampMs: num(b.timestampMs),
    type: str(b.type),
    category: str(b.category),
    message: str(b.message),
    level: str(b.level),
    data: b.data ?? null,
  };
}

function normalizeRequest(raw: unknown): ApiEventRequest | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const r = raw as Obj;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(r.headers))) headers[k] = str(v);
  return { method: str(r.method), url: str(r.url), queryString: str(r.queryString), headers, data: r.data ?? null };
}

const strMap = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, str(x)]));

export function normalizeEvent(raw: unknown): ApiEvent {
  const e = obj(raw);
  const sdk = obj(e.sdk);
  const user = obj(e.user);
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(e.tags))) tags[k] = str(v);
  return {
    eventId: str(e.eventId),
    issueId: str(e.issueId),
    timestamp: str(e.timestamp),
    level: str(e.level) || 'error',
    platform: str(e.platform),
    sdk: { name: str(sdk.name), version: str(sdk.version) },
    source: str(e.source),
    title: str(e.title),
    culprit: str(e.culprit),
    message: str(e.message),
    release: str(e.release),
    environment: str(e.environment),
    serverName: str(e.serverName),
    serviceName: str(e.serviceName),
    transaction: str(e.transaction),
    traceId: str(e.traceId),
    spanId: str(e.spanId),
    user: {
      id: str(user.id),
      email: str(user.email),
      username: str(user.username),
      ipAddress: str(user.ipAddress),
    },
    tags,
    contexts: obj(e.contexts),
    breadcrumbs: arr(e.breadcrumbs).map(normalizeBreadcrumb),
    request: normalizeRequest(e.request),
    extra: obj(e.extra),
    modules: strMap(e.modules),
    grouping: { strategy: str(obj(e.grouping).strategy), hash: str(obj(e.grouping).hash) },
    exception: { values: arr(obj(e.exception).values).map(normalizeException) },
  };
}
