/**
 * Release-health sessions: single `session` updates (browsers, mobile, CLI apps) and `sessions`
 * aggregates (servers, which count request-scoped sessions per minute instead of sending each one).
 * See https://develop.sentry.dev/sdk/telemetry/sessions/.
 */
import { SentryFormatError } from './errors.ts';
import { timestampMs } from './time.ts';
import { type Obj, count, isObject, objectOr, str } from './values.ts';

/**
 * `unhandled` (SDKs from late 2025, @sentry/browser 10+): an unhandled error the runtime survived (a browser page,
 * Flutter, Unity), split off `crashed`. Faultline counts it against the crash-free rates like `crashed`: for a
 * browser it is the nearest thing to a crash there is, and counting it as healthy would read 100 % forever.
 */
export type SessionStatus = 'ok' | 'exited' | 'crashed' | 'abnormal' | 'errored' | 'unhandled';

export interface SessionUpdate {
  /** The SDK's session id; '' for aggregates, which count sessions without naming them. */
  sessionId: string;
  /** Distinct user or device id; '' when unknown. */
  distinctId: string;
  status: SessionStatus;
  /** Errors seen in the session; aggregates do not count them, so 1 marks an unhealthy status (0 for exited). */
  errors: number;
  startedMs: number;
  /** When this update was made (aggregates: when received, else when their minute started). */
  timestampMs: number;
  release: string;
  environment: string;
  /** First update of the session, the one that counts it as started. */
  init: boolean;
  /** How many sessions this row stands for: 1 for single sessions, the count for aggregates. */
  quantity: number;
}

const STATUSES: readonly SessionStatus[] = ['ok', 'exited', 'crashed', 'abnormal', 'errored', 'unhandled'];
/** Count fields of an aggregate; `ok` is not among them because aggregates only hold finished sessions. */
const AGGREGATE_COUNTS = ['exited', 'errored', 'abnormal', 'crashed', 'unhandled'] as const;

function isStatus(v: unknown): v is SessionStatus {
  return typeof v === 'string' && (STATUSES as readonly string[]).includes(v);
}

/**
 * A status string this version does not know yet counts as `errored`: every status Sentry added after `ok` names
 * a way a session went wrong, so refusing the item (400) would lose the session, and `errored` is the reading
 * that claims the least (unhealthy, but no crash). Anything that is not a string is still refused.
 */
function readStatus(v: unknown): SessionStatus {
  if (v === undefined || v === null) return 'ok';
  if (isStatus(v)) return v;
  if (typeof v === 'string' && v.trim() !== '') return 'errored';
  throw new SentryFormatError(`session status ${JSON.stringify(v)} is not one of ${STATUSES.join(', ')}`);
}

/** `attrs` shared by both item types. Sentry drops sessions without a release: nothing to report them on. */
function readAttrs(payload: Obj, what: string): { release: string; environment: string } {
  const attrs = objectOr(payload.attrs);
  const release = str(attrs.release).trim();
  if (release === '') throw new SentryFormatError(`${what} has no attrs.release`);
  return { release, environment: str(attrs.environment) };
}

function requiredTime(v: unknown, what: string): number {
  const ms = timestampMs(v);
  if (ms === null) throw new SentryFormatError(`${what} is missing or not a timestamp`);
  return ms;
}

/**
 * Parses a `session` item. `receivedAtMs` stands in for a missing `timestamp`, as Relay does.
 * Throws SentryFormatError for an invalid session.
 */
export function parseSessionItem(payload: unknown, receivedAtMs?: number): SessionUpdate {
  if (!isObject(payload)) throw new SentryFormatError('session must be a JSON object');
  const sessionId = str(payload.sid);
  if (sessionId === '') throw new SentryFormatError('session has no sid');
  const status = readStatus(payload.status);
  const startedMs = requiredTime(payload.started, 'session started');
  return {
    sessionId,
    distinctId: str(payload.did),
    status,
    errors: count(payload.errors),
    startedMs,
    timestampMs: timestampMs(payload.timestamp) ?? receivedAtMs ?? startedMs,
    ...readAttrs(payload, 'session'),
    init: payload.init === true,
    quantity: 1,
  };
}

/**
 * Parses a `sessions` aggregate item into one update per non-zero status count of each group.
 * Throws SentryFormatError for an invalid item.
 */
export function parseSessionsItem(payload: unknown, receivedAtMs?: number): SessionUpdate[] {
  if (!isObject(payload)) throw new SentryFormatError('sessions must be a JSON object');
  const attrs = readAttrs(payload, 'sessions');
  if (!Array.isArray(payload.aggregates)) throw new SentryFormatError('sessions has no aggregates array');
  const updates: SessionUpdate[] = [];
  payload.aggregates.forEach((group: unknown, i) => {
    if (!isObject(group)) throw new SentryFormatError(`sessions aggregates[${i}] is not an object`);
    const startedMs = requiredTime(group.started, `sessions aggregates[${i}].started`);
    for (const status of AGGREGATE_COUNTS) {
      const quantity = count(group[status]);
      if (quantity === 0) continue;
      updates.push({
        sessionId: '',
        distinctId: str(group.did),
        status,
        errors: status === 'exited' ? 0 : 1,
        startedMs,
        timestampMs: receivedAtMs ?? startedMs,
        ...attrs,
        // Every aggregated session is complete, so each one is also counted as started.
        init: true,
        quantity,
      });
    }
  });
  return updates;
}
