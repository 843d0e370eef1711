// Release wire types of /api/v1 and their normalization (responses are untrusted). Pure.
import { num, numOrNull, str } from '../format/metrics.ts';

export interface TopOperation {
  service: string;
  name: string;
  calls: number;
  p95DurationNano: number;
}

export const DELTA_KEYS = [
  'errorEvents',
  'affectedUsers',
  'newIssues',
  'regressedIssues',
  'errorRate',
  'crashFreeSessions',
  'crashFreeUsers',
  'p95DurationNano',
] as const;
export type DeltaKey = (typeof DELTA_KEYS)[number];
export type Deltas = Record<DeltaKey, number | null>;

export interface Release {
  version: string;
  /** Services whose spans carried the release; the previous release is the one before it among theirs. */
  services: string[];
  firstSeen: string;
  lastSeen: string;
  errorEvents: number;
  affectedUsers: number;
  newIssues: number;
  regressedIssues: number;
  spanCalls: number;
  spanErrors: number;
  errorRate: number | null;
  sessions: number;
  crashedSessions: number;
  unhandledSessions: number;
  crashFreeSessions: number | null;
  sessionUsers: number;
  crashedUsers: number;
  crashFreeUsers: number | null;
  adoption: number | null;
  /** p95 of the release's entry spans (SERVER, CONSUMER), ns. */
  p95DurationNano: number | null;
  topOperations: TopOperation[];
  previousVersion: string | null;
  deltas: Deltas;
}

export interface ReleaseDetail extends Release {
  previous: Release | null;
}

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function normalizeRelease(raw: unknown): Release {
  const r = obj(raw);
  const d = obj(r.deltas);
  const deltas = Object.fromEntries(DELTA_KEYS.map((k) => [k, numOrNull(d[k])])) as Deltas;
  const ops = Array.isArray(r.topOperations) ? r.topOperations.map(obj) : [];
  return {
    version: str(r.version),
    services: Array.isArray(r.services) ? r.services.filter((s): s is string => typeof s === 'string') : [],
    firstSeen: str(r.firstSeen),
    lastSeen: str(r.lastSeen),
    errorEvents: num(r.errorEvents),
    affectedUsers: num(r.affectedUsers),
    newIssues: num(r.newIssues),
    regressedIssues: num(r.regressedIssues),
    spanCalls: num(r.spanCalls),
    spanErrors: num(r.spanErrors),
    errorRate: numOrNull(r.errorRate),
    sessions: num(r.sessions),
    crashedSessions: num(r.crashedSessions),
    unhandledSessions: num(r.unhandledSessions),
    crashFreeSessions: numOrNull(r.crashFreeSessions),
    sessionUsers: num(r.sessionUsers),
    crashedUsers: num(r.crashedUsers),
    crashFreeUsers: numOrNull(r.crashFreeUsers),
    adoption: numOrNull(r.adoption),
    p95DurationNano: numOrNull(r.p95DurationNano),
    topOperations: ops.map((o) => ({
      service: str(o.service),
      name: str(o.name),
      calls: num(o.calls),
      p95DurationNano: num(o.p95DurationNano),
    })),
    previousVersion: typeof r.previousVersion === 'string' && r.previousVersion !== '' ? r.previousVersion : null,
    deltas,
  };
}
